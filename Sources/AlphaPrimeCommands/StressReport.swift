import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import Foundation

/// What `stress-test` prints: a table a person reads, or JSON.
struct StressReport: Encodable {
    var throughput: StressRun.Throughput
    var writes: Benchmarks.StateWrites
    var hardDays: [StressRun.HardDay]
    var floorsMissed: [String]

    enum CodingKeys: String, CodingKey { case throughput, writes = "durable_writes", hardDays = "hard_days", floorsMissed = "floors_missed" }

    var text: String {
        func ms(_ ns: Int64) -> String { String(format: "%.3f ms", Double(ns) / 1e6) }
        let t = throughput
        var lines = [
            "ALPHA-PRIME stress test (temporary SQLite database; the trader's state is not touched)",
            "",
            "Engine: \(t.symbols) synthetic symbols x \(t.sessions) sessions through the real core, paper broker, durable commits",
            "  bars          \(t.bars) in \(String(format: "%.2f", t.seconds)) s = \(Int(t.barsPerSecond)) bars/s",
            "  orders/fills  \(t.orders) / \(t.fills)",
            "  decision      p50 \(ms(t.decision.p50))  p90 \(ms(t.decision.p90))  p99 \(ms(t.decision.p99))  max \(ms(t.decision.max))  (\(t.decision.count) orders)",
            "  commit+place  p50 \(ms(t.commitAndPlace.p50))  p90 \(ms(t.commitAndPlace.p90))  p99 \(ms(t.commitAndPlace.p99))  max \(ms(t.commitAndPlace.max))",
        ]
        if let stopped = t.stoppedBy { lines.append("  stopped by    \(stopped)") }
        lines += ["", "State store: \(writes.fills) fills, one durable transaction each: \(Int(writes.fillsPerSecond)) writes/s", ""]
        if hardDays.isEmpty {
            lines.append("Hard days: no 1-minute market data for the traded symbols under data/ (market-data import brings it)")
        } else {
            lines.append("Hard days (strategies and risk as configured):")
            for d in hardDays {
                let risk = d.riskEvents.isEmpty ? "no risk events"
                    : d.riskEvents.sorted { $0.value > $1.value }.prefix(4).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                lines.append("  \(d.date) \(d.scenario.padding(toLength: 24, withPad: " ", startingAt: 0)) \(String(d.trades).leftPadded(3)) trades  net \(d.netPnL.leftPadded(10))  \(risk)"
                    + (d.halted.map { "; halted: \($0)" } ?? ""))
            }
        }
        lines.append("")
        lines.append(floorsMissed.isEmpty ? "Floors: met (or none given)" : "FLOORS MISSED: " + floorsMissed.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }
}
