import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import ArgumentParser
import Foundation

/// `trading-calendar`: the NSE calendar of `config/trading_hours.yaml`, for runbooks and people.
///
/// Every answer is one line on standard output (or JSON with `--json`) and an exit code a script
/// can branch on: 0 yes / open, 1 no / closed, 64 a bad date or flag, 78 a broken
/// `trading_hours.yaml`. Problems in other configuration files do not stop it: it answers and
/// says on standard error that the configuration needs `config-check`.
public struct TradingCalendarCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trading-calendar",
        abstract: "Answer whether a date is an NSE trading day and print its session.",
        discussion: """
            Dates are IST calendar dates written YYYY-MM-DD and default to today in IST. \
            Exit codes: 0 = a trading day (or the market is open), 1 = not (or closed), \
            64 = a bad date or flag, 78 = config/trading_hours.yaml is wrong.
            """,
        version: AlphaPrimeVersion.string,
        subcommands: [IsTradingDay.self, Session.self, Next.self, MinutesToClose.self, Holidays.self],
        defaultSubcommand: IsTradingDay.self)

    @OptionGroup public var common: CommonOptions

    public init() {}

    // MARK: Shared

    /// Loads the calendar for a subcommand and runs `body` with it; a broken `trading_hours.yaml`
    /// is listed on standard error and exits 78.
    static func run(_ common: CommonOptions, subcommand: String,
                    _ body: (TradingCalendar, ToolSetup) throws -> ExitStatus) async throws {
        let tool = "trading-calendar \(subcommand)"
        try await ToolRunner.run(tool: tool) {
            let setup = ToolSetup.load(common, tool: "trading-calendar")
            let calendar: TradingCalendar
            do {
                calendar = try setup.tradingCalendar()
            } catch let error as ConfigError {
                for issue in error.issues { ToolRunner.printError(issue.description) }
                let count = error.issues.count
                ToolRunner.printError("\(tool): \(count) error\(count == 1 ? "" : "s") in config/\(TradingHoursConfig.fileName) (exit \(ExitStatus.configError.rawValue))")
                setup.logger.error("trading hours configuration invalid", metadata: ["config.errors": "\(count)"])
                return .configError
            }
            if let error = setup.configurationError {
                let count = error.issues.count
                ToolRunner.printError("\(tool): warning: the configuration has \(count) error\(count == 1 ? "" : "s") "
                                      + "outside \(TradingHoursConfig.fileName); run config-check")
            }
            return try body(calendar, setup)
        }
    }

    /// A `YYYY-MM-DD` argument, or a usage error that says so.
    static func parseDate(_ text: String?, _ name: String) throws -> LocalDate? {
        guard let text else { return nil }
        guard let date = LocalDate(text) else {
            throw ValidationError("\(name) must be a date written YYYY-MM-DD (e.g. 2026-01-27), got '\(text)'")
        }
        return date
    }

    static func printJSON<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        ToolRunner.printOut(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// A day as JSON: whether it trades, its session or why not.
    struct DayJSON: Encodable {
        let date: String
        let weekday: String
        let tradingDay: Bool
        let session: SessionJSON?
        /// `holiday` or `weekend` when the exchange is closed.
        let closed: String?
        let holiday: String?
        let nextTradingDay: String?
        let text: String

        init(_ date: LocalDate, _ calendar: TradingCalendar) {
            let answer = CalendarAnswers.answer(for: date, in: calendar)
            self.date = date.description
            weekday = date.weekdayName
            tradingDay = answer.isTradingDay
            session = calendar.session(on: date).map(SessionJSON.init)
            switch calendar.nonTradingReason(on: date) {
            case .holiday?: closed = "holiday"
            case .weekend?: closed = "weekend"
            case nil: closed = nil
            }
            holiday = calendar.holidayName(on: date)
            nextTradingDay = answer.isTradingDay ? nil : calendar.nextTradingDay(after: date).description
            text = answer.line
        }

        enum CodingKeys: String, CodingKey {
            case date, weekday, tradingDay = "trading_day", session, closed, holiday
            case nextTradingDay = "next_trading_day", text
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(date, forKey: .date)
            try c.encode(weekday, forKey: .weekday)
            try c.encode(tradingDay, forKey: .tradingDay)
            try c.encode(session, forKey: .session)
            try c.encode(closed, forKey: .closed)
            try c.encode(holiday, forKey: .holiday)
            try c.encode(nextTradingDay, forKey: .nextTradingDay)
            try c.encode(text, forKey: .text)
        }
    }

    struct WindowJSON: Encodable {
        let open: String
        let close: String
        init(_ w: TradingCalendar.Window) { open = w.open.description; close = w.close.description }
    }

    struct SessionJSON: Encodable {
        let date: String
        let kind: String
        let name: String
        let open: String
        let close: String
        let openUTC: String
        let closeUTC: String
        let preOpen: WindowJSON?
        let closingAuction: WindowJSON?
        let closingSession: WindowJSON?
        let holiday: String?

        init(_ s: TradingCalendar.Session) {
            date = s.date.description
            kind = s.kind.rawValue
            name = s.name
            open = s.open.description
            close = s.close.description
            openUTC = CommandLineInstant.utcText(s.openEpochSeconds)
            closeUTC = CommandLineInstant.utcText(s.closeEpochSeconds)
            preOpen = s.preOpen.map(WindowJSON.init)
            closingAuction = s.closingAuction.map(WindowJSON.init)
            closingSession = s.closingSession.map(WindowJSON.init)
            holiday = s.holidayName
        }

        enum CodingKeys: String, CodingKey {
            case date, kind, name, open, close, openUTC = "open_utc", closeUTC = "close_utc", preOpen = "pre_open"
            case closingAuction = "closing_auction", closingSession = "closing_session", holiday
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(date, forKey: .date)
            try c.encode(kind, forKey: .kind)
            try c.encode(name, forKey: .name)
            try c.encode(open, forKey: .open)
            try c.encode(close, forKey: .close)
            try c.encode(openUTC, forKey: .openUTC)
            try c.encode(closeUTC, forKey: .closeUTC)
            try c.encode(preOpen, forKey: .preOpen)
            try c.encode(closingAuction, forKey: .closingAuction)
            try c.encode(closingSession, forKey: .closingSession)
            try c.encode(holiday, forKey: .holiday)
        }
    }
}

extension TradingCalendarCommand {
    public struct IsTradingDay: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "is-trading-day",
            abstract: "Exit 0 and print the session when DATE is a trading day; exit 1 and say why when it is not.",
            discussion: """
                Prints one line: '2026-01-27 normal session 09:15–15:30 IST', a special session \
                (Muhurat trading, a Budget-day weekend session) with its name, or \
                '2026-01-26 is a holiday: Republic Day; next trading day 2026-01-27'.
                """)

        @OptionGroup public var common: CommonOptions

        @Argument(help: ArgumentHelp("The date, YYYY-MM-DD (IST). Default: today in IST.", valueName: "date"))
        public var date: String?

        public init() {}

        public func validate() throws { _ = try TradingCalendarCommand.parseDate(date, "DATE") }

        public func run() async throws {
            try await TradingCalendarCommand.run(common, subcommand: "is-trading-day") { calendar, setup in
                let day = try TradingCalendarCommand.parseDate(date, "DATE") ?? IST.today()
                let answer = CalendarAnswers.answer(for: day, in: calendar)
                if common.json {
                    try TradingCalendarCommand.printJSON(DayJSON(day, calendar))
                } else {
                    ToolRunner.printOut(answer.line)
                }
                setup.logger.info("trading day asked", metadata: ["date": "\(day)", "trading_day": "\(answer.isTradingDay)"])
                return answer.isTradingDay ? .ok : .failure
            }
        }
    }

    public struct Session: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Print the full session of DATE: hours, pre-open, closing auction and closing session.",
            discussion: "Exits 0 on a trading day, 1 (saying why) when the exchange is closed.")

        @OptionGroup public var common: CommonOptions

        @Argument(help: ArgumentHelp("The date, YYYY-MM-DD (IST). Default: today in IST.", valueName: "date"))
        public var date: String?

        public init() {}

        public func validate() throws { _ = try TradingCalendarCommand.parseDate(date, "DATE") }

        public func run() async throws {
            try await TradingCalendarCommand.run(common, subcommand: "session") { calendar, setup in
                let day = try TradingCalendarCommand.parseDate(date, "DATE") ?? IST.today()
                let session = calendar.session(on: day)
                if common.json {
                    try TradingCalendarCommand.printJSON(DayJSON(day, calendar))
                } else if let session {
                    ToolRunner.printOut(session.description)
                } else {
                    ToolRunner.printOut(CalendarAnswers.answer(for: day, in: calendar).line)
                }
                setup.logger.info("session asked", metadata: ["date": "\(day)", "trading_day": "\(session != nil)"])
                return session != nil ? .ok : .failure
            }
        }
    }

    public struct Next: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Print the first trading day after DATE and its session.")

        @OptionGroup public var common: CommonOptions

        @Argument(help: ArgumentHelp("The date to start after, YYYY-MM-DD (IST). Default: today in IST.", valueName: "date"))
        public var date: String?

        public init() {}

        public func validate() throws { _ = try TradingCalendarCommand.parseDate(date, "DATE") }

        public func run() async throws {
            try await TradingCalendarCommand.run(common, subcommand: "next") { calendar, setup in
                let day = try TradingCalendarCommand.parseDate(date, "DATE") ?? IST.today()
                let next = calendar.nextTradingDay(after: day)
                if common.json {
                    try TradingCalendarCommand.printJSON(DayJSON(next, calendar))
                } else {
                    ToolRunner.printOut(CalendarAnswers.answer(for: next, in: calendar).line)
                }
                setup.logger.info("next trading day asked", metadata: ["date": "\(day)", "next": "\(next)"])
                return .ok
            }
        }
    }

    public struct MinutesToClose: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "minutes-to-close",
            abstract: "Print the whole minutes until continuous trading closes; exit 1 when the market is closed.",
            discussion: """
                Minutes are rounded down (15:29:30 gives 0). When the market is closed it prints \
                'closed' and why, and exits 1.
                """)

        @OptionGroup public var common: CommonOptions

        @Option(name: .long, help: ArgumentHelp(
            "The instant to ask about, ISO-8601: 2026-01-27T15:00:00+05:30, 2026-01-27T09:30:00Z, or without an offset for IST. Default: now.",
            valueName: "instant"))
        public var at: String?

        public init() {}

        public func validate() throws { _ = try parsedInstant() }

        func parsedInstant() throws -> Int64? {
            guard let at else { return nil }
            guard let seconds = IST.epochSeconds(iso8601: at) else {
                throw ValidationError("--at must be an ISO-8601 instant such as 2026-01-27T15:00:00+05:30 or "
                                      + "2026-01-27T09:30:00Z (no offset means IST), got '\(at)'")
            }
            return seconds
        }

        struct Output: Encodable {
            let at: String
            let open: Bool
            let minutesToClose: Int?
            let phase: String
            let session: SessionJSON?
            let text: String

            enum CodingKeys: String, CodingKey {
                case at, open, minutesToClose = "minutes_to_close", phase, session, text
            }

            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(at, forKey: .at)
                try c.encode(open, forKey: .open)
                try c.encode(minutesToClose, forKey: .minutesToClose)
                try c.encode(phase, forKey: .phase)
                try c.encode(session, forKey: .session)
                try c.encode(text, forKey: .text)
            }
        }

        public func run() async throws {
            try await TradingCalendarCommand.run(common, subcommand: "minutes-to-close") { calendar, setup in
                let instant = try parsedInstant() ?? IST.epochSeconds(Date())
                let local = calendar.localDateTime(at: instant)
                let minutes = calendar.minutesToClose(at: instant)
                let session = calendar.session(on: local.date)
                let text: String
                if let minutes {
                    text = "\(minutes)"
                } else if let session {
                    let when = instant < session.openEpochSeconds ? "opens at \(session.open)" : "closed at \(session.close)"
                    text = "closed: \(CommandLineInstant.istText(instant)) is outside the session (\(CalendarAnswers.sessionLine(session)); \(when) IST)"
                } else {
                    text = "closed: \(CalendarAnswers.answer(for: local.date, in: calendar).line)"
                }
                if common.json {
                    try TradingCalendarCommand.printJSON(Output(
                        at: CommandLineInstant.istText(instant), open: minutes != nil, minutesToClose: minutes,
                        phase: calendar.phase(at: instant).rawValue, session: session.map(SessionJSON.init), text: text))
                } else {
                    ToolRunner.printOut(text)
                }
                setup.logger.info("minutes to close asked", metadata: [
                    "at": "\(CommandLineInstant.istText(instant))", "minutes_to_close": "\(minutes.map(String.init) ?? "closed")"])
                return minutes != nil ? .ok : .failure
            }
        }
    }

    public struct Holidays: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "List the exchange holidays configured for a year (and any special session on them).",
            discussion: "Exits 1, saying so on standard error, when the year has no holidays configured.")

        @OptionGroup public var common: CommonOptions

        @Option(name: .long, help: ArgumentHelp("The year, YYYY. Default: this year in IST.", valueName: "year"))
        public var year: String?

        public init() {}

        public func validate() throws { _ = try parsedYear() }

        func parsedYear() throws -> Int? {
            guard let year else { return nil }
            guard year.count == 4, year.allSatisfy(\.isASCII), let value = Int(year), value >= 1900 else {
                throw ValidationError("--year must be a year written YYYY (e.g. 2026), got '\(year)'")
            }
            return value
        }

        struct HolidayJSON: Encodable {
            let date: String
            let weekday: String
            let name: String
            let specialSession: SessionJSON?

            enum CodingKeys: String, CodingKey { case date, weekday, name, specialSession = "special_session" }

            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(date, forKey: .date)
                try c.encode(weekday, forKey: .weekday)
                try c.encode(name, forKey: .name)
                try c.encode(specialSession, forKey: .specialSession)
            }
        }

        struct Output: Encodable {
            let year: Int
            let holidays: [HolidayJSON]
        }

        public func run() async throws {
            try await TradingCalendarCommand.run(common, subcommand: "holidays") { calendar, setup in
                let year = try parsedYear() ?? IST.today().year
                let holidays = CalendarAnswers.holidays(in: year, of: calendar)
                if common.json {
                    try TradingCalendarCommand.printJSON(Output(year: year, holidays: holidays.map { h in
                        let special = calendar.specialSession(on: h.date) != nil ? calendar.session(on: h.date) : nil
                        return HolidayJSON(date: h.date.description, weekday: h.date.weekdayName, name: h.name,
                                           specialSession: special.map(SessionJSON.init))
                    }))
                } else {
                    for h in holidays {
                        var line = "\(h.date)  \(h.date.weekdayName.padding(toLength: 9, withPad: " ", startingAt: 0))  \(h.name)"
                        if calendar.specialSession(on: h.date) != nil, let session = calendar.session(on: h.date) {
                            line += "  [special session \(session.hours.session) IST: \(session.name)]"
                        }
                        ToolRunner.printOut(line)
                    }
                }
                setup.logger.info("holidays listed", metadata: ["year": "\(year)", "holidays": "\(holidays.count)"])
                if holidays.isEmpty {
                    ToolRunner.printError("trading-calendar holidays: no holidays configured for \(year) in config/\(TradingHoursConfig.fileName)")
                    return .failure
                }
                return .ok
            }
        }
    }
}

/// Instants as `trading-calendar` prints them (the `--at` text is read by `IST.epochSeconds(iso8601:)`).
enum CommandLineInstant {
    /// `2026-01-27T15:00:00+05:30`.
    static func istText(_ epochSeconds: Int64) -> String {
        let local = IST.dateTime(epochSeconds: epochSeconds)
        return "\(local.date)T\(local.time):\(local.second < 10 ? "0" : "")\(local.second)+05:30"
    }

    /// `2026-01-27T09:30:00Z`.
    static func utcText(_ epochSeconds: Int64) -> String {
        let days = Int(IST.floorDiv(epochSeconds, 86_400))
        let second = Int(epochSeconds - Int64(days) * 86_400)
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(LocalDate(daysSinceEpoch: days))T\(pad(second / 3_600)):\(pad(second / 60 % 60)):\(pad(second % 60))Z"
    }
}
