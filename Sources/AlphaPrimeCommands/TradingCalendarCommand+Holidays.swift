import AlphaPrimeDomain
import AlphaPrimeOps
import ArgumentParser
import Foundation

extension TradingCalendarCommand {
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
            try await TradingCalendarCommand.answer(common, subcommand: "holidays") { calendar in
                let year = try parsedYear() ?? MarketClock.today().year
                let holidays = CalendarAnswers.holidays(in: year, of: calendar)
                // The special session held on a holiday (Muhurat trading), if any.
                func specialSession(on date: LocalDate) -> TradingCalendar.Session? {
                    calendar.specialSession(on: date) != nil ? calendar.session(on: date) : nil
                }
                let lines = holidays.map { h in
                    var line = "\(h.date)  \(h.date.weekdayName.padding(toLength: 9, withPad: " ", startingAt: 0))  \(h.name)"
                    if let session = specialSession(on: h.date) {
                        line += "  [special session \(session.hours.session) IST: \(session.name)]"
                    }
                    return line
                }
                let json = Output(year: year, holidays: holidays.map { h in
                    HolidayJSON(date: h.date.description, weekday: h.date.weekdayName, name: h.name,
                                specialSession: specialSession(on: h.date).map(SessionJSON.init))
                })
                return Answer(
                    lines: lines, json: json, yes: !holidays.isEmpty,
                    logMessage: "holidays listed", logMetadata: ["year": "\(year)", "holidays": "\(holidays.count)"],
                    whyNot: "trading-calendar holidays: no holidays configured for \(year) in config/\(TradingHoursConfig.fileName)")
            }
        }
    }
}
