import AlphaPrimeSupport
import AlphaPrimeCore
import AlphaPrimeStore
import Foundation
import Testing

/// A process killed with SIGKILL in the middle of durable writes leaves a SQLite database that
/// passes `PRAGMA integrity_check`, with every commit it acknowledged present. The writer is
/// `alpha-prime-bench state-writes --acknowledge` (fills recorded through the state repository,
/// one fill per commit, "committed PREFIX N" printed after each commit returns, 2,000 of them so no
/// run ends before its kill); each run appends to the same database file (a fresh one every 50
/// runs) and is killed after a seeded delay — while migrating, inserting its orders or committing
/// fills.
///
/// 60 kills by default; `ALPHA_PRIME_LONG_TESTS=1` runs 1,000; `ALPHA_PRIME_TEST_SEED=N` replays
/// the delays.
@Suite struct DurableWriteKillTests {
    @Test func everyAcknowledgedCommitSurvivesAKill() throws {
        let environment = ProcessInfo.processInfo.environment
        let kills = environment["ALPHA_PRIME_LONG_TESTS"] == "1" ? 1_000 : 60
        let seed = TestSeed.take("DurableWriteKillTests: kill delays")
        var random = SplitMix64(seed: seed)
        let directory = FileManager.default.temporaryDirectory.appending(path: "durable-kill-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "state.db").path

        var killed = 0, acknowledged = 0, checked = 0
        var expected: [String: Int] = [:]
        for run in 0..<kills {
            // A fresh file every 50 runs keeps integrity_check quick (each run adds 2,000 orders).
            if run % 50 == 0 {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            let writer = try BackgroundTool(tool: "alpha-prime-bench",
                                            arguments: ["state-writes", "--url", "sqlite:\(path)", "--fills", "2000", "--batch", "1", "--acknowledge"],
                                            environment: ToolProcess.cleanEnvironment, directory: directory)
            Thread.sleep(forTimeInterval: 0.02 + Double(random.next() % 380) / 1000)  // 20 … 400 ms
            writer.kill(SIGKILL)
            let end = writer.wait()
            try? FileManager.default.removeItem(at: writer.stdoutURL)
            try? FileManager.default.removeItem(at: writer.stderrURL)
            if end.killed { killed += 1 } else { #expect(end.status == 0, "seed \(seed): \(end.stderr)") }
            // The last acknowledgement of this run: every fill up to it must be in the file.
            for line in end.stdout.split(separator: "\n") where line.hasPrefix("committed ") {
                let parts = line.split(separator: " ")
                if parts.count == 3, let n = Int(parts[2]) { expected[String(parts[1]), default: 0] = max(expected[String(parts[1])] ?? 0, n) }
            }
            let database = try SQLiteConnection(path: path)
            let integrity = try database.query("PRAGMA integrity_check").first?.values.first?.description
            #expect(integrity == "ok", "seed \(seed), after \(killed) kills: integrity_check says \(integrity ?? "nothing")")
            for (prefix, count) in expected where count > 0 {
                let stored = try database.queryFirst("""
                    SELECT COUNT(*) AS n FROM fills f JOIN orders o ON o.id = f.order_id WHERE o.client_order_id LIKE '\(prefix)%'
                    """).map { try $0.int64("n") } ?? 0
                #expect(stored >= Int64(count), "seed \(seed): \(count) fills of \(prefix) acknowledged, \(stored) in the database")
                checked += 1
                acknowledged += count
            }
            expected.removeAll()
        }
        print("DurableWriteKillTests: \(kills) runs, \(killed) killed mid-write, \(acknowledged) acknowledged fills of \(checked) runs all present; integrity_check ok after each")
        #expect(killed >= kills * 8 / 10, "seed \(seed): only \(killed) of \(kills) runs were killed before they finished")
        #expect(checked > 0 && acknowledged > 0, "seed \(seed): no run acknowledged a commit before it was killed")
    }
}
