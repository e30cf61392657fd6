import AlphaPrimeSupport
import AlphaPrimeDomain
import ArgumentParser
import Foundation
import Logging

/// `trading-calendar`: the NSE calendar of `config/trading_hours.yaml`, for runbooks and people.
///
/// Every answer is one line on standard output (or JSON with `--json`) and an exit code a script
/// can branch on: 0 yes / open, 1 no / closed, 64 a bad date or flag, 78 a broken
/// `trading_hours.yaml`. Problems in other configuration files do not stop it: it answers and
/// says on standard error that the configuration needs `config-check`.
///
/// Each subcommand only works out its answer (``Answer``); ``answer(_:subcommand:_:)`` loads the
/// calendar, prints the answer and turns it into the exit code.
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
}

// MARK: The scaffold every subcommand shares

extension TradingCalendarCommand {
    /// A subcommand's answer, ready to print.
    struct Answer {
        /// The answer as text: one line each (none when there is nothing to list).
        var lines: [String]
        /// The same answer for `--json`.
        var json: any Encodable
        /// Yes (or open) exits 0, no (or closed) exits 1.
        var yes: Bool
        /// The line that records the question in the tool's log.
        var logMessage: Logger.Message
        var logMetadata: Logger.Metadata
        /// Said on standard error, after the answer, when it is a no.
        var whyNot: String? = nil
    }

    /// Loads the calendar, asks `question` and prints its answer: the lines, or the JSON with
    /// `--json`. The answer's yes or no is the exit code (0 or 1); a broken `trading_hours.yaml`
    /// is listed on standard error and exits 78.
    static func answer(_ common: CommonOptions, subcommand: String,
                       _ question: (TradingCalendar) throws -> Answer) async throws {
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
            let answer = try question(calendar)
            if common.json {
                try printJSON(answer.json)
            } else {
                for line in answer.lines { ToolRunner.printOut(line) }
            }
            setup.logger.info(answer.logMessage, metadata: answer.logMetadata)
            if answer.yes { return .ok }
            if let whyNot = answer.whyNot { ToolRunner.printError(whyNot) }
            return .failure
        }
    }

    /// The optional DATE argument of a question about a day, checked as the command line is read.
    /// `Help` words its help, the one thing that differs between the subcommands taking it.
    struct DayArgument<Help: DayArgumentHelp>: ParsableArguments {
        @Argument(help: Help.help) var date: String?

        func validate() throws { _ = try TradingCalendarCommand.parseDate(date, "DATE") }

        /// The date given, else today in IST.
        func day() throws -> LocalDate { try TradingCalendarCommand.parseDate(date, "DATE") ?? MarketClock.today() }
    }

    /// A `YYYY-MM-DD` argument, or a usage error that says so.
    static func parseDate(_ text: String?, _ name: String) throws -> LocalDate? {
        guard let text else { return nil }
        guard let date = LocalDate(text) else {
            throw ValidationError("\(name) must be a date written YYYY-MM-DD (e.g. 2026-01-27), got '\(text)'")
        }
        return date
    }

    static func printJSON(_ value: any Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        ToolRunner.printOut(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// The help of a subcommand's DATE argument.
protocol DayArgumentHelp {
    static var help: ArgumentHelp { get }
}
