import AlphaPrimeDomain
import AlphaPrimeOps
import ArgumentParser

// Questions about one day: is it a trading day, what is its session, which day trades next.

extension TradingCalendarCommand {
    /// DATE of `is-trading-day` and `session`.
    enum AskedDay: DayArgumentHelp {
        static let help = ArgumentHelp("The date, YYYY-MM-DD (IST). Default: today in IST.", valueName: "date")
    }

    /// DATE of `next`.
    enum DayBefore: DayArgumentHelp {
        static let help = ArgumentHelp("The date to start after, YYYY-MM-DD (IST). Default: today in IST.", valueName: "date")
    }

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
        @OptionGroup var date: DayArgument<AskedDay>

        public init() {}

        public func run() async throws {
            try await TradingCalendarCommand.answer(common, subcommand: "is-trading-day") { calendar in
                let day = try date.day()
                let answer = CalendarAnswers.answer(for: day, in: calendar)
                return Answer(lines: [answer.line], json: DayJSON(day, calendar), yes: answer.isTradingDay,
                              logMessage: "trading day asked",
                              logMetadata: ["date": "\(day)", "trading_day": "\(answer.isTradingDay)"])
            }
        }
    }

    public struct Session: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Print the full session of DATE: hours, pre-open, closing auction and closing session.",
            discussion: "Exits 0 on a trading day, 1 (saying why) when the exchange is closed.")

        @OptionGroup public var common: CommonOptions
        @OptionGroup var date: DayArgument<AskedDay>

        public init() {}

        public func run() async throws {
            try await TradingCalendarCommand.answer(common, subcommand: "session") { calendar in
                let day = try date.day()
                let session = calendar.session(on: day)
                return Answer(lines: [session?.description ?? CalendarAnswers.answer(for: day, in: calendar).line],
                              json: DayJSON(day, calendar), yes: session != nil,
                              logMessage: "session asked", logMetadata: ["date": "\(day)", "trading_day": "\(session != nil)"])
            }
        }
    }

    public struct Next: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Print the first trading day after DATE and its session.")

        @OptionGroup public var common: CommonOptions
        @OptionGroup var date: DayArgument<DayBefore>

        public init() {}

        public func run() async throws {
            try await TradingCalendarCommand.answer(common, subcommand: "next") { calendar in
                let day = try date.day()
                let next = calendar.nextTradingDay(after: day)
                return Answer(lines: [CalendarAnswers.answer(for: next, in: calendar).line], json: DayJSON(next, calendar),
                              yes: true, logMessage: "next trading day asked", logMetadata: ["date": "\(day)", "next": "\(next)"])
            }
        }
    }
}
