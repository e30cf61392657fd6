import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// What `strategy evaluate` measured for one parameter set, stored as JSON in `strategy_evidence`
/// and read back by the gates.
public struct ResearchEvidence: Sendable, Codable, Equatable {
    public var runID: String
    public var riskPreset: String
    public var periodStart: LocalDate
    public var periodEnd: LocalDate
    public var tradingDays: Int
    public var trades: Int
    public var netPnL: Int64
    /// Net P&L per trade, paise; nil without trades.
    public var expectancy: Int64?
    public var profitFactor: Double?
    public var startingCapital: Int64
    /// Out-of-sample over in-sample annual return; nil when the in-sample return is not a gain.
    public var walkForwardEfficiency: Double?
    public var walkForwardWindows: Int
    /// The highest chance, over the Monte Carlo methods run, of breaching the preset's daily-loss
    /// or drawdown limit; nil when the preset has neither.
    public var breachProbability: Double?
    public var simulations: Int
    public var regimes: [RegimeMetrics]

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", riskPreset = "risk_preset", periodStart = "period_start", periodEnd = "period_end"
        case tradingDays = "trading_days", trades, netPnL = "net_pnl_paise", expectancy = "expectancy_paise"
        case profitFactor = "profit_factor", startingCapital = "starting_capital_paise"
        case walkForwardEfficiency = "walk_forward_efficiency", walkForwardWindows = "walk_forward_windows"
        case breachProbability = "breach_probability", simulations, regimes
    }

    public init(runID: String, riskPreset: String, periodStart: LocalDate, periodEnd: LocalDate, tradingDays: Int, trades: Int,
                netPnL: Int64, expectancy: Int64?, profitFactor: Double?, startingCapital: Int64, walkForwardEfficiency: Double?,
                walkForwardWindows: Int, breachProbability: Double?, simulations: Int, regimes: [RegimeMetrics]) {
        self.runID = runID; self.riskPreset = riskPreset; self.periodStart = periodStart; self.periodEnd = periodEnd
        self.tradingDays = tradingDays; self.trades = trades; self.netPnL = netPnL; self.expectancy = expectancy
        self.profitFactor = profitFactor; self.startingCapital = startingCapital
        self.walkForwardEfficiency = walkForwardEfficiency; self.walkForwardWindows = walkForwardWindows
        self.breachProbability = breachProbability; self.simulations = simulations; self.regimes = regimes
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> ResearchEvidence {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(ResearchEvidence.self, from: Data(text.utf8))
    }
}

/// One condition of a promotion, met or not, with the numbers.
public struct GateCheck: Sendable, Codable, Equatable {
    public var gate: String
    public var met: Bool
    public var detail: String

    public init(_ gate: String, _ met: Bool, _ detail: String) {
        self.gate = gate; self.met = met; self.detail = detail
    }
}

/// A strategy's results while at a stage: its days in strategy_performance since it got there.
public struct StageRecord: Sendable, Equatable {
    public var days: Int
    public var trades: Int
    public var netPnL: Int64
    /// The deepest fall of the cumulative daily net P&L from its running peak (0 included), paise, ≥ 0.
    public var drawdown: Int64

    public init(days: Int, trades: Int, netPnL: Int64, drawdown: Int64) {
        self.days = days; self.trades = trades; self.netPnL = netPnL; self.drawdown = drawdown
    }

    /// From the daily net P&L of each day, in date order.
    public init(dailyNet: [(trades: Int, net: Int64)]) {
        var cumulative: Int64 = 0, peak: Int64 = 0, deepest: Int64 = 0
        for day in dailyNet {
            cumulative += day.net
            peak = max(peak, cumulative)
            deepest = max(deepest, peak - cumulative)
        }
        self.init(days: dailyNet.count, trades: dailyNet.reduce(0) { $0 + $1.trades }, netPnL: cumulative, drawdown: deepest)
    }

    public var expectancy: Int64? { trades == 0 ? nil : netPnL / Int64(trades) }
}

/// The gates between stages (`lifecycle:` in general_config.yaml; docs/lifecycle.md).
public enum LifecycleGates {
    /// research → paper: walk-forward efficiency, the Monte Carlo breach chance, and each regime.
    public static func research(_ evidence: ResearchEvidence?, settings s: GeneralConfig.Lifecycle, evaluateCommand: String) -> [GateCheck] {
        guard let e = evidence else {
            return [GateCheck("evidence", false, "no research evidence for these parameters; run: \(evaluateCommand)")]
        }
        let f = ConfigValidator.format
        var checks: [GateCheck] = []
        if let wfe = e.walkForwardEfficiency {
            checks.append(GateCheck("walk-forward efficiency", wfe >= s.minWalkForwardEfficiency,
                                    String(format: "%.2f over %d windows; needs at least %@", wfe, e.walkForwardWindows, f(s.minWalkForwardEfficiency))))
        } else {
            checks.append(GateCheck("walk-forward efficiency", false,
                                    "not measured: the in-sample (hindsight) return over \(e.walkForwardWindows) windows is not a gain; needs at least \(f(s.minWalkForwardEfficiency))"))
        }
        if let p = e.breachProbability {
            checks.append(GateCheck("Monte Carlo breach", p <= s.maxBreachProbability,
                                    String(format: "%.1f%% chance of breaching %@'s limits; needs at most %.1f%%", p * 100, e.riskPreset, s.maxBreachProbability * 100)))
        } else {
            checks.append(GateCheck("Monte Carlo breach", true, "\(e.riskPreset) sets no daily-loss or drawdown limit to breach"))
        }
        let lossLimit = Double(e.startingCapital) * s.maxRegimeLossPct / 100
        for regime in MarketRegime.allCases {
            guard let r = e.regimes.first(where: { $0.regime == regime.rawValue }), r.days >= s.minRegimeDays else {
                let days = e.regimes.first { $0.regime == regime.rawValue }?.days ?? 0
                checks.append(GateCheck("\(regime.rawValue) regime", false,
                                        "\(days) \(regime.rawValue) trading days in \(e.periodStart)…\(e.periodEnd); needs at least \(s.minRegimeDays) (evaluate over a longer period)"))
                continue
            }
            let pf = r.profitFactor ?? (r.netPnL > 0 ? .infinity : 0)
            let lossOK = Double(-r.netPnL) <= lossLimit
            let met = pf >= s.minRegimeProfitFactor || lossOK
            let pfText = pf.isFinite ? String(format: "%.2f", pf) : "∞"
            checks.append(GateCheck("\(regime.rawValue) regime", met,
                                    "\(r.days) days, \(r.trades) trades, profit factor \(pfText), net ₹\(Paise(r.netPnL)); needs a profit factor of at least "
                                    + "\(f(s.minRegimeProfitFactor)) or a loss no worse than \(f(s.maxRegimeLossPct))% of capital (₹\(Paise(Int64(lossLimit.rounded(.down)))))"))
        }
        return checks
    }

    /// paper → live-10: enough paper days, and paper results within the tolerance of the backtest.
    public static func paper(_ paper: StageRecord, evidence: ResearchEvidence?, settings s: GeneralConfig.Lifecycle) -> [GateCheck] {
        var checks = [GateCheck("paper days", paper.days >= s.minPaperDays,
                                "\(paper.days) paper trading days with these parameters; needs at least \(s.minPaperDays)")]
        guard let backtest = evidence?.expectancy else {
            checks.append(GateCheck("paper versus backtest", false, "no backtest expectancy to compare with; run strategy evaluate"))
            return checks
        }
        guard let live = paper.expectancy else {
            checks.append(GateCheck("paper versus backtest", false, "no paper trade yet to compare with the backtest's ₹\(Paise(backtest)) a trade"))
            return checks
        }
        let floor = backtest - Int64((Double(abs(backtest)) * s.paperTolerance).rounded(.up))
        checks.append(GateCheck("paper versus backtest", live >= floor,
                                "₹\(Paise(live)) a trade over \(paper.trades) paper trades against the backtest's ₹\(Paise(backtest)); needs at least ₹\(Paise(floor)) "
                                + "(tolerance \(ConfigValidator.format(s.paperTolerance)))"))
        return checks
    }

    /// live-N → the next: enough days at the stage and a drawdown inside the demotion limit.
    public static func live(_ record: StageRecord, stage: StrategyStage, startingCapital: Int64, settings s: GeneralConfig.Lifecycle) -> [GateCheck] {
        let limit = Int64((Double(startingCapital) * s.demoteDrawdownPct / 100).rounded(.down))
        return [
            GateCheck("days at \(stage.rawValue)", record.days >= s.minLiveDays,
                      "\(record.days) live trading days at \(stage.rawValue); needs at least \(s.minLiveDays)"),
            GateCheck("live drawdown", record.drawdown <= limit,
                      "₹\(Paise(record.drawdown)) at \(stage.rawValue); the limit is \(ConfigValidator.format(s.demoteDrawdownPct))% of capital (₹\(Paise(limit)))"),
        ]
    }
}
