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

/// What the risk stage costs a backtest: bars per second of one year of real NIFTY 50 and BANKNIFTY
/// 1-minute bars (2021) through the backtest tool's path (`BacktestPlan`, the `bollinger_reference`
/// preset on both symbols) with the rules off, with every rule armed but wide (the same trades), and
/// with the default risk_config.yaml. A benchmark, not a timed test: it prints the figures and asserts
/// nothing about time. Times are the thread's CPU time, the mean of interleaved rounds. Run it with a
/// release build:
///
///     ALPHA_PRIME_BENCHMARK=1 swift test -c release --filter RiskOverheadBenchmark
///
/// The bars come from `../shared/data/intraday_1min/` next to the repository (or
/// `ALPHA_PRIME_BENCH_DATA`).
/// CPU time of the calling thread: a busy machine delays the run but does not add to it.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

@Suite(.enabled(if: ProcessInfo.processInfo.environment["ALPHA_PRIME_BENCHMARK"] != nil))
struct RiskOverheadBenchmark {
    static var dataDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["ALPHA_PRIME_BENCH_DATA"] { return URL(filePath: path) }
        return ConfigTestHome.repositoryRoot.deletingLastPathComponent().appending(path: "shared/data/intraday_1min")
    }

    /// The session bars of a year of `NIFTY50_2021-MM.txt` files (end-labelled IST, see ``riskFixtureSeries``).
    static func year(_ prefix: String, symbol: String) throws -> BarSeries {
        var series = BarSeries(symbol: symbol, timeframeSeconds: 60)
        for month in 1...12 {
            let url = dataDirectory.appending(path: "\(prefix)_2021-\(month < 10 ? "0" : "")\(month).txt")
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let f = line.split(separator: ",", omittingEmptySubsequences: false)
                let d = f[1], t = TimeOfDay(String(f[2]))!.minutes
                guard t >= 9 * 60 + 16, t <= 15 * 60 + 30 else { continue }
                let date = LocalDate(year: Int(d.prefix(4))!, month: Int(d.dropFirst(4).prefix(2))!, day: Int(d.suffix(2))!)!
                let p = { (s: Substring) in Paise(rupees: String(s))!.value }
                series.append(Bar(time: IST.epochSeconds(date: date, secondOfDay: (t - 1) * 60),
                                  open: p(f[3]), high: p(f[4]), low: p(f[5]), close: p(f[6])))
            }
        }
        return series
    }

    @Test func barsPerSecondWithAndWithoutTheRiskStage() throws {
        guard FileManager.default.fileExists(atPath: Self.dataDirectory.path) else {
            print("risk benchmark: no data at \(Self.dataDirectory.path)")
            return
        }
        let series = [try Self.year("NIFTY50", symbol: "NIFTY 50"), try Self.year("BANKNIFTY", symbol: "BANKNIFTY")]
        let bars = series.reduce(0) { $0 + $1.count }
        let setup = StrategySetup(name: BollingerReference.kind, kind: BollingerReference.kind,
                                  parameters: ["period": 20, "deviations": Double(ProcessInfo.processInfo.environment["ALPHA_PRIME_BENCH_DEVIATIONS"] ?? "") ?? 2,
                                               "quantity": 1], direction: .long)

        // Default rules (fixed quantity: the reference strategy sets no stop) with the India VIX series.
        let home = try ConfigTestHome()
        var standard = try home.load(environment: [:]).risk
        standard.sizing = .init(method: .fixedQuantity, fixedQuantityLots: 1)
        let vixURL = Self.dataDirectory.deletingLastPathComponent().appending(path: "india_vix/india_vix_2016_2023.csv")
        var closes: [(date: LocalDate, close: Double)] = []
        for line in try String(contentsOf: vixURL, encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ","), mdy = f[0].split(separator: "/").compactMap { Int($0) }
            if mdy.count == 3, let date = LocalDate(year: mdy[2], month: mdy[0], day: mdy[1]), let c = Double(f[4]) { closes.append((date, c)) }
        }
        let vix = IndiaVIXSeries(closes: closes).lookup

        // Every rule armed, none binding: the same trades as with no rules.
        var wide = RiskRules()
        wide.sizing = .fixedQuantity(lots: 1)
        wide.perTradeRisk = RiskPercent(percent: 100); wide.dailyMaxLoss = RiskPercent(percent: 100)
        wide.maxDrawdown = RiskPercent(percent: 100); wide.drawdownMode = .trailing
        wide.maxOpenPositions = 100; wide.maxExposurePerSymbol = RiskPercent(percent: 1_000); wide.maxTotalExposure = RiskPercent(percent: 2_000)
        wide.groups = [RiskRules.Group(name: "index_futures", symbols: [0, 1], maxOpenPositions: 100)]
        wide.rollingCorrelation = (windowDays: 20, maxCorrelation: 1)
        wide.maxConsecutiveLosses = 1_000_000; wide.halfDailyLimitPauseSeconds = 60
        wide.vixBand = 0...1_000   // no square-off: the reference strategy holds overnight
        wide.killSwitchDailyLoss = RiskPercent(percent: 100); wide.killSwitchDrawdown = RiskPercent(percent: 100)

        var variants: [(String, RiskManager)] = [
            ("no rules", RiskManager()),
            ("no rules, approvals not recorded", { var r = RiskManager(); r.recordsApprovals = false; return r }()),
            ("all rules armed, none binding", RiskManager(rules: wide, symbolNames: ["NIFTY 50", "BANKNIFTY"], indiaVIX: vix)),
            ("reference preset", RiskManager(config: try home.load(environment: [:], riskPreset: "reference").risk, instruments: indexInstruments)),
            ("default risk_config.yaml", RiskManager(config: standard, instruments: indexInstruments, indiaVIX: vix)),
        ]
        // One variant alone (`ALPHA_PRIME_BENCH_VARIANT=1`), e.g. to count its instructions with `perf stat`.
        if let only = Int(ProcessInfo.processInfo.environment["ALPHA_PRIME_BENCH_VARIANT"] ?? ""), variants.indices.contains(only) {
            variants = [variants[only]]
        }
        // Rounds interleave the variants so a busy machine slows them alike; each counts its mean CPU time.
        let rounds = Int(ProcessInfo.processInfo.environment["ALPHA_PRIME_BENCH_ROUNDS"] ?? "") ?? 30
        let plans = variants.map { variant in
            var plan = BacktestPlan(setups: [setup], instruments: indexInstruments, startingCapital: tenLakh, risk: variant.1)
            plan.recordsRiskApprovals = variant.1.recordsApprovals
            return plan
        }
        var best = Array(repeating: 0.0, count: variants.count)   // total CPU seconds, then the mean
        var outcomes: [BacktestOutcome<AnyStrategy>?] = Array(repeating: nil, count: variants.count)
        for _ in 0..<rounds {
            for (v, plan) in plans.enumerated() {
                let start = threadCPUSeconds()
                let result = try plan.run(series: series)   // the backtest tool's path, specialised in the library
                best[v] += threadCPUSeconds() - start
                outcomes[v] = result
            }
        }
        guard rounds > 0 else { return }
        best = best.map { $0 / Double(rounds) }
        let baseline = Double(bars) / best[0]
        for (v, (name, _)) in variants.enumerated() {
            let outcome = outcomes[v]!
            let rate = Double(bars) / best[v]
            if name.hasPrefix("all rules") && variants.count > 1 {
                let same = outcome.trades == outcomes[0]!.trades
                #expect(same, "the armed rules changed the trades")
            }
            print(String(format: "risk benchmark: %-32@ %9.0f bars/s  (%.1f%% of no rules)  %d trades, %d risk events",
                         name as NSString, rate, rate / baseline * 100, outcome.trades.count, outcome.core.riskEvents.count))
            let byRule = Dictionary(grouping: outcome.core.rejections, by: \.rejection.rule).mapValues(\.count)
            if !byRule.isEmpty {
                print("risk benchmark:   rejections: " + byRule.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
        print("risk benchmark: \(bars) bars per run, mean CPU time of \(rounds) interleaved rounds")
    }
}

/// Nanoseconds per entry decision of the presets (release build; prints, asserts nothing).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ALPHA_PRIME_BENCHMARK"] != nil))
struct RiskDecisionBenchmark {
    @Test func nanosecondsPerEntryDecision() throws {
        let home = try ConfigTestHome()
        for preset in ["reference", "dev", "prop_challenge"] {
            var risk = RiskManager(config: try home.load(environment: [:], riskPreset: preset).risk, instruments: indexInstruments)
            risk.begin(startingCapital: tenLakh)
            risk.startDay(at: ist("2021-03-03", "09:15"), equity: tenLakh)
            let context = riskContext(time: ist("2021-03-03", "11:00"))
            let signal = buy(stop: 1_497_000, quantity: preset == "reference" ? 1 : 0)
            let n = 2_000_000
            var total: Int64 = 0
            let start = threadCPUSeconds()
            for k in 0..<n {
                var s = signal
                s.time = Int64(k & 1)
                total &+= risk.assess(s, context: context).decision.quantity
            }
            let seconds = threadCPUSeconds() - start
            print(String(format: "risk decision: %-16@ %6.1f ns per entry (quantity %lld)", preset as NSString,
                         seconds / Double(n) * 1e9, total / Int64(n)))
        }
    }
}
