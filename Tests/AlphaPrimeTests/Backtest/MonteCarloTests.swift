import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

@Suite struct MonteCarloRandomTests {
    /// Outputs of Vigna's reference `splitmix64.c` for this seed (as published with rand_xoshiro).
    @Test func splitMix64MatchesTheReferenceImplementation() {
        var rng = SplitMix64(seed: 1_477_776_061_723_855_037)
        let expected: [UInt64] = [
            1_985_237_415_132_408_290, 2_979_275_885_539_914_483, 13_511_426_838_097_143_398,
            8_488_337_342_461_049_707, 15_141_737_807_933_549_159, 17_093_170_987_380_407_015,
            16_389_528_042_912_955_399, 13_177_319_091_862_933_652,
        ]
        for value in expected { #expect(rng.next() == value) }
    }

    /// Outputs of the reference `xoshiro256starstar.c` from the state (1, 2, 3, 4).
    @Test func xoshiro256StarStarMatchesTheReferenceImplementation() {
        var rng = Xoshiro256StarStar(state: (1, 2, 3, 4))
        let expected: [UInt64] = [
            11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360,
            607_988_272_756_665_600, 16_172_922_978_634_559_625, 8_476_171_486_693_032_832,
            10_595_114_339_597_558_777, 2_904_607_092_377_533_576,
        ]
        for value in expected { #expect(rng.next() == value) }
    }

    @Test func seedingGoesThroughSplitMix64() {
        var seeder = SplitMix64(seed: 42)
        let rng = Xoshiro256StarStar(seed: 42)
        #expect(rng.s0 == seeder.next())
        #expect(rng.s1 == seeder.next())
        #expect(rng.s2 == seeder.next())
        #expect(rng.s3 == seeder.next())
    }

    @Test func streamsOfOneSeedDifferAndRepeat() {
        var a = Xoshiro256StarStar(seed: 7, stream: 0)
        var b = Xoshiro256StarStar(seed: 7, stream: 1)
        var a2 = Xoshiro256StarStar(seed: 7, stream: 0)
        var c = Xoshiro256StarStar(seed: 8, stream: 0)
        let first = (0..<4).map { _ in a.next() }
        #expect(first == (0..<4).map { _ in a2.next() })
        #expect(first != (0..<4).map { _ in b.next() })
        #expect(first != (0..<4).map { _ in c.next() })
    }

    /// Chi-square of 70,000 draws in 0..<7: 6 degrees of freedom, 22.46 is the 0.1 % critical value.
    @Test func boundedIntegersAreUniformOnASmallRange() {
        var rng = Xoshiro256StarStar(seed: 2024)
        var counts = [Int](repeating: 0, count: 7)
        let draws = 70_000
        for _ in 0..<draws { counts[Int(rng.next(below: 7))] += 1 }
        let expected = Double(draws) / 7
        let chiSquare = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        #expect(chiSquare < 22.46, "counts \(counts), chi-square \(chiSquare)")
    }

    /// With bound 3·2⁶², taking the draw modulo the bound would put half of the results below 2⁶²;
    /// an unbiased method puts a third there.
    @Test func boundedIntegersHaveNoModuloBiasOnAHugeRange() {
        var rng = Xoshiro256StarStar(seed: 99)
        let bound: UInt64 = 3 << 62
        let draws = 30_000
        var below = 0
        for _ in 0..<draws {
            let x = rng.next(below: bound)
            #expect(x < bound)
            if x < 1 << 62 { below += 1 }
        }
        let share = Double(below) / Double(draws)
        #expect(abs(share - 1.0 / 3) < 0.015, "share below 2^62: \(share)")
    }

    /// Chi-square of 70,000 batched draws in 0..<7 (four per 64-bit draw), and of the 49 pairs formed by
    /// the digits of one draw (independence within a draw; 48 degrees of freedom, 0.1 % critical value
    /// 84.04).
    @Test func batchedIndicesAreUniformAndIndependentWithinADraw() {
        let sampler = BoundedIndexSampler(bound: 7)
        #expect(sampler.perDraw == 4)
        var rng = Xoshiro256StarStar(seed: 77)
        let draws = 70_000
        var counts = [Int](repeating: 0, count: 7)
        var pairs = [Int](repeating: 0, count: 49)
        let buffer = UnsafeMutablePointer<UInt32>.allocate(capacity: draws)
        defer { buffer.deallocate() }
        sampler.fill(buffer, count: draws, using: &rng)
        for i in 0..<draws { counts[Int(buffer[i])] += 1 }
        for i in stride(from: 0, to: draws, by: 4) { pairs[Int(buffer[i]) * 7 + Int(buffer[i + 1])] += 1 }
        func chiSquare(_ counts: [Int], total: Int) -> Double {
            let expected = Double(total) / Double(counts.count)
            return counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        }
        #expect(chiSquare(counts, total: draws) < 22.46, "\(counts)")
        #expect(chiSquare(pairs, total: draws / 4) < 84.04, "\(pairs)")
    }

    @Test func fillGivesTheDigitsOfSuccessiveDrawsInOrder() {
        let sampler = BoundedIndexSampler(bound: 18_421)
        var a = Xoshiro256StarStar(seed: 5, stream: 9)
        var b = a
        let buffer = UnsafeMutablePointer<UInt32>.allocate(capacity: 1_003)
        defer { buffer.deallocate() }
        sampler.fill(buffer, count: 1_003, using: &a)
        var expected: [UInt32] = []
        while expected.count < 1_003 {
            let (d0, d1, d2, d3) = sampler.nextFour(&b)
            expected += [d0, d1, d2, d3]
        }
        #expect(Array(UnsafeBufferPointer(start: buffer, count: 1_003)) == Array(expected.prefix(1_003)))
        #expect(a == b)   // the last draw's fourth digit is dropped, not kept for later
        #expect(expected.allSatisfy { $0 < 18_421 })
    }

    @Test func drawsPerWordFollowTheBound() {
        #expect(BoundedIndexSampler(bound: 23_170).perDraw == 4)   // 23,170⁴ ≤ 2⁵⁸
        #expect(BoundedIndexSampler(bound: 23_171).perDraw == 3)
        #expect(BoundedIndexSampler(bound: 1 << 19).perDraw == 3)
        #expect(BoundedIndexSampler(bound: 1 << 20).perDraw == 2)
        #expect(BoundedIndexSampler(bound: 1 << 29).perDraw == 2)
        #expect(BoundedIndexSampler(bound: 1 << 30).perDraw == 1)
        #expect(BoundedIndexSampler(bound: 1).perDraw == 4)
    }

    /// With bound 3·2³⁰ (one integer per draw) a modulo reduction would favour the low third; the
    /// sampler puts a third of the draws below 2³⁰. Three per draw for bound 100,000: uniform halves.
    @Test func largeBoundsStayUnbiased() {
        let huge = BoundedIndexSampler(bound: 3 << 30)
        var rng = Xoshiro256StarStar(seed: 8)
        let buffer = UnsafeMutablePointer<UInt32>.allocate(capacity: 30_000)
        defer { buffer.deallocate() }
        huge.fill(buffer, count: 30_000, using: &rng)
        let low = (0..<30_000).filter { buffer[$0] < 1 << 30 }.count
        #expect(abs(Double(low) / 30_000 - 1.0 / 3) < 0.015)
        let three = BoundedIndexSampler(bound: 100_000)
        three.fill(buffer, count: 30_000, using: &rng)
        #expect((0..<30_000).allSatisfy { buffer[$0] < 100_000 })
        let below = (0..<30_000).filter { buffer[$0] < 50_000 }.count
        #expect(abs(Double(below) / 30_000 - 0.5) < 0.015)
    }

    @Test func boundOfOneIsAlwaysZero() {
        var rng = Xoshiro256StarStar(seed: 5)
        for _ in 0..<100 { #expect(rng.next(below: 1) == 0) }
    }
}

@Suite struct MonteCarloTests {
    /// A seeded list of small trade P&Ls (paise) with a slight edge, and a calendar of 1–6 trades a day.
    static let trades: (pnl: [Int64], perDay: [Int]) = {
        var rng = Xoshiro256StarStar(seed: 314)
        let pnl = (0..<600).map { _ in Int64(rng.next(below: 400_001)) - 195_000 }
        var perDay: [Int] = []
        var left = pnl.count
        while left > 0 {
            let n = min(left, Int(rng.next(below: 6)) + 1)
            perDay.append(n)
            left -= n
        }
        return (pnl, perDay)
    }()

    static let capital: Int64 = 10_000_000   // ₹1,00,000

    func options(seed: UInt64 = 11, simulations: Int = 2_000, limits: MonteCarloLimits = MonteCarloLimits(
        dailyLossPercent: 3, maxDrawdownPercent: 10, drawdownKind: .trailing, profitTargetPercent: 8)) -> MonteCarloOptions {
        MonteCarloOptions(simulations: simulations, seed: seed, startingCapital: Self.capital, limits: limits)
    }

    @Test func sameSeedGivesIdenticalResults() throws {
        let a = try MonteCarlo.tradeBootstrap(pnl: Self.trades.pnl, tradesPerDay: Self.trades.perDay, options: options())
        let b = try MonteCarlo.tradeBootstrap(pnl: Self.trades.pnl, tradesPerDay: Self.trades.perDay, options: options())
        #expect(a == b)
        let returns = (0..<250).map { Double($0 % 7 - 3) / 100 }
        let c = try MonteCarlo.dailyReturnBootstrap(returns: returns, options: options())
        let d = try MonteCarlo.dailyReturnBootstrap(returns: returns, options: options())
        #expect(c == d)
    }

    @Test func differentSeedGivesDifferentResults() throws {
        let a = try MonteCarlo.tradeBootstrap(pnl: Self.trades.pnl, tradesPerDay: Self.trades.perDay, options: options(seed: 1))
        let b = try MonteCarlo.tradeBootstrap(pnl: Self.trades.pnl, tradesPerDay: Self.trades.perDay, options: options(seed: 2))
        #expect(a.finalReturnPercent != b.finalReturnPercent)
        #expect(a.maxDrawdownPercent != b.maxDrawdownPercent)
    }

    @Test func oneThreadAndTwoThreadsGiveIdenticalPaths() throws {
        // 2,001 paths = 32 blocks of 64 (the last one partial, with an odd path), shared out differently
        // by 1, 2 and 3 workers and by Dispatch.
        let opts = options(simulations: 2_001)
        let plan = try TradeBootstrapPlan(pnl: Self.trades.pnl, tradesPerDay: Self.trades.perDay, options: opts)
        let one = MonteCarlo.simulate(plan, simulations: opts.simulations, threads: 1)
        let two = MonteCarlo.simulate(plan, simulations: opts.simulations, threads: 2)
        let three = MonteCarlo.simulate(plan, simulations: opts.simulations, threads: 3)
        let balanced = MonteCarlo.simulate(plan, simulations: opts.simulations, threads: nil)
        #expect(one == two)
        #expect(one == three)
        #expect(one == balanced)
        let r1 = try MonteCarlo.tradeBootstrap(pnl: Self.trades.pnl, tradesPerDay: Self.trades.perDay, options: opts, threads: 1)
        let r2 = try MonteCarlo.tradeBootstrap(pnl: Self.trades.pnl, tradesPerDay: Self.trades.perDay, options: opts, threads: 2)
        #expect(r1 == r2)
        let plain = options(simulations: 2_001, limits: MonteCarloLimits())
        let s1 = try MonteCarlo.tradeBootstrap(pnl: Self.trades.pnl, options: plain, threads: 1)
        let s2 = try MonteCarlo.tradeBootstrap(pnl: Self.trades.pnl, options: plain, threads: 2)
        let sAll = try MonteCarlo.tradeBootstrap(pnl: Self.trades.pnl, options: plain)
        #expect(s1 == s2)
        #expect(s1 == sAll)
        let returns = (0..<250).map { sin(Double($0)) / 50 }
        let d1 = try MonteCarlo.dailyReturnBootstrap(returns: returns, options: opts, threads: 1)
        let d2 = try MonteCarlo.dailyReturnBootstrap(returns: returns, options: opts, threads: 2)
        #expect(d1 == d2)
    }

    /// The straight walk (no days, no target) and the buffered walk of paths in pairs give every path
    /// the same trades and outcome, with and without drawdown limits; so does a path run beside itself.
    @Test func straightAndPairedWalksGiveTheSamePaths() throws {
        for limits in [MonteCarloLimits(), MonteCarloLimits(maxDrawdownPercent: 4, drawdownKind: .static),
                       MonteCarloLimits(maxDrawdownPercent: 4, drawdownKind: .trailing)] {
            let opts = options(seed: 21, simulations: 300, limits: limits)
            let straight = try TradeBootstrapPlan(pnl: Self.trades.pnl, tradesPerDay: Self.trades.perDay, options: opts)
            #expect(straight.straight)
            var paired = straight
            paired.straight = false
            #expect(MonteCarlo.simulate(straight, simulations: 300, threads: 1)
                    == MonteCarlo.simulate(paired, simulations: 300, threads: 1))
            #expect(paired.run(3, 8).0 == paired.run(3, 3).0)
            #expect(paired.run(3, 8).1 == paired.run(8, 8).0)
        }
        // A daily limit or a target turns the straight walk off.
        let daily = try TradeBootstrapPlan(pnl: Self.trades.pnl, tradesPerDay: Self.trades.perDay, options: options())
        #expect(!daily.straight)
    }

    /// More trades than four-per-draw allows (23,171 and up) take the general sampler; still the same
    /// result for any number of threads.
    @Test func longTradeListsUseTheGeneralSampler() throws {
        var rng = Xoshiro256StarStar(seed: 4)
        let pnl = (0..<30_000).map { _ in Int64(rng.next(below: 2_001)) - 990 }
        let opts = MonteCarloOptions(simulations: 130, seed: 2, startingCapital: 1_000_000)
        let plan = try TradeBootstrapPlan(pnl: pnl, tradesPerDay: nil, options: opts)
        #expect(!plan.straight)
        let one = try MonteCarlo.tradeBootstrap(pnl: pnl, options: opts, threads: 1)
        let two = try MonteCarlo.tradeBootstrap(pnl: pnl, options: opts, threads: 2)
        #expect(one == two)
        #expect(one.pathLength == 30_000)
    }

    @Test func allEqualWinningTradesGiveTheDeterministicPath() throws {
        let pnl = [Int64](repeating: 12_345, count: 400)
        let result = try MonteCarlo.tradeBootstrap(pnl: pnl, options: options(limits: MonteCarloLimits(maxDrawdownPercent: 5)))
        let expected = Double(400 * 12_345) / Double(Self.capital) * 100
        for p in result.finalReturnPercent.percentiles + [result.finalReturnPercent.mean] {
            #expect(abs(p - expected) < 1e-9)
        }
        #expect(result.finalReturnPercent.min == result.finalReturnPercent.max)
        #expect(result.maxDrawdownPercent.max == 0)
        #expect(result.probabilityOfLoss == 0)
        #expect(result.drawdownBreachProbability == 0)
    }

    @Test func allEqualLosingTradesGiveTheDeterministicDrawdown() throws {
        let pnl = [Int64](repeating: -10_000, count: 300)   // −₹30,000 on ₹1,00,000
        let result = try MonteCarlo.tradeBootstrap(pnl: pnl, options: options(limits: MonteCarloLimits()))
        for d in [result.finalReturnPercent, result.maxDrawdownPercent] {
            for p in d.percentiles + [d.mean, d.min, d.max] { #expect(abs(abs(p) - 30) < 1e-9) }
        }
        #expect(result.finalReturnPercent.max < 0)
        #expect(result.probabilityOfLoss == 1)
        #expect(result.drawdownBreachProbability == nil)
        #expect(result.anyBreachProbability == nil)
    }

    @Test func constantDailyReturnsCompoundDeterministically() throws {
        let result = try MonteCarlo.dailyReturnBootstrap(returns: [0.01, 0.01, 0.01], options: options(limits: MonteCarloLimits()))
        let expected = (1.01 * 1.01 * 1.01 - 1) * 100
        #expect(abs(result.finalReturnPercent.min - expected) < 1e-9)
        #expect(abs(result.finalReturnPercent.max - expected) < 1e-9)
        #expect(result.maxDrawdownPercent.max == 0)
    }

    @Test func drawdownLimitCertainlyBreachedOrCertainlyNot() throws {
        for kind in DrawdownLimitKind.allCases {
            let limits = MonteCarloLimits(maxDrawdownPercent: 5, drawdownKind: kind)
            // Every trade loses at least ₹600 on ₹1,00,000; a path of ten trades loses at least 6 %.
            let tenLosers: [Int64] = [-60_000, -90_000, -75_000, -60_000, -61_000, -62_000, -99_000, -60_000, -70_000, -80_000]
            let losing = try MonteCarlo.tradeBootstrap(pnl: tenLosers, options: options(limits: limits))
            #expect(losing.drawdownBreachProbability == 1)
            #expect(losing.anyBreachProbability == 1)
            #expect(losing.maxDrawdownPercent.min >= 6)
            // Every trade wins: no drawdown at all.
            let winning = try MonteCarlo.tradeBootstrap(pnl: [100, 5_000, 0], options: options(limits: limits))
            #expect(winning.drawdownBreachProbability == 0)
            #expect(winning.anyBreachProbability == 0)
            #expect(winning.maxDrawdownPercent.max == 0)
        }
    }

    @Test func staticAndTrailingFloorsDifferAsDefined() throws {
        // Paths of two trades from {+₹10,000, −₹6,000} on ₹1,00,000: ++, +−, −+, −−, each with ¼.
        let pnl: [Int64] = [1_000_000, -600_000]
        let simulations = 20_000
        let staticResult = try MonteCarlo.tradeBootstrap(pnl: pnl, options: options(
            simulations: simulations, limits: MonteCarloLimits(maxDrawdownPercent: 5, drawdownKind: .static)))
        let trailingResult = try MonteCarlo.tradeBootstrap(pnl: pnl, options: options(
            simulations: simulations, limits: MonteCarloLimits(maxDrawdownPercent: 5, drawdownKind: .trailing)))
        // Static floor ₹95,000: reached only when the loss comes first (−+, −−): ½.
        #expect(abs(staticResult.drawdownBreachProbability! - 0.5) < 0.02)
        // Trailing floor after +₹10,000 is ₹1,10,000 − ₹5,500 = ₹1,04,500, so +− (₹1,04,000) breaches too: ¾.
        #expect(abs(trailingResult.drawdownBreachProbability! - 0.75) < 0.02)
    }

    @Test func dailyLossLimitFollowsTheDayCalendar() throws {
        // Two trades a path, one per day; daily limit 5 % of the day's starting equity.
        // Day 1 from ₹1,00,000: a −₹6,000 trade breaches (½). Otherwise day 2 starts at ₹1,06,000, whose
        // 5 % is ₹5,300: a −₹6,000 trade breaches again (½ of ½). P(breach) = ¾.
        let pnl: [Int64] = [600_000, -600_000]
        let limits = MonteCarloLimits(dailyLossPercent: 5)
        let perDay = try MonteCarlo.tradeBootstrap(pnl: pnl, tradesPerDay: [1, 1], options: options(simulations: 20_000, limits: limits))
        #expect(abs(perDay.dailyLossBreachProbability! - 0.75) < 0.02)
        // Both trades on one day: breached only when the day's running loss reaches 5 % (a −6,000 trade
        // first: ½; +6,000 then −6,000 nets 0).
        let oneDay = try MonteCarlo.tradeBootstrap(pnl: pnl, tradesPerDay: [2], options: options(simulations: 20_000, limits: limits))
        #expect(abs(oneDay.dailyLossBreachProbability! - 0.5) < 0.02)
        // Daily returns: a −6 % day breaches a 5 % limit, with 2 days P = ¾; a −4 % day never does.
        let daily = try MonteCarlo.dailyReturnBootstrap(returns: [0.06, -0.06], options: options(simulations: 20_000, limits: limits))
        #expect(abs(daily.dailyLossBreachProbability! - 0.75) < 0.02)
        let mild = try MonteCarlo.dailyReturnBootstrap(returns: [0.06, -0.04], options: options(limits: limits))
        #expect(mild.dailyLossBreachProbability == 0)
    }

    @Test func profitTargetBeforeBreachIsAFairCoinForASymmetricWalk() throws {
        // ±₹600 steps from ₹10,000: +10 % target (₹11,000) and static 10 % floor (₹9,000) are both two
        // net steps away, so each is hit first with probability ½ over a long path.
        let limits = MonteCarloLimits(maxDrawdownPercent: 10, drawdownKind: .static, profitTargetPercent: 10)
        let opts = MonteCarloOptions(simulations: 20_000, seed: 3, startingCapital: 1_000_000, limits: limits)
        let result = try MonteCarlo.tradeBootstrap(pnl: [60_000, -60_000, 60_000, -60_000],
                                                   tradesPerDay: Array(repeating: 1, count: 4) + [0], options: opts)
        let pass = result.profitTargetBeforeBreachProbability!
        let fail = result.breachBeforeProfitTargetProbability!
        #expect(abs(pass - 0.5) < 0.25)   // 4-trade paths: some paths decide nothing
        let long = try MonteCarlo.tradeBootstrap(pnl: Array(repeating: [60_000, -60_000], count: 100).flatMap { $0 },
                                                 options: opts)
        #expect(abs(long.profitTargetBeforeBreachProbability! - 0.5) < 0.02)
        #expect(abs(long.breachBeforeProfitTargetProbability! - 0.5) < 0.02)
        #expect(pass + fail <= 1)
    }

    /// The firm's window: the target counts only when reached within its first days. Two ±₹600 steps
    /// up from ₹10,000 reach +10 %, so within a two-day window a path passes with P = ¼; a day
    /// without trades still counts as a day of the window.
    @Test func theProfitTargetCountsOnlyInsideItsWindow() throws {
        let limits = MonteCarloLimits(maxDrawdownPercent: 10, drawdownKind: .static, profitTargetPercent: 10, profitTargetDays: 2)
        let opts = MonteCarloOptions(simulations: 20_000, seed: 3, startingCapital: 1_000_000, limits: limits)
        let pnl: [Int64] = Array(repeating: [60_000, -60_000], count: 100).flatMap { $0 }
        let windowed = try MonteCarlo.tradeBootstrap(pnl: pnl, tradesPerDay: Array(repeating: 1, count: 200), options: opts)
        #expect(abs(windowed.profitTargetBeforeBreachProbability! - 0.25) < 0.02)
        let quietFirstDay = try MonteCarlo.tradeBootstrap(pnl: pnl, tradesPerDay: [0] + Array(repeating: 1, count: 200), options: opts)
        #expect(quietFirstDay.profitTargetBeforeBreachProbability == 0)
        let daily = try MonteCarlo.dailyReturnBootstrap(returns: Array(repeating: [0.06, -0.06], count: 100).flatMap { $0 }, options: opts)
        #expect(abs(daily.profitTargetBeforeBreachProbability! - 0.25) < 0.02)
        // Breaches still count after the window closes.
        #expect(windowed.drawdownBreachProbability! > 0.5)
        #expect(throws: MonteCarloError.profitTargetWindowNeedsTradesPerDay) {
            try MonteCarlo.tradeBootstrap(pnl: pnl, options: opts)
        }
        var noTarget = limits
        noTarget.profitTargetPercent = nil
        #expect(throws: MonteCarloError.invalidProfitTargetWindow(days: 2, hasTarget: false)) {
            try MonteCarlo.dailyReturnBootstrap(returns: [0.06], options: MonteCarloOptions(simulations: 10, seed: 1, startingCapital: 1_000_000, limits: noTarget))
        }
    }

    @Test func percentilesAreMonotonic() throws {
        let result = try MonteCarlo.tradeBootstrap(pnl: Self.trades.pnl, tradesPerDay: Self.trades.perDay, options: options())
        let returns = (0..<250).map { sin(Double($0) * 0.7) / 40 }
        let daily = try MonteCarlo.dailyReturnBootstrap(returns: returns, options: options())
        for d in [result.finalReturnPercent, result.maxDrawdownPercent, daily.finalReturnPercent, daily.maxDrawdownPercent] {
            let values = [d.min] + d.percentiles + [d.max]
            #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "\(values)")
            #expect(d.min <= d.mean && d.mean <= d.max)
        }
        #expect(result.maxDrawdownPercent.min >= 0)
    }

    @Test func percentileInterpolatesLikeNumPy() {
        let sorted: [Double] = [1, 2, 3, 4, 10]
        #expect(MonteCarlo.percentile(sorted, 50) == 3)
        #expect(MonteCarlo.percentile(sorted, 0) == 1)
        #expect(MonteCarlo.percentile(sorted, 100) == 10)
        #expect(abs(MonteCarlo.percentile(sorted, 95) - 8.8) < 1e-12)   // numpy.percentile([1,2,3,4,10], 95)
    }

    @Test func closedTradesAreGroupedByTheirISTExitDay() throws {
        func trade(exit: Int64, pnl: Int64) -> ClosedTrade {
            ClosedTrade(strategy: 0, symbol: 0, direction: .buy, quantity: 1, entryTime: exit - 60, exitTime: exit,
                        entryValue: 10_000, exitValue: 10_000 + pnl, grossPnL: pnl, charges: 10)
        }
        // 2026-01-05 09:30 IST = 04:00 UTC; 2026-01-05 23:59 UTC is 2026-01-06 05:29 IST.
        let day1: Int64 = 1_767_585_600
        let trades = [trade(exit: day1 + 300, pnl: 50), trade(exit: day1, pnl: 100),
                      trade(exit: day1 + 72_000, pnl: -20), trade(exit: day1 + 86_400, pnl: 7)]
        let grouped = MonteCarlo.netPnLByDay(trades)
        #expect(grouped.pnl == [90, 40, -30, -3])
        #expect(grouped.tradesPerDay == [2, 2])
    }

    @Test func inputsThatCannotBeSimulatedAreRefusedWithTheirValue() {
        #expect(throws: MonteCarloError.nothingToResample(what: "trades")) {
            try MonteCarlo.tradeBootstrap(pnl: [], options: options())
        }
        #expect(throws: MonteCarloError.dailyLossLimitNeedsTradesPerDay) {
            try MonteCarlo.tradeBootstrap(pnl: [1, 2], options: options())
        }
        #expect(throws: MonteCarloError.tradesPerDayMismatch(sum: 3, trades: 2)) {
            try MonteCarlo.tradeBootstrap(pnl: [1, 2], tradesPerDay: [1, 2], options: options())
        }
        #expect(throws: MonteCarloError.simulationsNotPositive(0)) {
            try MonteCarlo.tradeBootstrap(pnl: [1, 2], options: options(simulations: 0, limits: MonteCarloLimits()))
        }
        #expect(throws: MonteCarloError.threadsNotPositive(0)) {
            try MonteCarlo.tradeBootstrap(pnl: [1, 2], options: options(limits: MonteCarloLimits()), threads: 0)
        }
        #expect(throws: MonteCarloError.invalidDailyReturn(index: 1, value: -1)) {
            try MonteCarlo.dailyReturnBootstrap(returns: [0.01, -1], options: options())
        }
        let error = MonteCarloError.limitOutOfRange(name: "maxDrawdownPercent", value: 150, range: "(0, 100]")
        #expect(throws: error) {
            try MonteCarlo.tradeBootstrap(pnl: [1, 2], options: options(limits: MonteCarloLimits(maxDrawdownPercent: 150)))
        }
        #expect(error.description.contains("maxDrawdownPercent"))
        #expect(error.description.contains("150"))
    }

    @Test func optionsDecodeWithDefaults() throws {
        let json = #"{"startingCapital": 10000000, "limits": {"maxDrawdownPercent": 10}}"#
        let decoded = try JSONDecoder().decode(MonteCarloOptions.self, from: Data(json.utf8))
        #expect(decoded == MonteCarloOptions(startingCapital: 10_000_000,
                                             limits: MonteCarloLimits(maxDrawdownPercent: 10, drawdownKind: .trailing)))
        let full = MonteCarloOptions(simulations: 500, seed: 9, startingCapital: 5,
                                     limits: MonteCarloLimits(dailyLossPercent: 2, maxDrawdownPercent: 6,
                                                              drawdownKind: .static, profitTargetPercent: 8))
        #expect(try JSONDecoder().decode(MonteCarloOptions.self, from: JSONEncoder().encode(full)) == full)
    }

    @Test func resultEncodesAsJSON() throws {
        let result = try MonteCarlo.tradeBootstrap(pnl: Self.trades.pnl, tradesPerDay: Self.trades.perDay, options: options())
        let data = try JSONEncoder().encode(result)
        let decoded = try JSONDecoder().decode(MonteCarloResult.self, from: data)
        #expect(decoded == result)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"method\":\"trade-bootstrap\""))
        #expect(text.contains("\"p99\""))
    }
}
