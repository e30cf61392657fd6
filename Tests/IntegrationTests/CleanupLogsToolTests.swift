import AlphaPrimeDomain
@testable import AlphaPrimeLogs
import AlphaPrimeArchive
import Foundation
import Logging
import Synchronization
import Testing

/// The built `cleanup-logs`: rotation under a writer loses no line, copies are compressed and
/// expired, `--dry-run` changes nothing, two runs never overlap, a home without logs is exit 66.
@Suite struct CleanupLogsToolTests {
    final class Writer: Sendable {
        let stop = Atomic<Bool>(false)
        let written = Atomic<Int>(0)
        let done = DispatchSemaphore(value: 0)
    }

    static func line(_ n: Int, at ms: Int64 = LogFileSink.systemClock()) -> [UInt8] {
        LogLineFormat.json(LogRecord(
            timestampMilliseconds: ms, level: .info, label: "alpha_prime.trades", category: .trades, message: "numbered line",
            metadata: ["n": .stringConvertible(n), "padding": "a line of about the size the engine writes for an order"],
            error: nil, errorType: nil, source: "", file: "", function: "", line: 0, process: "writer", pid: 1))
    }

    /// Every `n` of the numbered lines in a file family: the live file, rotated and compressed copies.
    static func numbers(in logs: URL, family: String) throws -> (counts: [Int: Int], files: [String]) {
        var counts: [Int: Int] = [:]
        let files = try FileManager.default.contentsOfDirectory(atPath: logs.path).filter { LogFileName($0)?.base == family }.sorted()
        for name in files {
            let path = logs.appending(path: name).path
            let bytes = name.hasSuffix(".zst") ? try Zstd.decompress([UInt8](Data(contentsOf: URL(filePath: path))), source: path)
                : [UInt8](try Data(contentsOf: URL(filePath: path)))
            var splitter = LogLineSplitter()
            bytes.withUnsafeBytes {
                splitter.feed($0) { line, _ in
                    if let n = LogLineParser.parse(line)?.field("n").flatMap({ Int($0) }) { counts[n, default: 0] += 1 }
                }
            }
            splitter.finish { line, _ in
                if let n = LogLineParser.parse(line)?.field("n").flatMap({ Int($0) }) { counts[n, default: 0] += 1 }
            }
        }
        return (counts, files)
    }

    @Test func noLineIsLostWhileAWriterAppends() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.edit("config/general_config.yaml", replacing: "max_file_size_mb: 50", with: "max_file_size_mb: 0.05")
        let sink = try LogFileSink(directory: home.path("logs"))
        let writer = Writer()
        Thread {
            var n = 0
            while !writer.stop.load(ordering: .acquiring) {
                sink.write(Self.line(n), to: [.all, .trades])
                n += 1
                if n % 40 == 0 { usleep(10_000) }
            }
            writer.written.store(n, ordering: .releasing)
            writer.done.signal()
        }.start()
        let trades = home.path("logs/trades.log").path
        #expect(BackgroundTool.waitUntil(seconds: 10) {
            ((try? FileManager.default.attributesOfItem(atPath: trades)[.size] as? Int) ?? 0) > 100_000
        }, "the writer filled trades.log past the limit")
        var runs: [ToolProcess.Result] = []
        for _ in 0..<3 {
            runs.append(try home.run("cleanup-logs"))
            usleep(300_000)
        }
        writer.stop.store(true, ordering: .releasing)
        writer.done.wait()
        let written = writer.written.load(ordering: .acquiring)
        for run in runs { #expect(run.status == 0, "\(run.output)") }
        let rotations = runs.map { $0.stdoutLines.filter { $0.hasPrefix("rotated ") && $0.contains("trades.log ->") }.count }
        #expect(rotations.allSatisfy { $0 == 1 }, "every run rotated trades.log: \(runs.map(\.stdout))")
        #expect(sink.failedWrites == 0)
        for family in ["alpha_prime.log", "trades.log"] {
            let (counts, files) = try Self.numbers(in: home.path("logs"), family: family)
            let missing = (0..<written).filter { counts[$0] == nil }
            let repeated = counts.filter { $0.value != 1 }
            #expect(missing.isEmpty && repeated.isEmpty && counts.count == written,
                    "\(family): \(written) written, \(missing.count) missing, \(repeated.count) repeated")
            #expect(files.filter { $0.hasSuffix(".zst") }.count == 3, "\(family): one compressed copy per run: \(files)")
            #expect(!files.contains { LogFileName($0)?.isLive == false && !$0.hasSuffix(".zst") }, "no uncompressed copy left: \(files)")
            print("cleanup-logs under a writer: \(family): \(written) lines written, \(counts.count) found once, \(missing.count) lost, \(files.count) files")
        }
    }

    /// Logs with a live file over the limit, one begun yesterday, copies old and young, a leftover.
    static func crowdedLogs(_ home: TestHome) throws -> (old: String, young: String) {
        let logs = home.path("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let now = Int64(Date().timeIntervalSince1970)
        let big = (0..<2_000).flatMap { Self.line($0) }
        try Data(big).write(to: logs.appending(path: "alpha_prime.log"))
        try Data(Self.line(0, at: (now - 86_400 - 3_600) * 1_000) + Self.line(1)).write(to: logs.appending(path: "risk.log"))
        try Data(Self.line(2)).write(to: logs.appending(path: "trades.log"))
        try Data().write(to: logs.appending(path: "errors.log"))
        let old = "trades.log.\(LogFileName.stamp(now - 100 * 86_400)).zst", young = "trades.log.\(LogFileName.stamp(now - 10 * 86_400)).zst"
        for name in [old, young] { try Data(Zstd.compress(Self.line(3))).write(to: logs.appending(path: name)) }
        try Data("partial".utf8).write(to: logs.appending(path: ".\(young).999.1.tmp"))
        try Data("not ours".utf8).write(to: logs.appending(path: "cron.log"))
        return (old, young)
    }

    static func snapshot(_ home: TestHome) throws -> [String: Data] {
        let logs = home.path("logs")
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: logs.path) { files[name] = try Data(contentsOf: logs.appending(path: name)) }
        return files
    }

    @Test func rotatesBySizeAndDayCompressesAndExpires() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.edit("config/general_config.yaml", replacing: "max_file_size_mb: 50", with: "max_file_size_mb: 0.1")
        let (old, young) = try Self.crowdedLogs(home)
        let result = try home.run("cleanup-logs", ["--json"])
        #expect(result.status == 0, "\(result.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let actions = try #require(json["actions"] as? [[String: Any]])
        let described = actions.map { "\($0["action"]!) \($0["file"]!) \(($0["done"] as? Bool) == true ? 1 : 0)" }
        #expect(described.contains("rotate alpha_prime.log 1") && described.contains("rotate risk.log 1"), "\(described)")
        #expect(!described.contains { $0.hasPrefix("rotate trades.log") || $0.hasPrefix("rotate errors.log") }, "\(described)")
        #expect(described.contains("delete \(old) 1") && !described.contains { $0.contains(young) && $0.hasPrefix("delete") })
        #expect(described.contains("remove_leftover .\(young).999.1.tmp 1"))
        let reasons = actions.compactMap { $0["reason"] as? String }
        #expect(reasons.contains { $0.hasPrefix("larger than 102.4 KB") } && reasons.contains { $0.contains("an earlier day") }, "\(reasons)")
        let names = Set(try Self.snapshot(home).keys)
        #expect(!names.contains(old) && names.contains(young) && names.contains("cron.log"))
        #expect(names.filter { $0.hasPrefix("alpha_prime.log.") && $0.hasSuffix(".zst") }.count == 1, "\(names)")
        #expect(names.filter { $0.hasPrefix("risk.log.") && $0.hasSuffix(".zst") }.count == 1, "\(names)")
        #expect(!names.contains { $0.hasSuffix(".tmp") })
        let (counts, _) = try Self.numbers(in: home.path("logs"), family: "alpha_prime.log")
        #expect(counts.count == 2_000 && counts.values.allSatisfy { $0 == 1 }, "every line of the rotated file is in its .zst")
        let again = try home.run("cleanup-logs")
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("nothing to do"), "\(again.stdout)")
    }

    @Test func aDryRunChangesNothing() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.edit("config/general_config.yaml", replacing: "max_file_size_mb: 50", with: "max_file_size_mb: 0.1")
        _ = try Self.crowdedLogs(home)
        let before = try Self.snapshot(home)
        let result = try home.run("cleanup-logs", ["--dry-run"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdoutLines.contains { $0.hasPrefix("would rotate   alpha_prime.log -> alpha_prime.log.") })
        #expect(result.stdoutLines.contains { $0.hasPrefix("would delete   trades.log.") })
        #expect(result.stdoutLines.last?.hasSuffix("nothing was changed") == true, "\(result.stdout)")
        #expect(try Self.snapshot(home) == before, "no file changed, none added or removed")
    }

    @Test func aSecondRunIsRefusedWhileTheLockIsHeld() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.edit("config/general_config.yaml", replacing: "max_file_size_mb: 50", with: "max_file_size_mb: 0.1")
        _ = try Self.crowdedLogs(home)
        let lockPath = home.path("logs/.cleanup.lock").path
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o640)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        let before = try Self.snapshot(home)
        let result = try home.run("cleanup-logs")
        flock(fd, LOCK_UN)
        close(fd)
        #expect(result.status == 4, "\(result.output)")
        #expect(result.stderr.contains("cleanup-logs: another cleanup-logs is running"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let after = try Self.snapshot(home)
        #expect(after.filter { $0.key != "alpha_prime.log" && $0.key != "errors.log" } == before.filter { $0.key != "alpha_prime.log" && $0.key != "errors.log" },
                "nothing rotated, compressed or deleted (the refusal itself is logged)")
        #expect(try home.run("cleanup-logs").status == 0, "free again once the holder lets go")
    }

    @Test func aHomeWithoutLogsIsNoInput() throws {
        let home = try TestHome()
        defer { home.remove() }
        for tool in ["cleanup-logs", "analyze-logs"] {
            let result = try home.run(tool)
            #expect(result.status == 66, "\(tool): \(result.output)")
            #expect(result.stderr.contains("\(tool): no logs directory at \(home.path("logs").path)"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: home.path("logs").path))
        }
    }
}
