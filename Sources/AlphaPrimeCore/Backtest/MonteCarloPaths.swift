import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Dispatch

/// Bits of a path's outcome.
enum PathFlag {
    static let dailyLossBreach: UInt8 = 1
    static let drawdownBreach: UInt8 = 2
    static let profitTargetFirst: UInt8 = 4
    static let breachFirst: UInt8 = 8
}

/// One path's outcome: final return and max drawdown as fractions, and its ``PathFlag`` bits.
struct PathOutcome: Equatable {
    var finalReturn: Double
    var maxDrawdown: Double
    var flags: UInt8
}

/// A simulation whose paths can be run independently, in any order, on any thread.
protocol PathSimulation: Sendable {
    /// Runs paths `a` and `b`, each from its own generator stream, reading only immutable inputs. Each
    /// outcome depends only on the inputs and its own index (`run(i, i)` gives path i twice).
    func run(_ a: Int, _ b: Int) -> (PathOutcome, PathOutcome)
}

/// The amount of a limit: `fraction` of `base`, rounded up to the paisa, at least one paisa.
@inline(__always)
func limitAmount(_ fraction: Double, of base: Int64) -> Int64 {
    base <= 0 ? 1 : Swift.max(1, Int64((fraction * Double(base)).rounded(.up)))
}

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
            // Only the daily-loss limit looks at days; without it a path is walked as one stretch.
            dayEnds = limits.dailyLossPercent == nil ? [pnl.count] : ends
        } else {
            guard limits.dailyLossPercent == nil else { throw MonteCarloError.dailyLossLimitNeedsTradesPerDay }
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
                              undecided: targetEquity != nil)
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
                }
            }
            chunkStart += count
        }
        return (walkA.outcome(start: start, staticFloor: staticFloor),
                walkB.outcome(start: start, staticFloor: staticFloor))
    }
}

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

/// The daily-return bootstrap, ready to run: growth factors (1 + return) and the limits as fractions.
/// Equity is compounded in units of the starting capital (1.0 = starting capital).
struct DailyBootstrapPlan: PathSimulation, Sendable {
    let growth: [Double]
    let seed: UInt64
    /// A day whose growth factor is at or below this breaches the daily-loss limit (−∞ when unset).
    let dailyGrowthFloor: Double
    let drawdownFraction: Double?
    let trailing: Bool
    let targetEquity: Double?

    init(returns: [Double], options: MonteCarloOptions) throws {
        try MonteCarlo.validate(options)
        guard !returns.isEmpty else { throw MonteCarloError.nothingToResample(what: "days") }
        for (i, r) in returns.enumerated() where !r.isFinite || r <= -1 {
            throw MonteCarloError.invalidDailyReturn(index: i, value: r)
        }
        growth = returns.map { 1 + $0 }
        seed = options.seed
        let limits = options.limits
        dailyGrowthFloor = limits.dailyLossPercent.map { 1 - $0 / 100 } ?? -.infinity
        drawdownFraction = limits.maxDrawdownPercent.map { $0 / 100 }
        trailing = limits.drawdownKind == .trailing
        targetEquity = limits.profitTargetPercent.map { 1 + $0 / 100 }
    }

    func run(_ a: Int, _ b: Int) -> (PathOutcome, PathOutcome) {
        growth.withUnsafeBufferPointer { (runPath(a, growth: $0), runPath(b, growth: $0)) }
    }

    @inline(__always)
    private func runPath(_ index: Int, growth: UnsafeBufferPointer<Double>) -> PathOutcome {
        var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(index))
        let bound = UInt64(growth.count)
        var equity = 1.0
        var peak = 1.0
        var maxDrawdown = 0.0
        var flags: UInt8 = 0
        let keep = 1 - (drawdownFraction ?? 0)
        var drawdownFloor = drawdownFraction == nil ? -Double.infinity : keep
        var undecided = targetEquity != nil
        let target = targetEquity ?? .infinity
        for _ in 0..<growth.count {
            let g = growth[Int(truncatingIfNeeded: rng.next(below: bound))]
            equity *= g
            if equity > peak {
                peak = equity
                if trailing && drawdownFraction != nil { drawdownFloor = peak * keep }
            } else {
                maxDrawdown = Swift.max(maxDrawdown, (peak - equity) / peak)
            }
            let dailyBreach = g <= dailyGrowthFloor
            let drawdownBreach = equity <= drawdownFloor
            if dailyBreach { flags |= PathFlag.dailyLossBreach }
            if drawdownBreach { flags |= PathFlag.drawdownBreach }
            if undecided {
                if dailyBreach || drawdownBreach {
                    flags |= PathFlag.breachFirst
                    undecided = false
                } else if equity >= target {
                    flags |= PathFlag.profitTargetFirst
                    undecided = false
                }
            }
        }
        return PathOutcome(finalReturn: equity - 1, maxDrawdown: maxDrawdown, flags: flags)
    }
}

/// Where the workers write: the base addresses of the preallocated per-path result arrays. Every path
/// index is written by exactly one worker, so the slots are never shared.
// @unchecked: raw pointers into arrays that outlive the workers; disjoint indices per worker.
private struct PathSlots: @unchecked Sendable {
    let finalReturn: UnsafeMutablePointer<Double>
    let maxDrawdown: UnsafeMutablePointer<Double>
    let flags: UnsafeMutablePointer<UInt8>

    func store(_ outcome: PathOutcome, at path: Int) {
        finalReturn[path] = outcome.finalReturn
        maxDrawdown[path] = outcome.maxDrawdown
        flags[path] = outcome.flags
    }
}

extension MonteCarlo {
    /// Paths per block: the unit of work handed to a worker (even: paths run in pairs).
    static let blockSize = 64

    /// Runs every path of `simulation` and returns the outcomes indexed by path.
    ///
    /// Paths are cut into blocks of ``blockSize``; every path's outcome is written into its own slot
    /// of preallocated arrays. With `threads` nil the blocks are handed to
    /// `DispatchQueue.concurrentPerform`, which runs them on every core and balances them as cores
    /// free up (other processes may hold one). With an explicit number W, worker w runs blocks w,
    /// w + W, w + 2W, … (W = 1 runs them all on the calling thread). The outcome of a path depends only
    /// on the inputs and its index, so the result is the same either way.
    static func simulate<S: PathSimulation>(_ simulation: S, simulations: Int, threads: Int?) -> Paths {
        var finalReturn = [Double](repeating: 0, count: simulations)
        var maxDrawdown = [Double](repeating: 0, count: simulations)
        var flags = [UInt8](repeating: 0, count: simulations)
        let blocks = (simulations + blockSize - 1) / blockSize
        finalReturn.withUnsafeMutableBufferPointer { fr in
            maxDrawdown.withUnsafeMutableBufferPointer { dd in
                flags.withUnsafeMutableBufferPointer { fl in
                    let slots = PathSlots(finalReturn: fr.baseAddress!, maxDrawdown: dd.baseAddress!,
                                          flags: fl.baseAddress!)
                    let runBlock = { @Sendable (block: Int) in
                        let end = Swift.min(simulations, (block + 1) * blockSize)
                        var path = block * blockSize
                        while path + 1 < end {
                            let (a, b) = simulation.run(path, path + 1)
                            slots.store(a, at: path)
                            slots.store(b, at: path + 1)
                            path += 2
                        }
                        if path < end { slots.store(simulation.run(path, path).0, at: path) }
                    }
                    guard let threads else {
                        DispatchQueue.concurrentPerform(iterations: blocks, execute: runBlock)
                        return
                    }
                    let workers = Swift.max(1, Swift.min(threads, blocks))
                    let work = { @Sendable (worker: Int) in
                        for block in stride(from: worker, to: blocks, by: workers) { runBlock(block) }
                    }
                    if workers == 1 {
                        work(0)
                    } else {
                        DispatchQueue.concurrentPerform(iterations: workers, execute: work)
                    }
                }
            }
        }
        return Paths(finalReturn: finalReturn, maxDrawdown: maxDrawdown, flags: flags)
    }
}
