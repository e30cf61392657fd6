import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import Foundation

/// What the dashboard's pages show, read from the state database (a new connection per page, in
/// short read transactions, so the engine's checkpoints are never held up) and the home's files.
struct DashboardData: Sendable {
    let context: ToolContext

    var setup: EngineSetup { get throws { try EngineSetup(configuration: context.configuration) } }

    func store() throws -> StateRepository? {
        guard let store = try EngineCommand.existingStore(context), try store.engineSchemaStatus().hasEngineTables else { return nil }
        return store
    }

    /// The mode a page shows: the one asked for, else the running engine's, else live when only live has run.
    func mode(asked: String?, store: StateRepository?) throws -> TradingMode {
        if let asked, let mode = TradingMode(rawValue: asked), mode == .paper || mode == .live { return mode }
        guard let store else { return .paper }
        if let holder = try store.engineLockHolder(), let mode = holder.mode.flatMap(EngineMode.init(rawValue:))?.tradingMode,
           mode == .paper || mode == .live {
            return mode
        }
        if try store.latestEngineSession(mode: .paper) == nil, try store.latestEngineSession(mode: .live) != nil { return .live }
        return .paper
    }

    /// The day the pages call "today": the shown mode's latest session, else the calendar's today.
    func sessionDay(_ store: StateRepository?, mode: TradingMode) throws -> LocalDate {
        if let session = try store?.latestEngineSession(mode: mode) { return session.tradingDate }
        return try MarketClock.today()
    }

    /// "market open until 15:30 IST" or why it is closed; and whether it is open now.
    func market() throws -> (text: String, open: Bool) {
        let now = try MarketClock.instant()
        let today = IST.dateTime(epochSeconds: now).date
        guard let session = context.calendar.session(on: today) else {
            return ("market closed today (\(context.calendar.explain(today)))", false)
        }
        if now < session.openEpochSeconds { return ("market opens at \(IST.dateTime(epochSeconds: session.openEpochSeconds).time) IST", false) }
        if now >= session.closeEpochSeconds { return ("market closed at \(IST.dateTime(epochSeconds: session.closeEpochSeconds).time) IST", false) }
        return ("market open until \(IST.dateTime(epochSeconds: session.closeEpochSeconds).time) IST", true)
    }

    // MARK: Pages

    func overview(store: StateRepository?, mode: TradingMode) throws -> DashboardHTML.Overview {
        guard let store else {
            return DashboardHTML.Overview(status: EngineControl.StatusReport(database: context.databaseURL.description, running: false, engine: nil, modes: []),
                                          feed: nil, grossToday: 0, chargesToday: 0, workingOrders: [], riskEvents: [])
        }
        let setup = try setup
        let status = try EngineControl.status(store: store, accounts: { BrokerAccounts.recordedBook(for: $0, store: store, setup: setup) },
                                              calendar: context.calendar)
        var feed: String?
        if let holder = status.engine, holder.mode.flatMap(EngineMode.init(rawValue:))?.tradingMode == mode,
           let report = LiveFeedReport.read(home: context.home, mode: mode) {
            feed = EngineCommand.Status.feedLine(report)
        }
        var live: String?
        if let holder = status.engine, holder.mode.flatMap(EngineMode.init(rawValue:))?.tradingMode == mode {
            let cache = LiveCacheView.read(context, modes: [mode])
            live = cache.states[mode.rawValue].map { LiveCacheView.line($0) }
                ?? cache.problem.map { "the live-state cache cannot be read (\($0)); the figures are the database's" }
        }
        let day = try sessionDay(store, mode: mode)
        let (from, before) = (ReportPeriod.daily(day).from, ReportPeriod.daily(day).before)
        return try store.readTransaction {
            let trades = try store.trades(mode: mode, exitedFrom: from, before: before)
            return DashboardHTML.Overview(
                status: status, feed: feed, grossToday: trades.reduce(0) { $0 + $1.grossPnl.value },
                chargesToday: trades.reduce(0) { $0 + $1.charges.value },
                workingOrders: try store.openOrders(mode: mode),
                riskEvents: try store.riskEvents(mode: mode, from: from, before: before), live: live)
        }
    }

    func strategies(store: StateRepository?, mode: TradingMode) throws -> (rows: [DashboardHTML.StrategyRow], day: LocalDate, window: ReportPeriod, trades: [TradeRecord]) {
        let day = try sessionDay(store, mode: mode)
        let window = ReportPeriod.range(day.adding(days: -29), day)
        var trades: [TradeRecord] = [], orders: [OrderRecord] = [], events: [RiskEventRecord] = []
        var comparison: [String: PeriodReport.Comparison] = [:]
        var halted: String?
        if let store {
            let (from, before) = (ReportPeriod.daily(day).from, ReportPeriod.daily(day).before)
            try store.readTransaction {
                trades = try store.trades(mode: mode, exitedFrom: from, before: before)
                orders = try store.orders(mode: mode, createdFrom: from, before: before)
                events = try store.riskEvents(mode: mode, from: from, before: before)
                halted = try store.engineSession(mode: mode, date: day)?.haltedReason
            }
            let report = try performance(store: store, mode: mode, period: window)
            for c in report.comparison { comparison[c.strategy] = c }
        }
        // Lifecycle stages (migration 8); a database not migrated that far has none to show.
        var stages: [String: String] = [:]
        if let store, (try? store.engineSchemaStatus().pendingMigrations) == 0 {
            for s in context.configuration.strategies {
                stages[s.name] = (try? store.currentStage(StrategyIdentity(config: s)))?.map(\.stage.rawValue) ?? StrategyStage.research.rawValue
            }
        }
        let stops: Set<String> = ["paused", "halted_for_day", "halted"]
        let rows = context.configuration.strategies.map { s in
            let own = events.filter { $0.strategy == s.name }
            let pause = events.last { stops.contains($0.action) && ($0.strategy == nil || $0.strategy == s.name) }
            let mine = trades.filter { $0.strategy == s.name }
            return DashboardHTML.StrategyRow(
                name: s.name, symbol: s.symbols.joined(separator: ", "), enabled: s.enabled,
                paused: halted ?? pause.map { "\(IST.dateTime($0.occurredAt.date).time) \($0.rule): \($0.message)" },
                ordersToday: orders.filter { $0.strategy == s.name }.count,
                rejectedToday: own.filter { $0.action == "rejected" }.count,
                tradesToday: mine.count, netToday: mine.reduce(0) { $0 + $1.netPnl.value }, comparison: comparison[s.name],
                stage: stages[s.name])
        }
        return (rows, day, window, trades)
    }

    func performance(store: StateRepository, mode: TradingMode, period: ReportPeriod) throws -> PeriodReport {
        let setup = try setup
        let settings = try ReportCommand.reportSettings(context, setup: setup)
        let input = try PeriodReportInput.load(store: store, period: period, mode: mode, calendar: context.calendar, settings: settings,
                                               positions: { try BrokerAccounts.recordedBook(for: mode, store: store, setup: setup).positions() })
        return PeriodReport(input, generatedAt: UTCTimestamp(Date()))
    }

    /// The generated reports' pages under `reports/` (each kind's folders holding a `report.html`).
    func reports() -> [DashboardHTML.ReportLink] {
        let root = context.directory(context.configuration.general.paths.reports)
        let files = FileManager.default
        var links: [DashboardHTML.ReportLink] = []
        for kind in (try? files.contentsOfDirectory(atPath: root.path)) ?? [] where !kind.hasPrefix(".") {
            for name in (try? files.contentsOfDirectory(atPath: root.appending(path: kind).path)) ?? [] where !name.hasPrefix(".") {
                let page = root.appending(path: kind).appending(path: name).appending(path: "report.html")
                guard let attributes = try? files.attributesOfItem(atPath: page.path) else { continue }
                let modified = (attributes[.modificationDate] as? Date).map { Int64($0.timeIntervalSince1970) } ?? 0
                links.append(.init(kind: kind, name: name, path: "\(kind)/\(name)/report.html", modified: modified))
            }
        }
        return links
    }

    /// A file of a generated report: `kind/name/file`, nothing else (no `..`, no hidden file, no
    /// link out of `reports/`).
    func reportFile(_ relative: String) -> (bytes: [UInt8], contentType: String)? {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") && !$0.contains("\\") }) else { return nil }
        let types = ["html": "text/html; charset=utf-8", "svg": "image/svg+xml", "csv": "text/csv; charset=utf-8",
                     "json": "application/json", "txt": "text/plain; charset=utf-8", "png": "image/png"]
        guard let type = types[(parts[2] as NSString).pathExtension.lowercased()] else { return nil }
        let root = context.directory(context.configuration.general.paths.reports).resolvingSymlinksInPath()
        let file = root.appending(path: parts[0]).appending(path: parts[1]).appending(path: parts[2]).resolvingSymlinksInPath()
        guard file.path.hasPrefix(root.path + "/"), let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return ([UInt8](data), type)
    }

    /// The effective configuration, secrets masked, and its findings.
    func settings() throws -> (yaml: String, findings: [String]) {
        (try context.configuration.effectiveYAML(), context.configuration.findings.map(\.description))
    }
}
