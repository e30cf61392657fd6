import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The trade bootstrap, ready to run: the P&L list, the day boundaries, the limits in paise.
///
/// Two ways to walk a path, with the same trades and the same outcome: straight (``runStraight``: draw
/// four trades, walk them, draw the next four — no days, no target to watch) or in pairs over a buffer
/// of drawn indices (``runPair``: two paths side by side; both have the same length and calendar, so
/// they share every loop bound, and their two independent chains of additions and running maxima keep
/// the processor busy where one chain would make it wait). A path's arithmetic is the same whether it
/// runs beside another path or beside a copy of itself.
struct TradeBootstrapPlan: PathSimulation, Sendable {
    let pnl: [Int64]
    /// End index (exclusive) of each day's trades in a path; the last is `pnl.count`. One day when no
    /// daily-loss limit is set.
    let dayEnds: [Int]
    /// Trading days of the record (days with trades).
    let dayCount: Int
    let sampler: BoundedIndexSampler
    let seed: UInt64
    let startingCapital: Int64
    let dailyLossFraction: Double?
    let drawdownFraction: Double?
    let trailing: Bool
    /// Equity that passes, or nil without a profit target.
    let targetEquity: Int64?
    /// Trades of a path within which the target counts: those of the window's first days in the
    /// trade list's day structure (`Int.max` without a window).
    let targetTrades: Int
    /// Paths are walked straight — drawn and walked in one loop, one path at a time, no index buffer —
    /// when nothing looks at days or at a target and a draw gives four trades. Either way the trades of
    /// a path and its outcome are the same.
    var straight: Bool

    init(pnl: [Int64], tradesPerDay: [Int]?, options: MonteCarloOptions) throws {
        try MonteCarlo.validate(options)
        guard !pnl.isEmpty else { throw MonteCarloError.nothingToResample(what: "trades") }
        guard pnl.count <= Int(UInt32.max) else { throw MonteCarloError.tooManyToResample(pnl.count) }
        let limits = options.limits
        if let tradesPerDay {
            var sum = 0
            var ends: [Int] = []
            ends.reserveCapacity(tradesPerDay.count)
            var negative = false
            for count in tradesPerDay {
                negative = negative || count < 0
                sum += count
                if count > 0 { ends.append(sum) }
            }
            guard !negative, sum == pnl.count else {
                throw MonteCarloError.tradesPerDayMismatch(sum: sum, trades: pnl.count)
            }
            dayCount = ends.count
            // Only the daily-loss limit and a target window look at days; without them a path is
            // walked as one stretch.
            dayEnds = limits.dailyLossPercent == nil && limits.profitTargetDays == nil ? [pnl.count] : ends
        } else {
            guard limits.dailyLossPercent == nil else { throw MonteCarloError.dailyLossLimitNeedsTradesPerDay }
            guard limits.profitTargetDays == nil else { throw MonteCarloError.profitTargetWindowNeedsTradesPerDay }
            dayCount = 1
            dayEnds = [pnl.count]
        }
        self.pnl = pnl
        sampler = BoundedIndexSampler(bound: UInt32(pnl.count))
        seed = options.seed
        startingCapital = options.startingCapital
        dailyLossFraction = limits.dailyLossPercent.map { $0 / 100 }
        drawdownFraction = limits.maxDrawdownPercent.map { $0 / 100 }
        trailing = limits.drawdownKind == .trailing
        targetTrades = limits.profitTargetDays.map { (tradesPerDay ?? []).prefix($0).reduce(0, +) } ?? .max
        targetEquity = limits.profitTargetPercent.map {
            options.startingCapital + limitAmount($0 / 100, of: options.startingCapital)
        }
        straight = dailyLossFraction == nil && targetEquity == nil && sampler.perDraw == 4
    }

    /// Trades drawn per refill of a path's index buffer (a multiple of 1, 2, 3 and 4, so that every
    /// refill but a path's last uses whole draws).
    static let chunk = 480

    func run(_ a: Int, _ b: Int) -> (PathOutcome, PathOutcome) {
        if straight {
            return pnl.withUnsafeBufferPointer {
                (runStraight(a, pnl: $0.baseAddress!), runStraight(b, pnl: $0.baseAddress!))
            }
        }
        return pnl.withUnsafeBufferPointer { pnl in
            dayEnds.withUnsafeBufferPointer { dayEnds in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * Self.chunk) { indices in
                    runPair(a, b, pnl: pnl.baseAddress!, dayEnds: dayEnds, indices: indices.baseAddress!)
                }
            }
        }
    }

    /// Drawdown fraction of the peak that breaches the trailing limit (∞ when not trailing): breached
    /// when drawdown ≥ fraction × peak (paise are whole, so this is the limit rounded up to the paisa).
    var trailFraction: Double { drawdownFraction != nil && trailing ? drawdownFraction! : .infinity }

    /// Equity at or below which the static drawdown limit is breached (Int64.min when not static).
    var staticFloor: Int64 {
        guard let fraction = drawdownFraction, !trailing else { return Int64.min }
        return startingCapital - limitAmount(fraction, of: startingCapital)
    }

    /// One path without days or target, stretch by stretch: draw four trades and walk them, draw the
    /// next four, … (``TradeWalk/straightStretch``). A stretch whose drawdown bound beats the worst so far
    /// is drawn again from the generator state it started with and walked exactly. The trades come in
    /// the order ``runPair`` walks them: draw by draw, most significant digit first.
    @inline(__always)
    private func runStraight(_ index: Int, pnl: UnsafePointer<Int64>) -> PathOutcome {
        var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(index))
        let n = self.pnl.count
        let staticFloor = self.staticFloor
        var walk = TradeWalk(start: startingCapital, dayFloor: Int64.min, trailFraction: trailFraction,
                             undecided: false)
        let words = n / 4
        let stretchWords = TradeWalk.stretch / 4
        var w = 0
        while w < words {
            let count = Swift.min(stretchWords, words - w)
            let replay = rng
            let r = TradeWalk.straightStretch(&rng, sampler, pnl, words: count, equity: walk.equity, peak: walk.peak)
            walk.dayLow = Swift.min(walk.dayLow, r.low)
            if walk.boundBeatsWorst(peakAfter: r.peak, low: r.low) {
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: TradeWalk.stretch) { buffer in
                    var again = replay
                    sampler.fill(buffer.baseAddress!, count: 4 * count, using: &again)
                    walk.recordExactly(pnl, buffer.baseAddress!, from: 0, to: 4 * count)
                }
            }
            walk.equity = r.equity
            walk.peak = r.peak
            w += count
        }
        let rest = n - 4 * words
        if rest > 0 {
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 4) { buffer in
                sampler.fill(buffer.baseAddress!, count: rest, using: &rng)
                walk.walk(pnl, buffer.baseAddress!, from: 0, to: rest, staticFloor: staticFloor, target: Int64.max)
            }
        }
        walk.closeDay(nextDailyFraction: nil)
        return walk.outcome(start: startingCapital, staticFloor: staticFloor)
    }

    /// Two paths, in two alternating loops: draw the next chunk of trade indices of each (several per
    /// 64-bit draw, ``BoundedIndexSampler``; path a's in `indices[0 ..< chunk]`, path b's after them),
    /// then walk them range by range — a range being the part of a chunk inside one day. The indices of
    /// a path depend only on the seed, the path and the number of trades. See ``TradeWalk``.
    @inline(__always)
    private func runPair(_ a: Int, _ b: Int, pnl: UnsafePointer<Int64>, dayEnds: UnsafeBufferPointer<Int>,
                         indices: UnsafeMutablePointer<UInt32>) -> (PathOutcome, PathOutcome) {
        var rngA = Xoshiro256StarStar(seed: seed, stream: UInt64(a))
        var rngB = Xoshiro256StarStar(seed: seed, stream: UInt64(b))
        let n = self.pnl.count
        let start = startingCapital
        let hasDaily = dailyLossFraction != nil
        let dailyFraction = dailyLossFraction ?? 0
        let staticFloor = self.staticFloor
        let target = targetEquity ?? Int64.max
        let firstDayFloor = hasDaily ? start - limitAmount(dailyFraction, of: start) : Int64.min
        var walkA = TradeWalk(start: start, dayFloor: firstDayFloor, trailFraction: trailFraction,
                              undecided: targetEquity != nil && targetTrades > 0)
        var walkB = walkA
        let indicesB = indices + Self.chunk
        var day = 0
        var dayEnd = dayEnds[0]
        var chunkStart = 0
        while chunkStart < n {
            let count = Swift.min(Self.chunk, n - chunkStart)
            sampler.fill(indices, count: count, using: &rngA)
            sampler.fill(indicesB, count: count, using: &rngB)
            var k = 0
            while k < count {
                let stop = Swift.min(count, dayEnd - chunkStart)
                if walkA.undecided || walkB.undecided {
                    walkA.walk(pnl, indices, from: k, to: stop, staticFloor: staticFloor, target: target)
                    walkB.walk(pnl, indicesB, from: k, to: stop, staticFloor: staticFloor, target: target)
                } else {
                    TradeWalk.walkFast(&walkA, &walkB, pnl, indices, from: k, to: stop)
                }
                k = stop
                if chunkStart + k == dayEnd {
                    day += 1
                    let another = day < dayEnds.count
                    if another { dayEnd = dayEnds[day] }
                    let fraction: Double? = hasDaily && another ? dailyFraction : nil
                    walkA.closeDay(nextDailyFraction: fraction)
                    walkB.closeDay(nextDailyFraction: fraction)
                    if chunkStart + k >= targetTrades {   // the window closed: a path still undecided missed the target
                        walkA.undecided = false
                        walkB.undecided = false
                    }
                }
            }
            chunkStart += count
        }
        return (walkA.outcome(start: start, staticFloor: staticFloor),
                walkB.outcome(start: start, staticFloor: staticFloor))
    }
}
