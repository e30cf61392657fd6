import AlphaPrimeSupport
import Foundation

/// Where a strategy stands on the way from an idea to full size. Recorded in the state database
/// (`strategy_stages`); a strategy never recorded is in `research`.
public enum StrategyStage: String, Sendable, Codable, DeclarationOrdered {
    case research
    case paper
    case live10 = "live-10"
    case live25 = "live-25"
    case live50 = "live-50"
    case live100 = "live-100"
    case retired

    /// The share of the intended size a live stage trades, in per cent; nil below live-10 (no
    /// live trading) and when retired.
    public var livePercent: Int? {
        switch self {
        case .live10: 10
        case .live25: 25
        case .live50: 50
        case .live100: 100
        case .research, .paper, .retired: nil
        }
    }

    /// The stage a promotion leads to; nil from live-100 and retired.
    public var next: StrategyStage? {
        switch self {
        case .research: .paper
        case .paper: .live10
        case .live10: .live25
        case .live25: .live50
        case .live50: .live100
        case .live100, .retired: nil
        }
    }
}

/// A strategy as the lifecycle knows it: its name and a hash of everything that decides its trades
/// (kind, symbols, timeframe, product, trading window, direction, parameter values, exits). A
/// changed parameter is another strategy to the lifecycle: it starts again at `research`.
public struct StrategyIdentity: Sendable, Equatable, Hashable, Codable {
    public var name: String
    /// The first 16 hex digits of the SHA-256 of the canonical JSON of what decides the trades.
    public var parametersHash: String

    public init(name: String, parametersHash: String) {
        self.name = name
        self.parametersHash = parametersHash
    }

    public init(config: StrategyConfig) {
        struct Canonical: Encodable {
            var kind: String
            var symbols: [String]
            var timeframe: String
            var product: String
            var tradingWindow: [String]
            var direction: String
            var parameters: [String: String]
            var exits: StrategyConfig.Exits
        }
        let canonical = Canonical(
            kind: config.kind, symbols: config.symbols.sorted(), timeframe: config.timeframe.rawValue,
            product: config.product.rawValue,
            tradingWindow: [config.tradingWindow.start.description, config.tradingWindow.end.description],
            direction: config.direction.rawValue,
            parameters: Dictionary(config.parameters.entries.map { ($0.name, ConfigValidator.format($0.spec.value.doubleValue)) }, uniquingKeysWith: { a, _ in a }),
            exits: config.exits)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(canonical)) ?? Data("\(canonical)".utf8)
        self.init(name: config.name, parametersHash: String(SHA256.hex(of: String(decoding: bytes, as: UTF8.self)).prefix(16)))
    }
}

/// One change of a strategy's stage (`strategy_stages`, append-only): who made it, why, and the
/// numbers that allowed it.
public struct StrategyStageChange: Sendable, Equatable {
    public var identity: StrategyIdentity
    public var stage: StrategyStage
    public var previousStage: StrategyStage
    public var changedAt: UTCTimestamp
    /// `trader` (strategy promote / demote) or `engine` (an automatic demotion).
    public var actor: String
    public var reason: String
    /// JSON: the gates checked with their numbers (a promotion), or the limit crossed (a demotion).
    public var evidence: String

    public init(identity: StrategyIdentity, stage: StrategyStage, previousStage: StrategyStage, changedAt: UTCTimestamp,
                actor: String, reason: String, evidence: String) {
        self.identity = identity; self.stage = stage; self.previousStage = previousStage
        self.changedAt = changedAt; self.actor = actor; self.reason = reason; self.evidence = evidence
    }
}

/// The research evidence of one parameter set (`strategy_evidence`): what `strategy evaluate`
/// measured, as JSON, with the run it came from.
public struct StrategyEvidenceRecord: Sendable, Equatable {
    public var identity: StrategyIdentity
    public var recordedAt: UTCTimestamp
    public var runID: String
    public var periodStart: LocalDate
    public var periodEnd: LocalDate
    public var evidence: String

    public init(identity: StrategyIdentity, recordedAt: UTCTimestamp, runID: String, periodStart: LocalDate,
                periodEnd: LocalDate, evidence: String) {
        self.identity = identity; self.recordedAt = recordedAt; self.runID = runID
        self.periodStart = periodStart; self.periodEnd = periodEnd; self.evidence = evidence
    }
}
