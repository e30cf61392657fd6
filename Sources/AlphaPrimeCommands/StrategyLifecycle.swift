import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import Foundation

/// A lifecycle request that cannot be carried out; each names what to do instead.
struct StrategyLifecycleError: Error, ExitStatusProviding, CustomStringConvertible {
    var description: String
    var exitStatus: ExitStatus

    static func refused(_ message: String) -> StrategyLifecycleError { .init(description: message, exitStatus: .refused) }
    static func usage(_ message: String) -> StrategyLifecycleError { .init(description: message, exitStatus: .usage) }
}

/// A configured strategy's place in the lifecycle: its stage, since when, and what the next gate
/// still needs.
struct StrategyStanding: Encodable {
    var strategy: String
    var parametersHash: String
    var stage: StrategyStage
    /// The change that put it there; nil in research never moved.
    var since: UTCTimestamp?
    var changedBy: String?
    var reason: String?
    var next: StrategyStage?
    var checks: [GateCheck]
    /// Stages other parameter sets of this name reached (a changed strategy starts again).
    var earlierParameterSets: [String]

    enum CodingKeys: String, CodingKey {
        case strategy, parametersHash = "parameters_hash", stage, since, changedBy = "changed_by", reason, next, checks
        case earlierParameterSets = "earlier_parameter_sets"
    }
}

/// Reads the lifecycle of the configured strategies from the state database and checks gates.
struct StrategyLifecycle {
    let context: ToolContext
    let store: StateRepository

    /// Opens the state database, applying pending migrations (the lifecycle tables are migration 8).
    static func open(_ context: ToolContext) throws -> StrategyLifecycle {
        guard let store = try EngineCommand.existingStore(context) else {
            throw StoreError(.notFound, message: "no state database yet; create it with: db-maintenance migrate")
        }
        if try store.engineSchemaStatus().pendingMigrations > 0 {
            try Migrator(database: store.database, logger: context.logger).migrate()
        }
        return StrategyLifecycle(context: context, store: store)
    }

    /// The time a stage change is recorded at: now (a debug build's drill clock, `ALPHA_PRIME_NOW`,
    /// when set, as for every market-time question).
    static func now() throws -> UTCTimestamp { UTCTimestamp(secondsSinceEpoch: try MarketClock.instant()) }

    var settings: GeneralConfig.Lifecycle { context.configuration.general.lifecycleSettings }
    var startingCapital: Int64 { context.configuration.general.capital.startingCapital.paise.value }

    /// The configured strategy of this name, or a configuration error naming the known ones.
    func strategy(_ name: String) throws -> StrategyConfig {
        guard let config = context.configuration.strategies.first(where: { $0.name == name }) else {
            let known = context.configuration.strategies.map(\.name).sorted().joined(separator: ", ")
            throw StrategyLifecycleError(description: "no strategy named '\(name)' in config/strategies (known: \(known))",
                                         exitStatus: .configError)
        }
        return config
    }

    func stage(of identity: StrategyIdentity) throws -> (stage: StrategyStage, change: StrategyStageChange?) {
        let change = try store.currentStage(identity)
        return (change?.stage ?? .research, change)
    }

    /// The strategy's days in `mode` from the first session that opened after `since`.
    func record(_ name: String, mode: TradingMode, since: UTCTimestamp?) throws -> StageRecord {
        let first = since.map { IST.dateTime(epochSeconds: $0.microseconds / 1_000_000).date } ?? LocalDate(year: 2000, month: 1, day: 1)!
        let open = context.configuration.tradingHours.sessions.normal.open
        let rows = try store.strategyPerformance(mode: mode, from: first, through: LocalDate(year: 9999, month: 12, day: 31)!)
            .filter { $0.strategy == name }
            .filter { since == nil || IST.epochSeconds(date: $0.tradingDate, time: open) * 1_000_000 >= since!.microseconds }
        return StageRecord(dailyNet: rows.map { ($0.trades, $0.netPnl.value) })
    }

    func evaluateCommand(_ name: String) -> String { "strategy evaluate \(name) --train-days N --test-days M" }

    /// The checks of the promotion out of `stage`.
    func checks(_ config: StrategyConfig, identity: StrategyIdentity, stage: StrategyStage, since: UTCTimestamp?) throws -> [GateCheck] {
        let evidence = try store.latestEvidence(identity).map { try ResearchEvidence.decode($0.evidence) }
        switch stage {
        case .research:
            return LifecycleGates.research(evidence, settings: settings, evaluateCommand: evaluateCommand(config.name))
        case .paper:
            return LifecycleGates.paper(try record(config.name, mode: .paper, since: since), evidence: evidence, settings: settings)
        case .live10, .live25, .live50:
            return LifecycleGates.live(try record(config.name, mode: .live, since: since), stage: stage,
                                       startingCapital: startingCapital, settings: settings)
        case .live100, .retired:
            return []
        }
    }

    func standing(_ config: StrategyConfig) throws -> StrategyStanding {
        let identity = StrategyIdentity(config: config)
        let (stage, change) = try stage(of: identity)
        var earlier: [String: StrategyStage] = [:]
        for other in try store.otherParameterSets(of: identity) { earlier[other.identity.parametersHash] = other.stage }
        return StrategyStanding(
            strategy: config.name, parametersHash: identity.parametersHash, stage: stage, since: change?.changedAt,
            changedBy: change?.actor, reason: change?.reason, next: stage.next,
            checks: try checks(config, identity: identity, stage: stage, since: change?.changedAt),
            earlierParameterSets: earlier.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.rawValue)" })
    }

    /// Sets each enabled strategy's live share on the engine's setup; returns a line for each
    /// enabled strategy below live-10 (the engine refuses to start live while there is one).
    func applyLiveStages(to setup: inout EngineSetup) throws -> [String] {
        var below: [String] = []
        for config in context.configuration.enabledStrategies {
            let identity = StrategyIdentity(config: config)
            let stage = try stage(of: identity).stage
            if let percent = stage.livePercent {
                setup.livePercentByStrategy[config.name] = percent
            } else {
                below.append("\(config.name) (parameters \(identity.parametersHash)) is \(stage.rawValue), below live-10")
            }
        }
        return below
    }

    /// After a live session of `date`: each live strategy whose drawdown since it reached its stage is
    /// beyond `lifecycle.demote_drawdown_pct` of the starting capital, or whose day drifted from its
    /// backtest re-run on the stored bars by more than `lifecycle.demote_drift_pct` of it, goes back to
    /// paper, recorded by the engine. Returns what was demoted, one line each.
    func demoteAfterSession(date: LocalDate, openingEquity: Int64, setup: EngineSetup, now: UTCTimestamp) throws -> [String] {
        let limit = Int64((Double(startingCapital) * settings.demoteDrawdownPct / 100).rounded(.down))
        let driftLimit = Int64((Double(startingCapital) * settings.demoteDriftPct / 100).rounded(.down))
        let drift = try dayDrift(date: date, openingEquity: openingEquity, setup: setup)
        var demoted: [String] = []
        for config in context.configuration.enabledStrategies {
            let identity = StrategyIdentity(config: config)
            let (stage, change) = try stage(of: identity)
            guard stage.livePercent != nil else { continue }
            let record = try record(config.name, mode: .live, since: change?.changedAt)
            let detail: String
            let gate: String
            if record.drawdown > limit {
                gate = "live drawdown"
                detail = "live drawdown ₹\(Paise(record.drawdown)) at \(stage.rawValue) over \(record.days) days is beyond "
                    + "\(ConfigValidator.format(settings.demoteDrawdownPct))% of capital (₹\(Paise(limit)))"
            } else if let d = drift?.first(where: { $0.strategy == config.name }), abs(d.difference) > driftLimit {
                gate = "drift"
                detail = "on \(date) the live day drifted ₹\(Paise(d.difference)) from its backtest re-run (\(d.missedEntries) missed, "
                    + "\(d.extraEntries) extra entries), beyond \(ConfigValidator.format(settings.demoteDriftPct))% of capital (₹\(Paise(driftLimit)))"
            } else {
                continue
            }
            try store.recordStageChange(StrategyStageChange(
                identity: identity, stage: .paper, previousStage: stage, changedAt: now, actor: "engine", reason: detail,
                evidence: StrategyCommand.evidenceJSON([GateCheck(gate, false, detail)])))
            demoted.append("\(config.name) demoted from \(stage.rawValue) to paper: \(detail)")
        }
        return demoted
    }

    /// The live day against its backtest re-run on the bars stored for it; nil when none are stored.
    func dayDrift(date: LocalDate, openingEquity: Int64, setup: EngineSetup) throws -> [StrategyDrift]? {
        let trades = try store.trades(mode: .live, exitedFrom: UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: date, secondOfDay: 0)),
                                      before: UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: date.adding(days: 1), secondOfDay: 0)))
        return try DayDrift.measure(date: date, setup: setup, calendar: context.calendar, store: MarketDataStore(home: context.home),
                                    openingEquity: openingEquity, engineTrades: trades)
    }

    static func text(_ s: StrategyStanding) -> String {
        var head = "\(s.strategy) (parameters \(s.parametersHash)): \(s.stage.rawValue)"
        if let since = s.since {
            let t = IST.dateTime(epochSeconds: since.microseconds / 1_000_000)
            head += " since \(t.date) \(t.time) IST (\(s.changedBy ?? "?"): \(s.reason ?? ""))"
        }
        var lines = [head]
        if !s.earlierParameterSets.isEmpty {
            lines.append("  earlier parameters: \(s.earlierParameterSets.joined(separator: ", ")) (a changed parameter set starts at research)")
        }
        guard let next = s.next else {
            lines.append(s.stage == .retired ? "  retired: trades nowhere" : "  at full size: no further stage")
            return lines.joined(separator: "\n")
        }
        let unmet = s.checks.filter { !$0.met }.count
        lines.append("  next: \(next.rawValue) — " + (unmet == 0 ? "every gate met; promote with: strategy promote \(s.strategy) --confirm --reason TEXT"
                                                                 : "\(unmet) of \(s.checks.count) gates unmet"))
        for c in s.checks { lines.append("    [\(c.met ? " ok " : " no ")] \(c.gate): \(c.detail)") }
        return lines.joined(separator: "\n")
    }
}
