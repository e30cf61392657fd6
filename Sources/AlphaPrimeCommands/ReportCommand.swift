import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimePaper
import ArgumentParser
import Foundation

/// `report daily|weekly|monthly`: the trader's reports, read from the state database and written
/// under `reports/` (report.html, summary.json, summary.txt, trades.csv). Prints summary.txt (or,
/// with `--json`, summary.json) on stdout.
public struct ReportCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the daily, weekly and monthly performance reports from the state database.",
        discussion: """
            Each report is a folder under reports/: reports/daily/YYYY-MM-DD, reports/weekly/YYYY-Www, \
            reports/monthly/YYYY-MM, holding report.html (one self-contained page), summary.json, summary.txt \
            and trades.csv. A rerun replaces the folder whole. A day without trades or a holiday gets a page \
            that says so, and exit 0.
            """,
        version: AlphaPrimeVersion.string,
        subcommands: [Daily.self, Weekly.self, Monthly.self])

    /// The shared flags, also accepted before the subcommand.
    @OptionGroup public var common: CommonOptions

    public init() {}

    /// The flags every report takes.
    public struct Options: ParsableArguments, Sendable {
        @OptionGroup public var common: CommonOptions

        @Option(name: .long, help: ArgumentHelp("The account to report on: paper or live. Defaults to the mode that traded (live if a live session ran in the period).", valueName: "mode"))
        public var mode: String?

        @Option(name: .long, help: ArgumentHelp("The risk preset whose prop-firm rules the report measures (config/risk_config_NAME.yaml), as the engine ran with.", valueName: "name"))
        public var riskPreset: String?

        public init() {}

        public func validate() throws { _ = try tradingMode() }

        func tradingMode() throws -> TradingMode? {
            guard let mode else { return nil }
            switch mode {
            case "paper": return .paper
            case "live": return .live
            default: throw ValidationError("--mode expects paper or live, got '\(mode)'")
            }
        }
    }

    public struct Daily: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "daily", abstract: "The report of one trading day (default: today, IST).")
        @OptionGroup public var options: Options
        @ParentCommand var parent: ReportCommand
        @Option(name: .long, help: ArgumentHelp("The day, YYYY-MM-DD.", valueName: "date")) public var date: String?
        public init() {}

        public func validate() throws { _ = try ReportCommand.date(date, flag: "--date") }

        public func run() async throws {
            let day = try ReportCommand.date(date, flag: "--date") ?? ReportCommand.today()
            try await ReportCommand.write(.daily(day), options: options, parent: parent)
        }
    }

    public struct Weekly: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "weekly", abstract: "The report of one ISO week, Monday to Sunday (default: this week).")
        @OptionGroup public var options: Options
        @ParentCommand var parent: ReportCommand
        @Option(name: .customLong("week-of"), help: ArgumentHelp("Any day of the week, YYYY-MM-DD.", valueName: "date")) public var weekOf: String?
        public init() {}

        public func validate() throws { _ = try ReportCommand.date(weekOf, flag: "--week-of") }

        public func run() async throws {
            let day = try ReportCommand.date(weekOf, flag: "--week-of") ?? ReportCommand.today()
            try await ReportCommand.write(.weekly(containing: day), options: options, parent: parent)
        }
    }

    public struct Monthly: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "monthly", abstract: "The report of one calendar month (default: this month so far).")
        @OptionGroup public var options: Options
        @ParentCommand var parent: ReportCommand
        @Option(name: .long, help: ArgumentHelp("The month, YYYY-MM.", valueName: "month")) public var month: String?
        public init() {}

        public func validate() throws {
            if let month, ReportPeriod.monthly(month) == nil { throw ValidationError("--month expects a month as YYYY-MM, got '\(month)'") }
        }

        public func run() async throws {
            let today = try ReportCommand.today()
            let period = month.flatMap(ReportPeriod.monthly) ?? ReportPeriod.monthly(year: today.year, month: today.month)!
            try await ReportCommand.write(period, options: options, parent: parent)
        }
    }

    static func date(_ text: String?, flag: String) throws -> LocalDate? {
        guard let text else { return nil }
        guard let date = LocalDate(text) else { throw ValidationError("\(flag) expects a date as YYYY-MM-DD, got '\(text)'") }
        return date
    }

    static func today() throws -> LocalDate { try MarketClock.today() }

    static func write(_ period: ReportPeriod, options: Options, parent: ReportCommand) async throws {
        try await ToolRunner.run(tool: "report \(period.kind.rawValue)") {
            let common = EngineCommand.merged(options.common, parent.common)
            let context = try ToolContext.load(common, tool: "report", riskPreset: options.riskPreset)
            guard let store = try EngineCommand.existingStore(context) else {
                throw ReportError.noDatabase(context.databaseURL.description)
            }
            guard try store.engineSchemaStatus().hasEngineTables else { throw ReportError.noDatabase(context.databaseURL.description) }
            let setup = try EngineSetup(configuration: context.configuration)
            let mode = try options.tradingMode() ?? PeriodReportInput.tradedMode(store: store, period: period)
            let settings = try reportSettings(context, setup: setup)
            let started = DispatchTime.now().uptimeNanoseconds
            func make(_ period: ReportPeriod) throws -> PeriodReport {
                let input = try PeriodReportInput.load(
                    store: store, period: period, mode: mode, calendar: context.calendar, settings: settings,
                    positions: { try BrokerAccounts.recordedBook(for: mode, store: store, setup: setup).positions() })
                var report = PeriodReport(input, generatedAt: UTCTimestamp(Date()))
                (report.drift, report.driftNote) = ReportCommand.drift(report, context: context, store: store, setup: setup)
                return report
            }
            var report = try make(period)
            if period.kind == .monthly {
                // The scaling advisor reads this month and the ones before it.
                let lifecycle = context.configuration.general.lifecycleSettings
                var months = [report]
                while months.count < lifecycle.stableMonths {
                    months.insert(try make(ReportPeriod.previousMonth(of: months[0].period.first)), at: 0)
                }
                report.scaling = ScalingAdvisor.advise(months: months, risk: context.configuration.risk,
                                                       riskFile: RiskConfig.fileName(preset: context.configuration.riskPreset),
                                                       settings: lifecycle, capital: setup.startingCapital)
            }
            let folder = try PeriodReportWriter.write(report, reportsDirectory: context.directory(context.configuration.general.paths.reports))
            let millis = (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
            context.logger.notice("report written", metadata: [
                "report": "\(period)", "mode": "\(mode.rawValue)", "folder": "\(folder.path)", "trades": "\(report.trades.count)",
                "pnl.net": "\(Paise(report.netPnL))", "duration_ms": "\(millis)"])
            if common.json {
                ToolRunner.printOut(String(decoding: try Data(contentsOf: folder.appending(path: "summary.json")), as: UTF8.self)
                    .trimmingCharacters(in: .newlines))
            } else {
                ToolRunner.printOut(report.summaryText.trimmingCharacters(in: .newlines))
                ToolRunner.printOut("written: \(folder.path)")
            }
            return .ok
        }
    }
}

extension ReportCommand {
    /// The engine's days of the report against the same days re-run through the backtester on the
    /// bars stored for them (the market data a replay read; a live session's bars, moved there at its
    /// close), the strategies warmed on the two sessions before and at their live stage's share in
    /// live mode. Days the engine did not run are left out. A drift that cannot be measured is a
    /// note in the report, never a failed report.
    static func drift(_ report: PeriodReport, context: ToolContext, store: StateRepository, setup engineSetup: EngineSetup)
        -> (PeriodReport.Drift?, String?) {
        let days = report.days.filter { $0.tradingDay && ($0.sessionStatus != nil || $0.trades > 0) }
        guard !days.isEmpty else { return (nil, "no engine session in the period") }
        do {
            var setup = engineSetup
            if report.mode == .live { _ = try StrategyLifecycle(context: context, store: store).applyLiveStages(to: &setup) }
            let market = MarketDataStore(home: context.home)
            var measured: [(date: LocalDate, drift: [StrategyDrift])] = []
            var missing: [LocalDate] = []
            for day in days {
                guard let drift = try DayDrift.measure(date: day.date, setup: setup, calendar: context.calendar, store: market,
                                                       openingEquity: day.startEquity ?? report.openingEquity, engineTrades: report.trades)
                else { missing.append(day.date); continue }
                measured.append((day.date, drift))
            }
            let note = missing.isEmpty ? nil
                : "no stored bars for \(missing.map(\.description).joined(separator: ", ")): those days are left out of the drift"
            return measured.isEmpty ? (nil, note) : (PeriodReport.Drift(days: measured), note)
        } catch {
            context.logger.warning("drift not measured", metadata: ["error": "\(error)"])
            return (nil, "not measured: \(error)")
        }
    }

    /// What a trading report takes from the configuration (the dashboard's pages too).
    static func reportSettings(_ context: ToolContext, setup: EngineSetup) throws -> PeriodReportSettings {
        let costs = try CostModel(instrumentKinds: setup.instrumentKinds)
        let symbols = Dictionary(setup.instruments.enumerated().map { ($0.element.symbol, $0.offset) }, uniquingKeysWith: { a, _ in a })
        return PeriodReportSettings(
            startingCapital: setup.startingCapital, riskPreset: context.configuration.riskPreset,
            propFirm: context.configuration.risk.propFirm,
            itemize: { fill in
                symbols[fill.symbol].map {
                    costs.breakdown(side: fill.side, quantity: fill.fill.quantity, price: fill.fill.price.value, product: fill.product,
                                    symbol: $0, time: fill.fill.filledAt.microseconds / 1_000_000)
                }
            })
    }
}

/// Why a report could not be made.
enum ReportError: Error, CustomStringConvertible, ExitStatusProviding {
    case noDatabase(String)

    var description: String {
        switch self {
        case .noDatabase(let url):
            "no engine has written to the state database \(url) (run the engine first, or db-maintenance migrate)"
        }
    }

    var exitStatus: ExitStatus { .noInput }
}

extension ToolContext {
    /// A configured directory (`paths.*`), relative to the home unless absolute.
    func directory(_ configured: String) -> URL {
        configured.hasPrefix("/") ? URL(filePath: configured, directoryHint: .isDirectory)
            : home.root.appending(path: configured, directoryHint: .isDirectory)
    }
}
