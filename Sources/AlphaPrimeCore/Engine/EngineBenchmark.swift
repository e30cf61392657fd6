import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// Measurements of the engine for the benchmark suite (figures are printed, never asserted).
public enum EngineBenchmark {
    /// Nanosecond percentiles of a set of samples.
    public struct Percentiles: Sendable, Codable, Equatable {
        public var count: Int
        public var p50: Int64
        public var p90: Int64
        public var p99: Int64
        public var max: Int64

        public init(_ samples: [Int64]) {
            let sorted = samples.sorted()
            func at(_ q: Double) -> Int64 {
                guard !sorted.isEmpty else { return 0 }
                return sorted[Swift.min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded(.up)))]
            }
            count = sorted.count
            p50 = at(0.50)
            p90 = at(0.90)
            p99 = at(0.99)
            max = sorted.last ?? 0
        }
    }

    /// One replay: how long the sessions took and how long each order took to be decided and placed.
    public struct Replay: Sendable, Codable {
        /// `sqlite-file`, `sqlite-memory` or `none`.
        public var persistence: String
        public var sessions: Int
        public var bars: Int
        public var orders: Int
        public var fills: Int
        public var commits: Int
        /// Wall time of the sessions (data already loaded, strategies warmed), seconds.
        public var seconds: Double
        /// Per session, seconds.
        public var secondsPerSession: [Double]
        /// Market event (a bar reaching the engine) to the order decided: risk approved, order built.
        public var decisionNanoseconds: Percentiles
        /// Market event to the order handed to the broker, after its write-ahead commit.
        public var placementNanoseconds: Percentiles
    }

    /// Replays `days` through the engine in paper mode, with latencies recorded.
    ///
    /// - Parameter store: where the session is persisted; nil runs without a database (the loop,
    ///   the core, the broker and nothing else). `broker` is the account the orders go to.
    ///   `alerts` and `liveCache` are handed to the runner as the engine's would be (a channel or a
    ///   cache that is down measures what an outage costs the decisions).
    public static func replay(_ days: [ReplayDay], setup: EngineSetup, calendar: TradingCalendar, store: (any StateStore)?,
                              broker: any BrokerAccount, persistence: String,
                              alerts: (any AlertSink)? = nil, liveCache: (any LiveStateSink)? = nil) throws -> Replay {
        var result = Replay(persistence: persistence, sessions: 0, bars: 0, orders: 0, fills: 0, commits: 0, seconds: 0,
                            secondsPerSession: [], decisionNanoseconds: Percentiles([]), placementNanoseconds: Percentiles([]))
        var decisions: [Int64] = [], placements: [Int64] = []
        let runner = EngineRunner(setup: setup, calendar: calendar, repository: store, broker: broker, logs: .silent,
                                  options: EngineRunOptions(mode: .paper, measureLatency: true, pid: 0, host: "benchmark"))
        runner.alerts = alerts
        runner.liveCache = liveCache
        for day in days {
            let started = runner.clock.monotonic()
            let outcome = try runner.runSession(day)
            let elapsed = runner.clock.monotonic() - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            result.sessions += 1
            result.bars += outcome.bars
            result.orders += outcome.orders
            result.fills += outcome.fills
            result.commits += outcome.commits
            result.seconds += seconds
            result.secondsPerSession.append(seconds)
            decisions += outcome.decisionLatencies
            placements += outcome.placementLatencies
        }
        result.decisionNanoseconds = Percentiles(decisions)
        result.placementNanoseconds = Percentiles(placements)
        return result
    }
}
