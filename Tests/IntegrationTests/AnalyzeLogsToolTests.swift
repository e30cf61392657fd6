import AlphaPrimeDomain
@testable import AlphaPrimeLogs
import AlphaPrimeArchive
import AlphaPrimeStore
import Foundation
import Logging
import Testing

/// The built `analyze-logs`: over a replayed week (rotated and compressed copies included) its
/// counts equal the state database's; secrets never come out; malformed lines are named; dates are
/// checked.
@Suite struct AnalyzeLogsToolTests {
    static let week = ["2021-02-22", "2021-02-23", "2021-02-24", "2021-02-25", "2021-02-26"]

    static func json(_ result: ToolProcess.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.output)")
    }

    static func rows(_ report: [String: Any], _ key: String) -> [[String: Any]] { report[key] as? [[String: Any]] ?? [] }

    static func counts(_ database: any SQLDatabase, _ sql: String) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for row in try database.query(sql) { out[try row.string("k")] = try row.int64("n") }
        return out
    }

    @Test func aReplayedWeekCountsWhatTheDatabaseHolds() throws {
        let home = try EngineTestHome()
        try home.home.edit("config/general_config.yaml", replacing: "max_file_size_mb: 50", with: "max_file_size_mb: 0.05")
        let first = try home.engine(["--mode", "paper", "--speed", "max"] + Self.week.prefix(2).flatMap { ["--replay", $0] })
        #expect(first.status == 0, "\(first.output)")
        let cleanup = try home.home.run("cleanup-logs")
        #expect(cleanup.status == 0 && cleanup.stdout.contains("compressed"), "\(cleanup.output)")
        let rest = try home.engine(["--mode", "paper", "--speed", "max"] + Self.week.dropFirst(2).flatMap { ["--replay", $0] })
        #expect(rest.status == 0, "\(rest.output)")

        let started = Date()
        let result = try home.home.run("analyze-logs", ["--json"])
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(result.output)")
        let report = try Self.json(result)
        let files = Self.rows(report, "files").compactMap { $0["file"] as? String }
        #expect(files.contains { $0.hasPrefix("alpha_prime.log.") && $0.hasSuffix(".zst") }, "the compressed copies were read: \(files)")
        #expect((report["malformed"] as? [String: Any])?["count"] as? Int == 0)

        let db = try home.database()
        let trades = try Self.counts(db, "SELECT strategy AS k, COUNT(*) AS n FROM trades GROUP BY strategy")
        let orders = try Self.counts(db, "SELECT strategy AS k, COUNT(*) AS n FROM orders GROUP BY strategy")
        let net = try Self.counts(db, "SELECT strategy AS k, SUM(net_pnl_paise) AS n FROM trades GROUP BY strategy")
        let rejections = try Self.counts(db, "SELECT rule AS k, COUNT(*) AS n FROM risk_events WHERE action = 'rejected' GROUP BY rule")
        #expect(trades.values.reduce(0, +) > 20 && orders.values.reduce(0, +) > 60 && !rejections.isEmpty, "the week traded: \(trades) \(orders)")

        var loggedTrades: [String: Int64] = [:], loggedOrders: [String: Int64] = [:], loggedNet: [String: Int64] = [:]
        for row in Self.rows(report, "strategies") {
            let name = row["strategy"] as! String
            if let n = row["trades"] as? Int, n > 0 { loggedTrades[name] = Int64(n) }
            if let n = row["orders"] as? Int, n > 0 { loggedOrders[name] = Int64(n) }
            if let pnl = (row["net_pnl"] as? String).flatMap({ Paise(rupees: $0) }), (row["trades"] as? Int ?? 0) > 0 { loggedNet[name] = pnl.value }
        }
        var loggedRejections: [String: Int64] = [:]
        for row in Self.rows(report, "risk_rejections") { loggedRejections[row["rule"] as! String] = Int64(row["count"] as! Int) }
        #expect(loggedTrades == trades)
        #expect(loggedOrders == orders)
        #expect(loggedNet == net)
        #expect(loggedRejections == rejections)
        print("analyze-logs over a replayed week: \(files.count) files, \((report["lines"] as? [String: Any])?["read"] ?? 0) lines read, "
              + "\(String(format: "%.3f", seconds)) s; trades \(trades), orders \(orders), rejections \(rejections)")

        let text = try home.home.run("analyze-logs", ["--top", "3"])
        #expect(text.status == 0)
        for (strategy, count) in trades { #expect(text.stdout.contains(strategy) && text.stdout.contains("\(count)")) }
        #expect(text.stdout.contains("Order latency: order latencies are not logged"))
    }

    static let secret = "sekr3t-value-123"

    /// Hand-written logs: a secret in a message, in metadata and in a malformed line; lines on three
    /// IST days; a compressed copy.
    static func writeLogs(_ home: TestHome) throws {
        let logs = home.path("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        func line(_ iso: String, _ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata = [:]) -> String {
            let record = LogRecord(timestampMilliseconds: LogLineParser.epochMilliseconds(iso8601: iso)!, level: level,
                                   label: "alpha_prime.broker", category: .broker, message: message, metadata: metadata, error: nil,
                                   errorType: nil, source: "", file: "", function: "", line: 0, process: "engine", pid: 9)
            return String(decoding: LogLineFormat.json(record), as: UTF8.self)
        }
        let copy = line("2021-02-22T10:00:00+05:30", .error, "login failed with api_secret=\(secret)")
            + line("2021-02-22T10:01:00+05:30", .warning, "token refused", ["detail": "\(secret)"])
        try Data(Zstd.compress(Array(copy.utf8))).write(to: logs.appending(path: "alpha_prime.log.20210222T050000Z.zst"))
        let live = line("2021-02-23T10:00:00+05:30", .error, "broker said \(secret) is wrong")
            + "{\"timestamp\":\"2021-02-23T05:00:00Z\",\"level\":\"error\",\"message\":\"cut short \(secret)\n"
            + line("2021-02-24T10:00:00+05:30", .error, "broker said \(secret) is wrong")
        try Data(live.utf8).write(to: logs.appending(path: "alpha_prime.log"))
        try Data((copy + live).utf8).write(to: logs.appending(path: "errors.log"))
    }

    @Test func secretsNeverComeOutAndMalformedLinesAreNamed() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.writeDotEnv("KITE_API_SECRET=\(Self.secret)\n")
        try Self.writeLogs(home)
        for arguments in [[], ["--json"], ["--since", "2021-02-23"], ["--json", "--until", "2021-02-22"]] {
            let result = try home.run("analyze-logs", arguments)
            #expect(result.status == 0, "\(arguments): \(result.output)")
            #expect(!result.output.contains(Self.secret), "\(arguments) printed the secret: \(result.output)")
            #expect(result.output.contains("[REDACTED]"), "\(arguments): \(result.output)")
        }
        let all = try Self.json(try home.run("analyze-logs", ["--json"]))
        let malformed = try #require(all["malformed"] as? [String: Any])
        #expect(malformed["count"] as? Int == 2, "once in alpha_prime.log, once in errors.log")
        #expect(malformed["first"] as? [String] == ["alpha_prime.log:2", "errors.log:4"])
        let problems = Self.rows(all, "problems")
        #expect(problems.map { $0["count"] as? Int } == [2, 1, 1], "a line in two files counts once: \(problems)")
        let since = try Self.json(try home.run("analyze-logs", ["--json", "--since", "2021-02-23"]))
        #expect(Self.rows(since, "problems").map { $0["count"] as? Int } == [2])
        let until = try Self.json(try home.run("analyze-logs", ["--json", "--until", "2021-02-22"]))
        #expect(Self.rows(until, "problems").count == 2)
        let text = try home.run("analyze-logs")
        #expect(text.stdout.contains("Malformed lines: 2 (alpha_prime.log:2, errors.log:4)"), "\(text.stdout)")
    }

    /// A compressed copy cut short is noted (stderr and `files[].error`); its lines before the cut
    /// and every other file still count.
    @Test func aDamagedCopyIsNotedAndTheRestCounted() throws {
        let home = try TestHome()
        defer { home.remove() }
        try Self.writeLogs(home)
        let name = "alpha_prime.log.20210222T050000Z.zst"
        let url = home.path("logs/\(name)")
        let whole = try Data(contentsOf: url)
        try whole.prefix(whole.count - 6).write(to: url)
        let result = try home.run("analyze-logs", ["--json"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stderr.contains("analyze-logs: warning: \(name): \(url.path): damaged: zstd: truncated"), "\(result.stderr)")
        let report = try Self.json(result)
        let file = try #require(Self.rows(report, "files").first { $0["file"] as? String == name })
        #expect((file["error"] as? String)?.contains("truncated") == true)
        #expect(Self.rows(report, "problems").map { $0["count"] as? Int } == [2, 1, 1], "errors.log still holds the copy's lines")
    }

    @Test(arguments: [
        (["--since", "2021-2-22"], "--since expects a date as YYYY-MM-DD, got '2021-2-22'"),
        (["--until", "yesterday"], "--until expects a date as YYYY-MM-DD, got 'yesterday'"),
        (["--since", "2021-02-26", "--until", "2021-02-22"], "--since 2021-02-26 is after --until 2021-02-22"),
        (["--top", "0"], "--top expects a whole number of 1 or more, got 0"),
    ])
    func aBadFlagSaysWhatIsExpected(arguments: [String], message: String) throws {
        let home = try TestHome()
        defer { home.remove() }
        let result = try home.run("analyze-logs", arguments)
        #expect(result.status == 64, "\(result.output)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try home.logFiles().isEmpty)
    }
}
