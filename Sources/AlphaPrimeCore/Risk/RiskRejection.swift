import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// A rule's refusal, with the numbers that decided it.
///
/// The trader's sentence (``reason``) is written only when someone reads it: a refusal made on a
/// busy bar keeps its numbers, not a formatted string, so refusing costs no more than deciding.
public struct RiskRejection: Sendable, Equatable, Error, CustomStringConvertible {
    /// The rule's key path in risk_config.yaml (`risk.max_open_positions`, `kill_switch.drawdown_pct`, …;
    /// see ``RiskRule``).
    public var rule: String
    /// The measured number and the limit it broke, in the rule's unit (paise, units, minutes, the VIX).
    public var value: Double?
    public var limit: Double?
    var detail: Detail

    public init(rule: String, reason: String, value: Double? = nil, limit: Double? = nil) {
        self.rule = rule; self.value = value; self.limit = limit; detail = .text(reason)
    }

    init(_ rule: String, _ detail: Detail, value: Double? = nil, limit: Double? = nil) {
        self.rule = rule; self.detail = detail; self.value = value; self.limit = limit
    }

    /// The numbers, in the trader's words: "2 open positions, limit 2".
    public var reason: String {
        get { detail.text }
        set { detail = .text(newValue) }
    }

    public var description: String { "\(rule): \(reason)" }

    public static func == (a: RiskRejection, b: RiskRejection) -> Bool {
        a.rule == b.rule && a.value == b.value && a.limit == b.limit && (a.detail == b.detail || a.reason == b.reason)
    }

    /// What a loss or drawdown limit is, in a sentence.
    enum Limit: Sendable, Equatable {
        case ours, killSwitch, firm(String)
    }

    /// The numbers of a refusal, by kind; ``text`` writes the sentence.
    enum Detail: Sendable, Equatable {
        case text(String)
        case dayLoss(Limit, loss: Int64, base: Int64, limit: Int64, percent: RiskPercent)
        case drawdown(Limit, drawdown: Int64, reference: Int64, limit: Int64, percent: RiskPercent, mode: RiskConfig.DrawdownMode)
        case profitTarget(profit: Int64, goal: Int64, percent: RiskPercent)
        case squareOff(minute: Int, at: Int)
        case firstMinutes(minute: Int, sinceOpen: Int, limit: Int)
        case lastMinutes(minute: Int, toClose: Int, limit: Int)
        case blackout(minute: Int, start: Int, end: Int, why: String?)
        case vixMissing(date: LocalDate, band: ClosedRange<Double>)
        case vixBelow(Double, minimum: Double)
        case vixAbove(Double, maximum: Double)
        case openPositions(open: Int, pending: Int, limit: Int)
        /// `label` is "group 'index_futures' (NIFTY 50, BANKNIFTY)".
        case group(label: String, open: Int, limit: Int)
        case correlated(String, String, correlation: Double, windowDays: Int, maximum: Double)
        case noPrice(String, exposure: Bool)
        case stopWrongSide(stop: Int64, entry: Int64, side: Side)
        case fixedRisk(quantity: Int64, distance: Int64, risk: Int64, percent: RiskPercent, equity: Int64, budget: Int64)
        case noPerTradeRisk(method: String)
        case noStop(method: String)
        case noEdge(trades: Int, winRate: Double, payoff: Double?, kelly: Double)
        case oneLotTooRisky(lot: Int64, distance: Int64, budget: Int64, percent: RiskPercent, equity: Int64)
        case symbolExposure(String, after: Int64, equity: Int64, percent: RiskPercent, cap: Int64, lot: Int64)
        case totalExposure(after: Int64, equity: Int64, percent: RiskPercent, cap: Int64, lot: Int64)
        case sizedZero
        case exitSide(Side, position: Int64)

        var text: String {
            let money = RiskFormat.rupees
            let clock = { (minute: Int) in RiskFormat.time(minute: minute) }
            func round2(_ x: Double) -> String { RiskFormat.number((x * 100).rounded() / 100) }
            switch self {
            case .text(let s):
                return s
            case let .dayLoss(what, loss, base, limit, percent):
                let sentence = "the day's loss \(money(loss)) (\(RiskFormat.percent(loss, of: base)) of \(money(base)) at the day's start) reached "
                switch what {
                case .ours: return sentence + "the daily max loss of \(percent) (\(money(limit)))"
                case .killSwitch: return sentence + "the kill switch of \(percent) (\(money(limit)))"
                case .firm(let name): return "\(name): " + sentence + "the firm's daily loss limit of \(percent) (\(money(limit)))"
                }
            case let .drawdown(what, drawdown, reference, limit, percent, mode):
                let from = mode == .trailing ? "the equity peak" : "the starting capital"
                let sentence = "drawdown \(money(drawdown)) (\(RiskFormat.percent(drawdown, of: reference)) below \(from) \(money(reference))) reached "
                let tail = " of \(percent) (\(money(limit)), \(mode.rawValue))"
                switch what {
                case .ours: return sentence + "the max drawdown" + tail
                case .killSwitch: return sentence + "the kill switch" + tail
                case .firm(let name): return "\(name): " + sentence + "the firm's max drawdown" + tail
                }
            case let .profitTarget(profit, goal, percent):
                return "profit \(money(profit)) reached the target of \(percent) (\(money(goal))); trading stops"
            case let .squareOff(minute, at):
                return "\(clock(minute)) is at or after the square-off time \(clock(at)); no new intraday entries today"
            case let .firstMinutes(minute, since, limit):
                return "\(clock(minute)) is \(since) minutes after the open; no entries in the first \(limit)"
            case let .lastMinutes(minute, toClose, limit):
                return "\(clock(minute)) is \(toClose) minutes before the close; no entries in the last \(limit)"
            case let .blackout(minute, start, end, why):
                return "\(clock(minute)) is inside the blackout \(clock(start))–\(clock(end))" + (why.map { " (\($0))" } ?? "")
            case let .vixMissing(date, band):
                return "no India VIX value for \(date); the filter (\(RiskFormat.number(band.lowerBound))–\(RiskFormat.number(band.upperBound))) cannot pass the entry"
            case let .vixBelow(vix, minimum):
                return "India VIX \(RiskFormat.number(vix)) is below the minimum \(RiskFormat.number(minimum))"
            case let .vixAbove(vix, maximum):
                return "India VIX \(RiskFormat.number(vix)) is above the maximum \(RiskFormat.number(maximum))"
            case let .openPositions(open, pending, limit):
                return "\(open) open positions" + (pending > 0 ? " (\(pending) awaiting fill)" : "") + ", limit \(limit)"
            case let .group(label, open, limit):
                return "\(label) has \(open) open positions, limit \(limit)"
            case let .correlated(a, b, r, window, maximum):
                return "\(a) and \(b) correlated \(round2(r)) over \(window) days (max \(RiskFormat.number(maximum))) and \(b) has an open position"
            case let .noPrice(symbol, exposure):
                return "no price for \(symbol) yet to measure " + (exposure ? "its exposure" : "the stop from")
            case let .stopWrongSide(stop, entry, side):
                return "stop \(money(stop)) is on the wrong side of the entry \(money(entry)) for a \(side.rawValue)"
            case let .fixedRisk(quantity, distance, risk, percent, equity, budget):
                return "\(quantity) units at a stop \(money(distance)) away risk \(money(risk)), more than \(percent) of equity \(money(equity)) (\(money(budget)))"
            case .noPerTradeRisk(let method):
                return "no per-trade risk is set for \(method) sizing"
            case .noStop(let method):
                return "the signal has no stop loss; \(method) sizing needs the stop distance"
            case let .noEdge(trades, winRate, payoff, kelly):
                return "no edge over the last \(trades) trades: win rate \(RiskFormat.number((winRate * 1000).rounded() / 10))%, payoff \(payoff.map(round2) ?? "n/a"), full Kelly \(RiskFormat.number((kelly * 10_000).rounded() / 100))%"
            case let .oneLotTooRisky(lot, distance, budget, percent, equity):
                return "one lot of \(lot) at a stop \(money(distance)) away risks \(money(lot * distance)), more than the budget \(money(budget)) (\(percent) of equity \(money(equity)))"
            case let .symbolExposure(symbol, after, equity, percent, cap, lot):
                return "\(symbol) notional would be \(money(after)) (\(RiskFormat.percent(after, of: equity)) of equity), above \(percent) (\(money(cap))); not one lot of \(lot) fits"
            case let .totalExposure(after, equity, percent, cap, lot):
                return "total notional would be \(money(after)) (\(RiskFormat.percent(after, of: equity)) of equity), above \(percent) (\(money(cap))); not one lot of \(lot) fits"
            case .sizedZero:
                return "sized to 0 units"
            case let .exitSide(side, position):
                return "exit \(side.rawValue) does not close a position of \(position)"
            }
        }
    }
}

/// Stored (engine state, risk state) as the rule, the sentence and the numbers.
extension RiskRejection: Codable {
    enum CodingKeys: String, CodingKey { case rule, reason, value, limit }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(rule: try c.decode(String.self, forKey: .rule), reason: try c.decode(String.self, forKey: .reason),
                  value: try c.decodeIfPresent(Double.self, forKey: .value), limit: try c.decodeIfPresent(Double.self, forKey: .limit))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rule, forKey: .rule)
        try c.encode(reason, forKey: .reason)
        try c.encodeIfPresent(value, forKey: .value)
        try c.encodeIfPresent(limit, forKey: .limit)
    }
}
