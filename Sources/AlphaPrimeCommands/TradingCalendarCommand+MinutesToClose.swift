import AlphaPrimeDomain
import AlphaPrimeOps
import ArgumentParser
import Foundation

extension TradingCalendarCommand {
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
            try await TradingCalendarCommand.answer(common, subcommand: "minutes-to-close") { calendar in
                let instant = try parsedInstant() ?? MarketClock.instant()
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
                let at = CommandLineInstant.istText(instant)
                return Answer(
                    lines: [text],
                    json: Output(at: at, open: minutes != nil, minutesToClose: minutes, phase: calendar.phase(at: instant).rawValue,
                                 session: session.map(SessionJSON.init), text: text),
                    yes: minutes != nil, logMessage: "minutes to close asked",
                    logMetadata: ["at": "\(at)", "minutes_to_close": "\(minutes.map(String.init) ?? "closed")"])
            }
        }
    }
}
