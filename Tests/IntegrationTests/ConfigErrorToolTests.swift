import Foundation
import Testing

/// A copy of config/ with one misspelled key, one wrong type (or a removed setting) and one out-of-range value: exactly
/// three errors, each naming the file, the line and the key path, from `config-check` (exit 78)
/// and as failures from `health-check` (exit 1).
@Suite struct ConfigErrorToolTests {
    /// One planted mistake and the error line it must produce.
    struct Mistake {
        let file: String
        let old: String
        let new: String
        /// Text on the edited line, to find its number after the edit.
        let lineMarker: String
        let keyPath: String
        let message: String
    }

    static let inOneFile = [
        Mistake(file: "config/risk_config.yaml", old: "max_open_positions: 2", new: "max_open_position: 2",
                lineMarker: "max_open_position: 2", keyPath: "risk.max_open_position", message: "unknown key 'max_open_position'"),
        Mistake(file: "config/risk_config.yaml", old: "max_drawdown_pct: 8.0", new: "max_drawdown_pct: eight",
                lineMarker: "max_drawdown_pct: eight", keyPath: "risk.max_drawdown_pct", message: "expected a number, got 'eight'"),
        Mistake(file: "config/risk_config.yaml", old: "per_trade_risk_pct: 0.5", new: "per_trade_risk_pct: -0.5",
                lineMarker: "per_trade_risk_pct: -0.5", keyPath: "risk.per_trade_risk_pct", message: "must be greater than 0"),
    ]

    static let inThreeFiles = [
        Mistake(file: "config/general_config.yaml", old: "snapshot_interval_seconds: 60", new: "snapshot_interval_secs: 60",
                lineMarker: "snapshot_interval_secs", keyPath: "portfolio.snapshot_interval_secs",
                message: "unknown key 'snapshot_interval_secs'"),
        Mistake(file: "config/broker_config.yaml", old: "  slippage_ticks: 1", new: "  fill_latency_ms: 250\n  slippage_ticks: 1",
                lineMarker: "fill_latency_ms: 250", keyPath: "paper.fill_latency_ms", message: "is no longer a setting"),
        Mistake(file: "config/strategies/momentum.yaml", old: "min_adx:\n    value: 25", new: "min_adx:\n    value: 90",
                lineMarker: "value: 90", keyPath: "parameters.min_adx.value", message: "outside its range"),
    ]

    struct Expected {
        let file: String
        let line: Int
        let keyPath: String
        let message: String
        var prefix: String { "\(file):\(line): \(keyPath): " }
    }

    /// Plants the mistakes and returns the error each must produce, with the line it is on now.
    static func plant(_ mistakes: [Mistake], in home: TestHome) throws -> [Expected] {
        for m in mistakes { try home.edit(m.file, replacing: m.old, with: m.new) }
        return try mistakes.map { m in
            let line = try #require(try home.line(of: m.lineMarker, in: m.file))
            return Expected(file: m.file, line: line, keyPath: m.keyPath, message: m.message)
        }
    }

    static func check(_ mistakes: [Mistake]) throws {
        let home = try TestHome()
        defer { home.remove() }
        let expected = try plant(mistakes, in: home)

        let check = try home.run("config-check")
        #expect(check.status == 78, "\(check.output)")
        let errors = check.stderrLines.filter { $0.hasPrefix("config/") }
        #expect(errors.count == 3, "exactly three errors: \(errors)")
        for e in expected {
            #expect(errors.contains { $0.hasPrefix(e.prefix) && $0.contains(e.message) }, "no '\(e.prefix)…\(e.message)' in \(errors)")
        }
        #expect(check.stderrLines.last == "config-check: 3 configuration errors (exit 78)")
        #expect(check.stdout.isEmpty)

        let json = try home.run("config-check", ["--json"])
        #expect(json.status == 78)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let issues = try #require(object["errors"] as? [[String: Any]])
        #expect(issues.count == 3)
        for e in expected {
            #expect(issues.contains { $0["file"] as? String == e.file && $0["line"] as? Int == e.line && $0["key_path"] as? String == e.keyPath },
                    "no JSON error for \(e.prefix)")
        }

        let health = try home.run("health-check", ["--fast"])
        #expect(health.status == 1, "\(health.output)")
        let failures = health.stdoutLines.filter { $0.hasPrefix("[FAIL] configuration: ") }
        #expect(failures.count == 3, "\(health.stdout)")
        for e in expected {
            #expect(failures.contains { $0.hasPrefix("[FAIL] configuration: " + e.prefix) && $0.contains(e.message) },
                    "no '[FAIL] configuration: \(e.prefix)…' in \(failures)")
        }
    }

    @Test func threeMistakesInOneFile() throws {
        try Self.check(Self.inOneFile)
    }

    @Test func threeMistakesInThreeFiles() throws {
        try Self.check(Self.inThreeFiles)
    }

    /// A broken trading_hours.yaml is a failure of the calendar too; the other checks still run.
    @Test func brokenTradingHoursFailsCalendarButHealthCheckGoesOn() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.edit("config/trading_hours.yaml", replacing: "normal: {open: \"09:15\", close: \"15:30\"}",
                      with: "normal: {open: \"09:15\", close: \"9:30pm\"}")
        let health = try home.run("health-check", ["--fast"])
        #expect(health.status == 1)
        #expect(health.stdout.contains("[FAIL] configuration: config/trading_hours.yaml:"))
        #expect(health.stdout.contains("[FAIL] calendar:"))
        #expect(health.stdout.contains("[FAIL] database:"), "the database is still checked")
    }
}
