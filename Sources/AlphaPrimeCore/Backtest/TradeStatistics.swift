import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// What the closed trades of a run add up to, in exact paise.
///
/// A trade is a win when its **net** P&L (after charges) is above zero, a loss when below, and
/// breakeven at exactly zero. Win rate counts breakeven trades in the denominator; profit factor,
/// averages and streaks use net P&L; a breakeven trade ends both a winning and a losing streak.
/// Streaks follow the order of the trade list (the ledger's order: by exit).
public struct TradeStatistics: Sendable, Equatable {
    public var trades = 0
    public var wins = 0
    public var losses = 0
    public var breakeven = 0
    /// Σ gross P&L of the trades.
    public var grossPnL: Int64 = 0
    /// Σ charges of the trades.
    public var charges: Int64 = 0
    /// Σ net P&L of the trades (= grossPnL − charges).
    public var netPnL: Int64 = 0
    /// Σ net P&L of the winning trades (≥ 0).
    public var grossProfit: Int64 = 0
    /// Σ |net P&L| of the losing trades (≥ 0).
    public var grossLoss: Int64 = 0
    /// Best and worst net P&L of one trade; nil without trades.
    public var largestWin: Int64?
    public var largestLoss: Int64?
    public var maxConsecutiveWins = 0
    public var maxConsecutiveLosses = 0
    /// Trades and net P&L by what closed them (``ExitReason`` raw values; trades without a reason
    /// are not counted here).
    public var byExitReason: [String: ExitReasonTotals] = [:]

    public init() {}

    public init(_ closed: [ClosedTrade]) {
        var winStreak = 0, lossStreak = 0
        for trade in closed {
            let net = trade.netPnL
            trades += 1
            grossPnL += trade.grossPnL
            charges += trade.charges
            netPnL += net
            if let reason = trade.exitReason {
                byExitReason[reason.rawValue, default: ExitReasonTotals()].add(net)
            }
            if net > 0 {
                wins += 1; grossProfit += net
                winStreak += 1; lossStreak = 0
                largestWin = max(largestWin ?? net, net)
            } else if net < 0 {
                losses += 1; grossLoss -= net
                lossStreak += 1; winStreak = 0
                largestLoss = min(largestLoss ?? net, net)
            } else {
                breakeven += 1
                winStreak = 0; lossStreak = 0
            }
            maxConsecutiveWins = max(maxConsecutiveWins, winStreak)
            maxConsecutiveLosses = max(maxConsecutiveLosses, lossStreak)
        }
    }

    /// wins / trades; NaN without trades.
    public var winRate: Double { trades == 0 ? .nan : Double(wins) / Double(trades) }

    /// Σ winning net P&L / Σ |losing net P&L|: +∞ with wins and no losses, NaN with neither.
    public var profitFactor: Double {
        grossLoss == 0 ? (grossProfit > 0 ? .infinity : .nan) : Double(grossProfit) / Double(grossLoss)
    }

    /// Average net P&L per trade, paise, rounded half away from zero; nil without trades.
    public var expectancy: Int64? { Self.roundedAverage(netPnL, trades) }
    /// Average net P&L of the winning trades (> 0), paise; nil without wins.
    public var averageWin: Int64? { Self.roundedAverage(grossProfit, wins) }
    /// Average net P&L of the losing trades (< 0), paise; nil without losses.
    public var averageLoss: Int64? { Self.roundedAverage(-grossLoss, losses) }
    /// averageWin / |averageLoss| from the exact sums; NaN when either side is missing.
    public var payoffRatio: Double {
        guard wins > 0, losses > 0 else { return .nan }
        return (Double(grossProfit) / Double(wins)) / (Double(grossLoss) / Double(losses))
    }

    /// `sum / count` in integers, rounded half away from zero.
    static func roundedAverage(_ sum: Int64, _ count: Int) -> Int64? {
        guard count > 0 else { return nil }
        let n = Int64(count)
        let q = sum / n, r = sum % n
        guard 2 * r.magnitude >= n.magnitude else { return q }
        return sum < 0 ? q - 1 : q + 1
    }
}

/// The trades one exit reason closed, and their net P&L (paise).
public struct ExitReasonTotals: Sendable, Equatable, Codable {
    public var trades = 0
    public var netPnL: Int64 = 0

    public init(trades: Int = 0, netPnL: Int64 = 0) { self.trades = trades; self.netPnL = netPnL }

    mutating func add(_ net: Int64) { trades += 1; netPnL += net }

    enum CodingKeys: String, CodingKey { case trades, netPnL = "net_pnl_paise" }
}
