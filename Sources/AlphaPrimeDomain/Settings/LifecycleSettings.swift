import AlphaPrimeSupport

extension GeneralConfig {
    /// The gates of `strategy promote` and the limit of automatic demotion (`lifecycle:`; optional,
    /// with these defaults). docs/lifecycle.md says what each gate reads.
    public struct Lifecycle: Codable, Sendable, Equatable {
        /// research → paper: the walk-forward's efficiency (out-of-sample annual return over the
        /// in-sample one) at least this.
        public var minWalkForwardEfficiency: Double
        /// research → paper: the Monte Carlo chance of breaching the active preset's daily-loss or
        /// drawdown limit (any breach) at most this, a fraction.
        public var maxBreachProbability: Double
        /// research → paper: each of bull, bear and sideways seen on at least this many trading days.
        public var minRegimeDays: Int
        /// research → paper: in each regime, a profit factor at least this, or a net result no worse
        /// than a loss of `max_regime_loss_pct` of the starting capital.
        public var minRegimeProfitFactor: Double
        public var maxRegimeLossPct: Double
        /// paper → live-10: paper trading days (of this parameter set, since it entered paper).
        public var minPaperDays: Int
        /// paper → live-10: the paper expectancy per trade at least the backtest's minus this
        /// fraction of its magnitude (0.5: no worse than half as good).
        public var paperTolerance: Double
        /// live-N → the next: trading days at the stage.
        public var minLiveDays: Int
        /// A live strategy whose drawdown since it went live exceeds this % of the starting capital
        /// is demoted to paper by the engine.
        public var demoteDrawdownPct: Double
        /// A live strategy whose day drifted from its backtest re-run (engine − backtest net P&L) by
        /// more than this % of the starting capital is demoted to paper by the engine.
        public var demoteDriftPct: Double
        /// The monthly report's scaling advisor: months in a row without a limit breached, drift
        /// within `drift_tolerance_pct` and the drawdown within the preset's budget before it proposes
        /// more risk (3 to 6).
        public var stableMonths: Int
        /// The step it proposes for `risk.per_trade_risk_pct`, percentage points (at most 0.05).
        public var riskStepPct: Double
        /// It never proposes more than this per-trade risk, per cent.
        public var maxPerTradeRiskPct: Double
        /// A month's drift (engine − backtest net P&L, summed) within this % of the capital.
        public var driftTolerancePct: Double
        /// The share of a profitable month's net P&L the withdrawal plan line proposes to take out.
        public var withdrawalShare: Double

        public static let defaults = Lifecycle(minWalkForwardEfficiency: 0.5, maxBreachProbability: 0.05, minRegimeDays: 20,
                                               minRegimeProfitFactor: 1.1, maxRegimeLossPct: 1.0, minPaperDays: 30,
                                               paperTolerance: 0.5, minLiveDays: 20, demoteDrawdownPct: 3.0, demoteDriftPct: 1.0, stableMonths: 3,
                                               riskStepPct: 0.05, maxPerTradeRiskPct: 1.0, driftTolerancePct: 0.5, withdrawalShare: 0.5)

        public init(minWalkForwardEfficiency: Double, maxBreachProbability: Double, minRegimeDays: Int,
                    minRegimeProfitFactor: Double, maxRegimeLossPct: Double, minPaperDays: Int, paperTolerance: Double,
                    minLiveDays: Int, demoteDrawdownPct: Double, demoteDriftPct: Double, stableMonths: Int, riskStepPct: Double, maxPerTradeRiskPct: Double,
                    driftTolerancePct: Double, withdrawalShare: Double) {
            self.minWalkForwardEfficiency = minWalkForwardEfficiency
            self.maxBreachProbability = maxBreachProbability
            self.minRegimeDays = minRegimeDays
            self.minRegimeProfitFactor = minRegimeProfitFactor
            self.maxRegimeLossPct = maxRegimeLossPct
            self.minPaperDays = minPaperDays
            self.paperTolerance = paperTolerance
            self.minLiveDays = minLiveDays
            self.demoteDrawdownPct = demoteDrawdownPct
            self.demoteDriftPct = demoteDriftPct
            self.stableMonths = stableMonths
            self.riskStepPct = riskStepPct
            self.maxPerTradeRiskPct = maxPerTradeRiskPct
            self.driftTolerancePct = driftTolerancePct
            self.withdrawalShare = withdrawalShare
        }

        enum CodingKeys: String, CodingKey {
            case minWalkForwardEfficiency = "min_walk_forward_efficiency", maxBreachProbability = "max_breach_probability"
            case minRegimeDays = "min_regime_days", minRegimeProfitFactor = "min_regime_profit_factor"
            case maxRegimeLossPct = "max_regime_loss_pct", minPaperDays = "min_paper_days", paperTolerance = "paper_tolerance"
            case minLiveDays = "min_live_days", demoteDrawdownPct = "demote_drawdown_pct", demoteDriftPct = "demote_drift_pct"
            case stableMonths = "stable_months"
            case riskStepPct = "risk_step_pct", maxPerTradeRiskPct = "max_per_trade_risk_pct", driftTolerancePct = "drift_tolerance_pct"
            case withdrawalShare = "withdrawal_share"
        }

        func validate(_ v: inout ConfigValidator) {
            let f = ConfigValidator.format
            v.check(minWalkForwardEfficiency.isFinite && minWalkForwardEfficiency >= 0 && minWalkForwardEfficiency <= 2,
                    "lifecycle.min_walk_forward_efficiency", "0 to 2, got \(f(minWalkForwardEfficiency))")
            v.check(maxBreachProbability.isFinite && maxBreachProbability >= 0 && maxBreachProbability <= 1,
                    "lifecycle.max_breach_probability", "a fraction from 0 to 1, got \(f(maxBreachProbability))")
            v.check((0...250).contains(minRegimeDays), "lifecycle.min_regime_days", "0 to 250 trading days, got \(minRegimeDays)")
            v.check(minRegimeProfitFactor.isFinite && minRegimeProfitFactor >= 0 && minRegimeProfitFactor <= 10,
                    "lifecycle.min_regime_profit_factor", "0 to 10, got \(f(minRegimeProfitFactor))")
            v.check(maxRegimeLossPct.isFinite && maxRegimeLossPct >= 0 && maxRegimeLossPct <= 100,
                    "lifecycle.max_regime_loss_pct", "0 to 100 per cent of the starting capital, got \(f(maxRegimeLossPct))")
            v.check((1...500).contains(minPaperDays), "lifecycle.min_paper_days", "1 to 500 trading days, got \(minPaperDays)")
            v.check(paperTolerance.isFinite && paperTolerance >= 0 && paperTolerance <= 1, "lifecycle.paper_tolerance",
                    "a fraction from 0 (paper as good as the backtest) to 1, got \(f(paperTolerance))")
            v.check((1...500).contains(minLiveDays), "lifecycle.min_live_days", "1 to 500 trading days, got \(minLiveDays)")
            v.check(demoteDrawdownPct.isFinite && demoteDrawdownPct > 0 && demoteDrawdownPct <= 100, "lifecycle.demote_drawdown_pct",
                    "above 0 and at most 100 per cent, got \(f(demoteDrawdownPct))")
            v.check(demoteDriftPct.isFinite && demoteDriftPct > 0 && demoteDriftPct <= 100, "lifecycle.demote_drift_pct",
                    "above 0 and at most 100 per cent, got \(f(demoteDriftPct))")
            v.check((3...6).contains(stableMonths), "lifecycle.stable_months", "3 to 6 months, got \(stableMonths)")
            v.check(riskStepPct.isFinite && riskStepPct > 0 && riskStepPct <= 0.05, "lifecycle.risk_step_pct",
                    "above 0 and at most 0.05 percentage points a month, got \(f(riskStepPct))")
            v.check(maxPerTradeRiskPct.isFinite && maxPerTradeRiskPct > 0 && maxPerTradeRiskPct <= 5, "lifecycle.max_per_trade_risk_pct",
                    "above 0 and at most 5 per cent, got \(f(maxPerTradeRiskPct))")
            v.check(driftTolerancePct.isFinite && driftTolerancePct >= 0 && driftTolerancePct <= 100, "lifecycle.drift_tolerance_pct",
                    "0 to 100 per cent of the capital, got \(f(driftTolerancePct))")
            v.check(withdrawalShare.isFinite && withdrawalShare >= 0 && withdrawalShare <= 1, "lifecycle.withdrawal_share",
                    "a fraction from 0 to 1, got \(f(withdrawalShare))")
        }
    }

    /// `lifecycle:` as configured, or the defaults.
    public var lifecycleSettings: Lifecycle { lifecycle ?? .defaults }
}
