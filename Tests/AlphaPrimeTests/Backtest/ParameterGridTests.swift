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

/// The parameter space the optimiser searches, from the strategy files' ranges.
@Suite struct ParameterGridTests {
    func shipped(_ name: String) throws -> StrategyConfig {
        try #require(try ConfigTestHome().load(environment: [:]).strategy(named: name))
    }

    @Test func theGridIsTheProductOfEveryRangeInFileOrder() throws {
        let space = try ParameterSpace(config: shipped("mean_reversion"))
        // lookback 10…60 step 5, entry_z 1.5…3 step 0.25, exit_z 0…1 step 0.25, stop 1…3 step 0.5; atr_period has no range.
        #expect(space.names == ["lookback", "entry_z", "exit_z", "stop_atr_multiple"])
        #expect(space.dimensions[0].values == [10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60])
        #expect(space.dimensions[1].values == [1.5, 1.75, 2, 2.25, 2.5, 2.75, 3])
        #expect(space.dimensions[2].values == [0, 0.25, 0.5, 0.75, 1])
        #expect(space.dimensions[3].values == [1, 1.5, 2, 2.5, 3])
        #expect(space.dimensions.map(\.configured) == [20, 2, 0.25, 1.5])
        #expect(space.dimensions.map(\.isInteger) == [true, false, false, false])
        #expect(space.gridSize == 11 * 7 * 5 * 5)

        let grid = try space.grid()
        #expect(grid.count == 1925)
        #expect(Set(grid).count == 1925)
        // The first parameter varies slowest, the last fastest.
        #expect(grid[0].values == [10, 1.5, 0, 1])
        #expect(grid[1].values == [10, 1.5, 0, 1.5])
        #expect(grid[5].values == [10, 1.5, 0.25, 1])
        #expect(grid[1924].values == [60, 3, 1, 3])
        for (i, set) in grid.enumerated() where i % 97 == 0 { #expect(space.set(at: i) == set) }
        #expect(grid[7].overrides == ["lookback": 10, "entry_z": 1.5, "exit_z": 0.25, "stop_atr_multiple": 2])
    }

    @Test func paramsChooseASubsetInTheOrderGiven() throws {
        let space = try ParameterSpace(config: shipped("mean_reversion"), only: ["entry_z", "lookback"])
        #expect(space.names == ["entry_z", "lookback"])
        let grid = try space.grid()
        #expect(grid.count == 77)
        #expect(grid.prefix(2).map(\.values) == [[1.5, 10], [1.5, 15]])
        #expect(grid.allSatisfy { $0.names == ["entry_z", "lookback"] })
    }

    @Test func aNameThatIsNotRangedIsRefusedWithTheRangedOnes() throws {
        let config = try shipped("mean_reversion")
        let unknown = #expect(throws: ParameterSpaceError.self) { try ParameterSpace(config: config, only: ["lookbak"]) }
        #expect(unknown?.kind == .unknownParameter)
        #expect(unknown?.exitStatus == .usage)
        #expect(unknown?.description.contains("'lookbak' is not a parameter") == true)
        #expect(unknown?.description.contains("lookback, entry_z, exit_z, stop_atr_multiple") == true)
        let unranged = #expect(throws: ParameterSpaceError.self) { try ParameterSpace(config: config, only: ["atr_period"]) }
        #expect(unranged?.description.contains("'atr_period' has no range") == true)

        let none = #expect(throws: ParameterSpaceError.self) { try ParameterSpace(config: shipped("bollinger_reference")) }
        #expect(none?.kind == .noRanges)
        #expect(none?.exitStatus == .configError)
    }

    @Test func aGridAboveTheLimitPointsToParamsOrRandom() throws {
        let space = try ParameterSpace(config: shipped("momentum"))
        #expect(space.gridSize == 16 * 8 * 4 * 5 * 5 * 7)
        let error = #expect(throws: ParameterSpaceError.self) { try space.grid(limit: 10_000) }
        #expect(error?.kind == .tooLarge)
        #expect(error?.description.contains("--random") == true)
    }

    @Test func decimalStepsReadAsWritten() {
        var spec = ParameterSpec.Range(min: .decimal(0.1), max: .decimal(0.5), step: .decimal(0.1))
        #expect(spec.values.count == 5)
        let dimension = ParameterDimension(name: "x", values: spec.values.map { ($0 * 1e9).rounded() / 1e9 })
        #expect(dimension.values == [0.1, 0.2, 0.3, 0.4, 0.5])
        spec.step = .decimal(0.15)
        #expect(spec.values.count == 3)
        #expect(ParameterSet.format(0.30000000000000004) == "0.3")
        #expect(ParameterSet.format(20) == "20")
    }

    @Test func randomSearchIsReproducibleBySeedAndNeverRepeatsASet() throws {
        let space = try ParameterSpace(config: shipped("mean_reversion"))
        let a = space.random(count: 100, seed: 42)
        let b = space.random(count: 100, seed: 42)
        let c = space.random(count: 100, seed: 43)
        #expect(a.sets.count == 100)
        #expect(a.sets == b.sets)
        #expect(a.sets != c.sets)
        #expect(Set(a.sets).count == 100)
        #expect(a.refused == 0)
        // Every value comes from its range's step grid.
        for set in a.sets {
            for (d, v) in zip(space.dimensions, set.values) { #expect(d.values.contains(v)) }
        }
        // Over many draws every step of a range turns up (uniform over the grid, not just the ends).
        let many = space.random(count: 1500, seed: 7).sets
        #expect(Set(many.map { $0.values[0] }).count == 11)
        #expect(Set(many.map { $0.values[1] }).count == 7)
        // Asking for more than the grid holds gives the grid.
        let small = try ParameterSpace(config: shipped("mean_reversion"), only: ["lookback"])
        #expect(small.random(count: 50, seed: 1).sets == (try small.grid()))
    }

    @Test func refusedDrawsAreCountedAndReplaced() throws {
        let space = try ParameterSpace(config: shipped("mean_reversion"), only: ["lookback", "entry_z"])
        let drawn = space.random(count: 20, seed: 9) { $0["lookback"]! >= 30 }
        #expect(drawn.sets.count == 20)
        #expect(drawn.sets.allSatisfy { $0["lookback"]! >= 30 })
        #expect(drawn.refused > 0)
        #expect(space.random(count: 20, seed: 9) { $0["lookback"]! >= 30 }.sets == drawn.sets)
    }

    @Test func constraintsAndTheStrategysOwnRulesRefuseSets() throws {
        let fixture = try ResearchFixture(strategy: "momentum")
        let space = try ParameterSpace(config: fixture.strategy, only: ["fast_ma", "slow_ma"])
        let optimizer = Optimizer(plan: fixture.plan, threads: 1)
        let grid = try space.grid()
        #expect(grid.count == 16 * 8)
        // The registry refuses fast_ma >= slow_ma: fast 15…20 against slow 15 and fast 20 against slow 20.
        let refused = grid.filter { optimizer.refusal(of: $0) != nil }
        #expect(refused.count == 6 + 1)
        #expect(refused.allSatisfy { $0["fast_ma"]! >= $0["slow_ma"]! })
        #expect(optimizer.refusal(of: refused[0])?.contains("must be shorter than slow_ma") == true)
        // A constraint hook refuses before the strategy is made.
        var strict = optimizer
        strict.constraints = [.lessThan("slow_ma", "fast_ma")]
        let set = ParameterSet(names: ["fast_ma", "slow_ma"], values: [5, 20])
        #expect(strict.refusal(of: set) == "slow_ma (20) must be below fast_ma (5)")
        #expect(optimizer.refusal(of: set) == nil)
        // Values outside the strategy's own bounds are refused too.
        #expect(optimizer.refusal(of: ParameterSet(names: ["fast_ma"], values: [0]))?.contains("outside") == true)
    }

    @Test func theGeneratorIsUnbiasedAndStable() {
        var g = ParameterSearchRandom(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)  // SplitMix64's first output for seed 0
        var counts = Array(repeating: 0, count: 3)
        for _ in 0..<30_000 { counts[g.below(3)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 400 })
    }
}
