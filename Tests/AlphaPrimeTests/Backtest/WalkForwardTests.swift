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

/// Walk-forward: window boundaries, no look-ahead, the stitched out-of-sample run.
@Suite struct WalkForwardTests {
    static let space = ResearchFixture.space("mean_reversion", ("lookback", [10, 20, 30]), ("entry_z", [1.5, 2, 2.5]))
    static let configured = ParameterSet(names: ["lookback", "entry_z"], values: [20, 2])

    @Test func windowsFollowEachOtherAndTestAlwaysStartsAfterTrainEnds() throws {
        let schedule = try WalkForwardSchedule(trainDays: 5, testDays: 2)
        let windows = schedule.windows(dayCount: 12)
        #expect(windows.map { [$0.trainFirst, $0.trainLast, $0.testFirst, $0.testLast] } == [
            [0, 4, 5, 6], [2, 6, 7, 8], [4, 8, 9, 10], [6, 10, 11, 11],
        ])
        for w in windows {
            #expect(w.trainDays == 5)
            #expect(w.testFirst == w.trainLast + 1)
            #expect(w.testDays >= 1 && w.testDays <= 2)
        }
        // Test windows do not overlap and leave no gap (step = test days).
        for (a, b) in zip(windows, windows.dropFirst()) { #expect(b.testFirst == a.testLast + 1) }

        let stepped = try WalkForwardSchedule(trainDays: 3, testDays: 2, stepDays: 4).windows(dayCount: 12)
        #expect(stepped.map { [$0.trainFirst, $0.testFirst, $0.testLast] } == [[0, 3, 4], [4, 7, 8], [8, 11, 11]])
        for (a, b) in zip(stepped, stepped.dropFirst()) { #expect(b.testFirst > a.testLast) }

        #expect(try WalkForwardSchedule(trainDays: 12, testDays: 1).windows(dayCount: 12).isEmpty)
        #expect(try WalkForwardSchedule(trainDays: 11, testDays: 5).windows(dayCount: 12).count == 1)
        #expect(throws: WalkForwardError.self) { try WalkForwardSchedule(trainDays: 5, testDays: 3, stepDays: 2) }
        #expect(throws: WalkForwardError.self) { try WalkForwardSchedule(trainDays: 0, testDays: 3) }
        #expect(throws: WalkForwardError.self) { try WalkForwardSchedule(trainDays: 3, testDays: 0) }
    }

    @Test func aTrainWindowHoldsNoBarOfItsTestWindow() throws {
        let f = try ResearchFixture(strategy: "mean_reversion")
        let days = f.days
        let walk = WalkForward(optimizer: Optimizer(plan: f.plan, threads: 1),
                               schedule: try WalkForwardSchedule(trainDays: 3, testDays: 2), warmUpDays: 2)
        let windows = walk.schedule.windows(dayCount: days.count)
        #expect(windows.count == (days.count - 3 + 1) / 2)
        for w in windows {
            let train = walk.trainPeriod(w, series: f.series, days: days)
            let test = walk.testPeriod(w, series: f.series, days: days)
            let testStart = TradingDays.start(of: days[w.testFirst])
            #expect(train.series.allSatisfy { $0.time.allSatisfy { $0 < testStart } })
            #expect(train.lastDay < test.firstDay)
            #expect(test.tradingFrom == testStart)
            #expect(test.series.allSatisfy { $0.time.allSatisfy { $0 < TradingDays.start(of: days[w.testLast].adding(days: 1)) } })
            // The test window's warm-up comes from the days just before it, never from after.
            #expect(test.warmUpFrom == days[max(0, w.testFirst - 2)])
        }
    }

    @Test func theChoiceIsUnchangedWhenTestDataIsAltered() throws {
        let f = try ResearchFixture(strategy: "mean_reversion")
        let days = f.days
        let schedule = try WalkForwardSchedule(trainDays: 3, testDays: 2)
        let sets = try Self.space.grid()
        let original = try WalkForward(optimizer: Optimizer(plan: f.plan, threads: 2), schedule: schedule)
            .run(series: f.series, sets: sets, configured: Self.configured)
        #expect(original.windows.count >= 3)

        // Alter the test days of the second window: its choice and the first window's must not move.
        let altered = 1
        let w = original.windows[altered].window
        let changedDays = Set(days[w.testFirst...w.testLast])
        let series = mirrored(f.series, on: changedDays)
        #expect(series != f.series)
        let again = try WalkForward(optimizer: Optimizer(plan: f.plan, threads: 1), schedule: schedule)
            .run(series: series, sets: sets, configured: Self.configured)
        #expect(again.windows.count == original.windows.count)
        for k in 0...altered {
            #expect(again.windows[k].chosen == original.windows[k].chosen)
            #expect(again.windows[k].inSample.objective.bitPattern == original.windows[k].inSample.objective.bitPattern)
        }
        // The first window's test is untouched too; the altered window's test saw the new bars.
        #expect(again.windows[0].outOfSample.dailyEquity == original.windows[0].outOfSample.dailyEquity)
        #expect(again.windows[altered].outOfSample.trades != original.windows[altered].outOfSample.trades
                || again.windows[altered].outOfSample.dailyEquity != original.windows[altered].outOfSample.dailyEquity)
        // Windows whose train days include the altered days may choose differently: that is allowed.
        #expect(days[original.windows[altered + 1].window.trainFirst...original.windows[altered + 1].window.trainLast]
            .contains { changedDays.contains($0) })
    }

    @Test func theStitchedRunChainsTheTestWindows() throws {
        let f = try ResearchFixture(strategy: "mean_reversion")
        let result = try WalkForward(optimizer: Optimizer(plan: f.plan, objective: .netPnL, threads: 2),
                                     schedule: try WalkForwardSchedule(trainDays: 4, testDays: 2))
            .run(series: f.series, sets: try Self.space.grid(), configured: Self.configured)
        let days = f.days
        #expect(result.days == days)
        // Every test day once, in order.
        let testDays = result.windows.flatMap { days[$0.window.testFirst...$0.window.testLast] }
        #expect(result.outOfSample.dailyEquity.map(\.date) == testDays)
        #expect(Set(testDays).count == testDays.count)
        // Each window starts with the equity the previous one ended with.
        var capital = f.plan.startingCapital
        for w in result.windows {
            #expect(w.outOfSample.metrics.startingCapital == capital)
            capital = w.outOfSample.finalEquity
            #expect(w.chosen.names == ["lookback", "entry_z"])
            #expect(w.setsEvaluated == 9)
            #expect(w.trainFirstDay == days[w.window.trainFirst] && w.testLastDay == days[w.window.testLast])
        }
        #expect(result.outOfSample.metrics.finalEquity == capital)
        #expect(result.outOfSample.trades.count == result.windows.reduce(0) { $0 + $1.outOfSample.trades.count })
        #expect(result.outOfSample.metrics.trades.netPnL == result.windows.reduce(0) { $0 + $1.outOfSample.metrics.trades.netPnL })
        // The chosen set is the train window's best by the objective.
        for w in result.windows where w.chosenByObjective {
            let train = WalkForward(optimizer: Optimizer(plan: f.plan, objective: .netPnL, threads: 1),
                                    schedule: result.schedule).trainPeriod(w.window, series: f.series, days: days)
            let run = Optimizer(plan: f.plan, objective: .netPnL, threads: 1).run(sets: try Self.space.grid(), inSample: train)
            #expect(run.results[run.ranking(by: .inSample)[0]].set == w.chosen)
        }
        // In-sample beside it: the hindsight run over the same span.
        #expect(result.inSample.dailyEquity.first?.date == testDays.first)
        #expect(result.inSample.dailyEquity.last?.date == testDays.last)
        #expect(Self.space.names == result.hindsightSet.names)

        let json = try WalkForwardReport.json(
            run: BacktestRunInfo(runID: "wf", strategies: result.outOfSample.strategyNames, symbols: ["NIFTY 50"], bars: 0, elapsedSeconds: 0),
            result: result, search: .init(space: Self.space, method: .grid))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        let windows = try #require(object["windows"] as? [[String: Any]])
        #expect(windows.count == result.windows.count)
        for window in windows {
            let trainLast = try #require(window["train_last"] as? String), testFirst = try #require(window["test_first"] as? String)
            #expect(trainLast < testFirst)
        }
        #expect((object["out_of_sample"] as? [String: Any])?["metrics"] != nil)
    }

    @Test func tooFewDaysForOneWindowIsAClearError() throws {
        let f = try ResearchFixture(strategy: "mean_reversion")
        let walk = WalkForward(optimizer: Optimizer(plan: f.plan, threads: 1),
                               schedule: try WalkForwardSchedule(trainDays: f.days.count, testDays: 1))
        let error = #expect(throws: WalkForwardError.self) {
            try walk.run(series: f.series, sets: try Self.space.grid(), configured: Self.configured)
        }
        #expect(error?.exitStatus == .noInput)
        #expect(error?.description.contains("needs at least \(f.days.count + 1)") == true)
    }
}
