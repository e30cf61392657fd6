import AlphaPrimeStore
import Foundation
import Testing

/// The engine and the cron jobs on one SQLite home at once, as a trading day has them: a paced
/// replay of a busy day while `health-check` runs every second or so, `report daily` and
/// `engine status` keep reading, and `backup create` and `archive run` take their turns. No tool
/// may print "database is locked" (every reader and writer waits its turn within its busy
/// timeout), each job exits as it should, the engine's day completes, and the write-ahead log
/// stays bounded (checkpoints keep up with the writer).
///
/// 60 s by default; `ALPHA_PRIME_LONG_TESTS=1` soaks for 10 minutes.
@Suite(.serialized) struct SoakTests {
    @Test func theEngineAndTheCronJobsShareOneSQLiteHomeWithoutALock() throws {
        let long = ProcessInfo.processInfo.environment["ALPHA_PRIME_LONG_TESTS"] == "1"
        let seconds = long ? 600.0 : 60.0
        let home = try EngineTestHome()
        // The day (375 market minutes) paced to last about `seconds`.
        let speed = Int((22_500 / seconds).rounded(.down))
        let engine = try home.start(["run", "--mode", "paper", "--replay", "2021-02-22", "--risk-preset", "dev", "--speed", "\(speed)x"])
        let started = Date()
        let wal = home.home.path("var/alpha_prime.db-wal").path
        var runs: [String: Int] = [:]
        var locked: [String] = []
        var failed: [String] = []
        var largestWAL: Int64 = 0
        var round = 0
        func job(_ tool: String, _ arguments: [String], allowed: Set<Int32> = [0]) throws {
            let result = try home.home.run(tool, arguments)
            runs[tool, default: 0] += 1
            let output = result.stdout + result.stderr
            if output.localizedCaseInsensitiveContains("database is locked") || output.localizedCaseInsensitiveContains("SQLITE_BUSY") {
                locked.append("\(tool) \(arguments.joined(separator: " ")): \(output.prefix(300))")
            }
            if !allowed.contains(result.status) {
                failed.append("\(tool) \(arguments.joined(separator: " ")) exited \(result.status): \(output.prefix(300))")
            }
        }
        while engine.isRunning {
            round += 1
            // health-check's exit is 0, or 1 with a finding (a backup not yet taken, a warning); 2+ is a failure of the tool.
            try job("health-check", ["--fast"], allowed: [0, 1])
            try job("engine", ["status"])
            if round % 5 == 0 { try job("report", ["daily", "--date", "2021-02-22"]) }
            if round % 15 == 0 { try job("backup", ["create", "--kind", "daily"]) }
            if round % 20 == 0 { try job("archive", ["run", "--older-than", "3650"]) }
            if let size = (try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? NSNumber {
                largestWAL = max(largestWAL, size.int64Value)
            }
            if Date().timeIntervalSince(started) > seconds * 3 { engine.kill(); break }
        }
        let end = engine.wait()
        let elapsed = Date().timeIntervalSince(started)
        print("SoakTests: \(Int(elapsed)) s, engine at \(speed)x; jobs run: \(runs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); "
              + "'database is locked' \(locked.count) times; largest WAL \(largestWAL / 1024) KB")
        #expect(end.status == 0, "the engine: \(end.stderr.prefix(500))")
        #expect(end.stdout.contains("completed"), "\(end.stdout.prefix(300))")
        #expect(end.stderr.localizedCaseInsensitiveContains("database is locked") == false)
        #expect(locked.isEmpty, "\(locked.joined(separator: "\n"))")
        #expect(failed.isEmpty, "\(failed.joined(separator: "\n"))")
        #expect((runs["health-check"] ?? 0) >= 10 && (runs["backup"] ?? 0) >= 1, "\(runs)")
        // SQLite checkpoints the log at 1,000 pages (4 MB) unless a reader holds it back; 64 MB
        // would mean checkpoints were starved.
        #expect(largestWAL < 64 << 20, "the WAL grew to \(largestWAL / 1024) KB")
    }
}
