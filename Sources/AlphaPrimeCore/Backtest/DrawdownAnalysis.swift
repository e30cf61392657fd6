import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// One fall of the equity curve from a peak: how deep, when, and how long until it was made good.
public struct DrawdownEpisode: Sendable, Equatable, Codable {
    /// Fall from the peak as a fraction of the peak, ≤ 0 (−0.25 is a 25 % drawdown).
    public var depth: Double
    /// Peak equity − trough equity, paise (≥ 0).
    public var amount: Int64
    public var peakEquity: Int64
    public var troughEquity: Int64
    /// Day-end of the peak; nil when the peak is the starting capital (before the first day).
    public var peakDate: LocalDate?
    public var troughDate: LocalDate
    /// First day-end back at or above the peak; nil when the curve had not recovered by the end.
    public var recoveryDate: LocalDate?
    /// Trading days from the peak to the trough.
    public var peakToTroughDays: Int
    /// Trading days under water: from the peak to the recovery, or to the last day when not recovered.
    public var tradingDays: Int

    public var recovered: Bool { recoveryDate != nil }

    enum CodingKeys: String, CodingKey {
        case depth, amount = "amount_paise", peakEquity = "peak_equity_paise", troughEquity = "trough_equity_paise"
        case peakDate = "peak_date", troughDate = "trough_date", recoveryDate = "recovery_date"
        case peakToTroughDays = "peak_to_trough_days", tradingDays = "trading_days"
    }

    public init(depth: Double, amount: Int64, peakEquity: Int64, troughEquity: Int64, peakDate: LocalDate?,
                troughDate: LocalDate, recoveryDate: LocalDate?, peakToTroughDays: Int, tradingDays: Int) {
        self.depth = depth; self.amount = amount; self.peakEquity = peakEquity; self.troughEquity = troughEquity
        self.peakDate = peakDate; self.troughDate = troughDate; self.recoveryDate = recoveryDate
        self.peakToTroughDays = peakToTroughDays; self.tradingDays = tradingDays
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        depth = try c.decodeRatio(forKey: .depth)
        amount = try c.decode(Int64.self, forKey: .amount)
        peakEquity = try c.decode(Int64.self, forKey: .peakEquity)
        troughEquity = try c.decode(Int64.self, forKey: .troughEquity)
        peakDate = try c.decodeIfPresent(LocalDate.self, forKey: .peakDate)
        troughDate = try c.decode(LocalDate.self, forKey: .troughDate)
        recoveryDate = try c.decodeIfPresent(LocalDate.self, forKey: .recoveryDate)
        peakToTroughDays = try c.decode(Int.self, forKey: .peakToTroughDays)
        tradingDays = try c.decode(Int.self, forKey: .tradingDays)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeRatio(depth, forKey: .depth)
        try c.encode(amount, forKey: .amount)
        try c.encode(peakEquity, forKey: .peakEquity)
        try c.encode(troughEquity, forKey: .troughEquity)
        try c.encode(peakDate, forKey: .peakDate)
        try c.encode(troughDate, forKey: .troughDate)
        try c.encode(recoveryDate, forKey: .recoveryDate)
        try c.encode(peakToTroughDays, forKey: .peakToTroughDays)
        try c.encode(tradingDays, forKey: .tradingDays)
    }
}

/// Drawdowns of a day-end equity curve, from the exact paise (no compounding of rounded returns).
///
/// The curve is E_0 = starting capital, then each day's closing equity. The drawdown on a day is
/// (E − running peak) / running peak, the numerator exact in paise; its minimum is empyrical's
/// `max_drawdown` of the same daily returns. A return to exactly the peak ends a drawdown.
public struct DrawdownAnalysis: Sendable {
    /// Drawdown at each day-end (≤ 0), one per day of the curve.
    public var series: [Double]
    /// The deepest drawdown (the first, when two are equally deep); nil when the curve never fell.
    public var deepest: DrawdownEpisode?
    /// The longest time under water, in trading days from a peak to its recovery (or to the last day
    /// when not recovered); 0 when the curve never fell.
    public var longestTradingDays: Int
    /// NaN for an empty curve, else min(series, 0).
    public var maxDrawdown: Double

    public init(startingCapital: Int64, days: [DailyEquity]) {
        series = []
        series.reserveCapacity(days.count)
        longestTradingDays = 0
        deepest = nil
        guard !days.isEmpty else { maxDrawdown = .nan; return }

        // Index 0 is the starting capital; index i (1...n) is the close of days[i - 1].
        func equity(_ i: Int) -> Int64 { i == 0 ? startingCapital : days[i - 1].equity }
        var peak = startingCapital, peakIndex = 0
        var worst = 0.0, worstIndex = -1, worstPeakIndex = 0
        for i in 1...days.count {
            let e = equity(i)
            if e >= peak {
                // Back at (or above) the peak: a drawdown that started at peakIndex, if any, ends here.
                if i - peakIndex > 1 { longestTradingDays = max(longestTradingDays, i - peakIndex) }
                peak = e; peakIndex = i
                series.append(0)
            } else {
                let dd = Double(e - peak) / Double(peak)
                series.append(dd)
                if dd < worst { worst = dd; worstIndex = i; worstPeakIndex = peakIndex }
            }
        }
        if equity(days.count) < peak { longestTradingDays = max(longestTradingDays, days.count - peakIndex) }
        maxDrawdown = worst

        guard worstIndex > 0 else { return }
        let peakEquity = equity(worstPeakIndex), troughEquity = equity(worstIndex)
        var recovery: Int?
        for i in (worstIndex + 1)..<(days.count + 1) where equity(i) >= peakEquity {
            recovery = i
            break
        }
        deepest = DrawdownEpisode(
            depth: worst, amount: peakEquity - troughEquity, peakEquity: peakEquity, troughEquity: troughEquity,
            peakDate: worstPeakIndex == 0 ? nil : days[worstPeakIndex - 1].date,
            troughDate: days[worstIndex - 1].date, recoveryDate: recovery.map { days[$0 - 1].date },
            peakToTroughDays: worstIndex - worstPeakIndex,
            tradingDays: (recovery ?? days.count) - worstPeakIndex)
    }
}
