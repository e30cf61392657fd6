import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The state of one trade-bootstrap path while it is walked: equity (exact, paise), peak, worst drawdown
/// fraction, the day's low and floor, the lowest equity, and the outcome flags.
///
/// The fast walk goes stretch by stretch (``stretch`` trades) and keeps only the integer running peak
/// and low. Every drawdown in a stretch is at most its final peak minus its lowest equity, and every
/// peak in it at least the peak it started from, so that difference over the starting peak bounds every
/// drawdown fraction of the stretch from above; only when the bound beats the worst fraction so far is
/// the stretch walked again with the exact fraction per trade (rare once a path has had its first
/// drawdowns). The checked walk, used while the challenge is undecided, compares every trade with the
/// floors and the target.
struct TradeWalk {
    var equity: Int64
    var peak: Int64
    var worst = 0.0
    var dayLow: Int64
    /// Equity at or below which today's loss breaches the daily limit (Int64.min when not checked).
    var dayFloor: Int64
    var lowest: Int64
    var flags: UInt8 = 0
    var undecided: Bool
    /// Drawdown fraction of the peak that breaches the trailing limit (∞ when not trailing).
    let trailFraction: Double

    init(start: Int64, dayFloor: Int64, trailFraction: Double, undecided: Bool) {
        equity = start
        peak = start
        dayLow = start
        lowest = start
        self.dayFloor = dayFloor
        self.trailFraction = trailFraction
        self.undecided = undecided
    }

    /// Records a drawdown `dd` from `peak` if it is the worst fraction so far.
    @inline(__always)
    mutating func record(drawdown dd: Int64, peak: Int64) {
        let d = Double(dd), p = Double(peak)
        if d > worst * p {
            worst = d / p
            if d >= trailFraction * p { flags |= PathFlag.drawdownBreach }
        }
    }

    /// Ends the day: checks its low against its floor and opens the next day (with a floor when
    /// `nextDailyFraction` is given).
    @inline(__always)
    mutating func closeDay(nextDailyFraction: Double?) {
        if dayLow <= dayFloor { flags |= PathFlag.dailyLossBreach }
        lowest = Swift.min(lowest, dayLow)
        dayLow = equity
        if let fraction = nextDailyFraction { dayFloor = equity - limitAmount(fraction, of: equity) }
    }

    func outcome(start: Int64, staticFloor: Int64) -> PathOutcome {
        var flags = self.flags
        if lowest <= staticFloor { flags |= PathFlag.drawdownBreach }
        return PathOutcome(finalReturn: Double(equity - start) / Double(start), maxDrawdown: worst, flags: flags)
    }

    /// One path's range on its own: checked while undecided, then fast.
    @inline(__always)
    mutating func walk(_ pnl: UnsafePointer<Int64>, _ indices: UnsafePointer<UInt32>, from: Int, to: Int,
                       staticFloor: Int64, target: Int64) {
        var k = from
        if undecided {
            walkChecked(pnl, indices, from: &k, to: to, lowFloor: Swift.max(staticFloor, dayFloor), target: target)
        }
        while k < to {
            let last = Swift.min(to, k + TradeWalk.stretch)
            var e = equity, p = peak, low = Int64.max
            for j in k..<last {
                e &+= pnl[Int(indices[j])]
                p = Swift.max(p, e)
                low = Swift.min(low, e)
            }
            finishStretch(pnl, indices, from: k, to: last, peakAfter: p, low: low)
            equity = e
            peak = p
            k = last
        }
    }

    /// Trades per stretch of the fast walk: a stretch whose bound beats the worst drawdown so far is
    /// walked again, so short stretches keep those second walks short.
    static let stretch = 64

    /// Both paths' range, side by side (both decided), stretch by stretch. `indices` holds path a's
    /// indices, path b's follow at `indices + TradeBootstrapPlan.chunk`.
    @inline(__always)
    static func walkFast(_ a: inout TradeWalk, _ b: inout TradeWalk, _ pnl: UnsafePointer<Int64>,
                         _ indices: UnsafePointer<UInt32>, from: Int, to: Int) {
        let offset = TradeBootstrapPlan.chunk
        var first = from
        while first < to {
            let last = Swift.min(to, first + stretch)
            let r = stretchPair(pnl, indices + first, count: last - first, a.equity, a.peak, b.equity, b.peak)
            a.finishStretch(pnl, indices, from: first, to: last, peakAfter: r.pa, low: r.la)
            b.finishStretch(pnl, indices + offset, from: first, to: last, peakAfter: r.pb, low: r.lb)
            a.equity = r.ea; a.peak = r.pa
            b.equity = r.eb; b.peak = r.pb
            first = last
        }
    }

    /// The hot loop: two paths' equity, peak and low over one stretch. Kept out of line so that its
    /// handful of values stay in registers.
    @inline(never)
    static func stretchPair(_ pnl: UnsafePointer<Int64>, _ indices: UnsafePointer<UInt32>, count: Int,
                            _ equityA: Int64, _ peakA: Int64, _ equityB: Int64, _ peakB: Int64)
        -> (ea: Int64, pa: Int64, la: Int64, eb: Int64, pb: Int64, lb: Int64) {
        let indicesB = indices + TradeBootstrapPlan.chunk
        var ea = equityA, pa = peakA, la = Int64.max
        var eb = equityB, pb = peakB, lb = Int64.max
        for k in 0..<count {
            ea &+= pnl[Int(indices[k])]
            eb &+= pnl[Int(indicesB[k])]
            pa = Swift.max(pa, ea)
            pb = Swift.max(pb, eb)
            la = Swift.min(la, ea)
            lb = Swift.min(lb, eb)
        }
        return (ea, pa, la, eb, pb, lb)
    }

    /// After a fast stretch walked from the current equity and peak (not yet advanced): folds its low
    /// into the day's low and, when its drawdown bound beats the worst so far, walks it again exactly.
    @inline(__always)
    mutating func finishStretch(_ pnl: UnsafePointer<Int64>, _ indices: UnsafePointer<UInt32>, from: Int, to: Int,
                                peakAfter: Int64, low: Int64) {
        dayLow = Swift.min(dayLow, low)
        if boundBeatsWorst(peakAfter: peakAfter, low: low) { recordExactly(pnl, indices, from: from, to: to) }
    }

    /// Whether a stretch walked from the current peak may hold a drawdown fraction worse than the worst
    /// so far: its bound — highest peak minus lowest equity of the stretch, over the peak it started
    /// from — is never below a drawdown fraction of the stretch.
    @inline(__always)
    func boundBeatsWorst(peakAfter: Int64, low: Int64) -> Bool {
        Double(peakAfter &- low) > worst * Double(peak)
    }

    /// Walks a stretch from the current equity and peak (without advancing them), recording the exact
    /// drawdown fraction of every trade.
    @inline(__always)
    mutating func recordExactly(_ pnl: UnsafePointer<Int64>, _ indices: UnsafePointer<UInt32>, from: Int, to: Int) {
        var e = equity, p = peak
        for k in from..<to {
            e &+= pnl[Int(indices[k])]
            p = Swift.max(p, e)
            record(drawdown: p &- e, peak: p)
        }
    }

    /// The hot loop of a straight path: draws `words` × 4 trades and walks them from `equity` and
    /// `peak`, returning the equity, peak and lowest equity after them. Out of line so that its values
    /// stay in registers.
    @inline(never)
    static func straightStretch(_ rng: inout Xoshiro256StarStar, _ sampler: BoundedIndexSampler,
                                _ pnl: UnsafePointer<Int64>, words: Int, equity: Int64, peak: Int64)
        -> (equity: Int64, peak: Int64, low: Int64) {
        var generator = rng
        var e = equity, p = peak, low = Int64.max
        var left = words
        while left > 0 {
            let (i0, i1, i2, i3) = sampler.nextFour(&generator)
            e &+= pnl[Int(i0)]
            p = Swift.max(p, e)
            low = Swift.min(low, e)
            e &+= pnl[Int(i1)]
            p = Swift.max(p, e)
            low = Swift.min(low, e)
            e &+= pnl[Int(i2)]
            p = Swift.max(p, e)
            low = Swift.min(low, e)
            e &+= pnl[Int(i3)]
            p = Swift.max(p, e)
            low = Swift.min(low, e)
            left &-= 1
        }
        rng = generator
        return (e, p, low)
    }

    /// Walks from `k` until `stop` or until the challenge is decided (then `k` is the next trade).
    @inline(__always)
    mutating func walkChecked(_ pnl: UnsafePointer<Int64>, _ indices: UnsafePointer<UInt32>, from k: inout Int,
                              to stop: Int, lowFloor: Int64, target: Int64) {
        while k < stop {
            equity &+= pnl[Int(indices[k])]
            k += 1
            peak = Swift.max(peak, equity)
            let dd = peak &- equity
            record(drawdown: dd, peak: peak)
            dayLow = Swift.min(dayLow, equity)
            let breached = equity <= lowFloor || Double(dd) >= trailFraction * Double(peak)
            if breached || equity >= target {
                flags |= breached ? PathFlag.breachFirst : PathFlag.profitTargetFirst
                undecided = false
                return
            }
        }
    }
}
