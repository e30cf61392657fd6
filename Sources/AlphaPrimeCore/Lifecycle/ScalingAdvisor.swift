import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// The monthly report's scaling advisor: after enough stable months it proposes a small step up in
/// per-trade risk, and a withdrawal plan line. It proposes; the trader edits the risk file.
public struct ScalingAdvice: Sendable, Equatable, Encodable {
    public struct Month: Sendable, Equatable, Encodable {
        public var month: String
        public var stable: Bool
        /// Why not stable; empty when stable.
        public var reasons: [String]
        public var netPnL: Int64
        /// Deepest fall from a peak, a fraction ≤ 0.
        public var maxDrawdown: Double
        public var driftDifference: Int64?

        enum CodingKeys: String, CodingKey {
            case month, stable, reasons, netPnL = "net_pnl_paise", maxDrawdown = "max_drawdown", driftDifference = "drift_difference_paise"
        }
    }

    /// Oldest first, ending with the report's month.
    public var months: [Month]
    /// Stable months in a row, ending with the report's month.
    public var stableMonths: Int
    public var requiredMonths: Int
    public var currentRiskPct: Double
    /// nil when no step is proposed.
    public var proposedRiskPct: Double?
    public var proposal: String
    public var withdrawal: String

    enum CodingKeys: String, CodingKey {
        case months, stableMonths = "stable_months", requiredMonths = "required_months", currentRiskPct = "current_per_trade_risk_pct"
        case proposedRiskPct = "proposed_per_trade_risk_pct", proposal, withdrawal
    }
}

public enum ScalingAdvisor {
    /// - Parameters:
    ///   - months: the reports of the last `stable_months` months, oldest first, the report's month last.
    ///   - riskFile: the preset's file name, for the proposal's words.
    public static func advise(months: [PeriodReport], risk: RiskConfig, riskFile: String, settings s: GeneralConfig.Lifecycle,
                              capital: Int64) -> ScalingAdvice {
        let budget = risk.risk.maxDrawdownPct / 100
        let tolerance = Int64((Double(capital) * s.driftTolerancePct / 100).rounded(.down))
        let rows = months.map { r -> ScalingAdvice.Month in
            var reasons: [String] = []
            if !r.days.contains(where: { $0.tradingDay && $0.sessionStatus != nil }) { reasons.append("no engine session") }
            let breaches = r.risk.killSwitchEvents + r.risk.alerts.filter {
                $0.rule == RiskRule.dailyMaxLoss || $0.rule == RiskRule.maxDrawdown || $0.rule.hasPrefix("prop_firm") || $0.rule.hasPrefix("kill_switch")
            }.count
            if breaches > 0 { reasons.append("\(breaches) limit breach\(breaches == 1 ? "" : "es")") }
            let drawdown = r.metrics.maxDrawdown.isFinite ? r.metrics.maxDrawdown : 0
            if -drawdown > budget {
                reasons.append(String(format: "drawdown %.2f%% beyond the %@%% budget", -drawdown * 100, ConfigValidator.format(risk.risk.maxDrawdownPct)))
            }
            let drift = r.drift.map { $0.byStrategy.reduce(Int64(0)) { $0 + $1.difference } }
            if let drift, abs(drift) > tolerance {
                reasons.append("drift ₹\(Paise(drift)) beyond ±₹\(Paise(tolerance))")
            } else if drift == nil, reasons.isEmpty {
                reasons.append("drift not measured")
            }
            return ScalingAdvice.Month(month: r.period.label, stable: reasons.isEmpty, reasons: reasons, netPnL: r.netPnL,
                                       maxDrawdown: drawdown, driftDifference: drift)
        }
        let stable = rows.reversed().prefix { $0.stable }.count
        let current = risk.risk.perTradeRiskPct
        let f = ConfigValidator.format
        var proposed: Double?
        let proposal: String
        if stable < s.stableMonths {
            let last = rows.last.map { $0.stable ? "" : " (\($0.month): \($0.reasons.joined(separator: "; ")))" } ?? ""
            proposal = "keep risk.per_trade_risk_pct at \(f(current))%: \(stable) of \(s.stableMonths) stable months in a row\(last)"
        } else if current >= s.maxPerTradeRiskPct {
            proposal = "keep risk.per_trade_risk_pct at \(f(current))%: \(stable) stable months, at the cap of \(f(s.maxPerTradeRiskPct))% (lifecycle.max_per_trade_risk_pct)"
        } else {
            let next = min(s.maxPerTradeRiskPct, ((current + s.riskStepPct) * 10_000).rounded() / 10_000)
            proposed = next
            proposal = "\(stable) stable months in a row: you may raise risk.per_trade_risk_pct in config/\(riskFile) from \(f(current))% "
                + "to \(f(next))% (a step of at most \(f(s.riskStepPct)) points a month, cap \(f(s.maxPerTradeRiskPct))%); nothing was changed"
        }
        let net = months.last?.netPnL ?? 0
        let withdrawal = net > 0
            ? "withdraw ₹\(Paise(Int64((Double(net) * s.withdrawalShare).rounded(.down)))) (\(f(s.withdrawalShare * 100))% of the month's ₹\(Paise(net)) net profit); the rest stays to compound"
            : "no withdrawal: the month made no net profit (₹\(Paise(net)))"
        return ScalingAdvice(months: rows, stableMonths: stable, requiredMonths: s.stableMonths, currentRiskPct: current,
                             proposedRiskPct: proposed, proposal: proposal, withdrawal: withdrawal)
    }
}
