import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeCore
import AlphaPrimePaper
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeCommands
import Foundation
import Testing

/// `engine` as the trader runs it: the built binary, an isolated home, the sample market data.
@Suite struct EngineToolTests {
    static let day = "2021-02-23"

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func status(_ home: EngineTestHome) throws -> [String: Any] {
        let result = try home.engine(["status", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try json(result.stdout)
    }

    /// Waits until `engine status` says an engine runs. A debug engine loading its data on a machine
    /// busy with the parallel suites can take well over 30 s to take its lock; the wait ends as soon
    /// as it has.
    static func waitUntilRunning(_ home: EngineTestHome) throws -> Bool {
        try BackgroundTool.waitUntil(seconds: 120) { (try status(home))["running"] as? Bool == true }
    }

    static func paperState(_ status: [String: Any]) -> [String: Any]? {
        (status["modes"] as? [[String: Any]])?.first { $0["mode"] as? String == "paper" }
    }

    // MARK: Usage

    @Test(arguments: ["run", "status", "stop", "emergency-stop", "reset-kill-switch"])
    func everySubcommandAnswersHelpAndRefusesAnUnknownFlag(subcommand: String) throws {
        let help = try ToolProcess.run("engine", [subcommand, "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: engine \(subcommand)"))
        #expect(help.stdout.contains("--home") && help.stdout.contains("--json") && help.stdout.contains("--log-level"))
        let bad = try ToolProcess.run("engine", [subcommand, "--bogus"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("Usage: engine \(subcommand)"))
    }

    @Test func sharedFlagsWorkBeforeTheSubcommandToo() throws {
        let home = try EngineTestHome()
        let run = try ToolProcess.run("engine", ["--home", home.home.root.path, "--json", "--mode", "monitor", "--replay", Self.day])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("["), "--json given before the (default) subcommand")
        let status = try ToolProcess.run("engine", ["--home", home.home.root.path, "status", "--json"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(try Self.json(status.stdout)["database"] as? String == "sqlite:\(home.home.path("var/alpha_prime.db").standardizedFileURL.path)")
    }

    @Test func aSpeedThatIsNotOneIsAUsageError() throws {
        let result = try ToolProcess.run("engine", ["--mode", "paper", "--replay", Self.day, "--speed", "fast"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--speed"))
    }

    // MARK: Gates

    @Test func liveIsRefusedNamingEveryClosedGate() throws {
        let home = try EngineTestHome()
        let result = try home.engine(["run", "--mode", "live", "--replay", Self.day])
        #expect(result.status == 5)
        #expect(result.stderr.contains("ENVIRONMENT is 'development'"))
        #expect(result.stderr.contains("ENABLE_REAL_TRADING is not true"))
        #expect(result.stderr.contains("--confirm-live was not given"))

        let confirmedOnly = try home.engine(["run", "--mode", "live", "--replay", Self.day, "--confirm-live"],
                                            ["ENVIRONMENT": "production"])
        #expect(confirmedOnly.status == 5)
        #expect(!confirmedOnly.stderr.contains("ENVIRONMENT is"))
        #expect(confirmedOnly.stderr.contains("ENABLE_REAL_TRADING is not true"))
        #expect(!confirmedOnly.stderr.contains("--confirm-live"))
    }

    @Test func pastTheLiveGatesAPaperBrokerConfigurationIsSaidPlainly() throws {
        let home = try EngineTestHome()
        let result = try home.engine(["--mode", "live", "--replay", Self.day, "--confirm-live"],
                                     ["ENVIRONMENT": "production", "ENABLE_REAL_TRADING": "true"])
        #expect(result.status == 5)
        #expect(result.stderr.contains("active_broker is paper in broker_config.yaml"))
        #expect(!FileManager.default.fileExists(atPath: home.home.path("var/alpha_prime.db").path), "nothing was done")
    }

    /// Without a replay the session runs on Kite's ticker, which needs the API key first.
    @Test func withoutAReplayTheLiveFeedNeedsKitesKey() throws {
        let home = try EngineTestHome()
        let result = try home.engine(["run", "--mode", "paper"], ["KITE_API_KEY": ""])
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("set KITE_API_KEY"))
    }

    @Test func aHolidayHasNothingToReplay() throws {
        let home = try EngineTestHome()
        let result = try home.engine(["run", "--mode", "paper", "--replay", "2021-01-26"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("exchange holiday: Republic Day"))
        #expect(result.stdout.contains("no trading session to replay"))
    }

    @Test func aDayWithoutMarketDataIsNoInput() throws {
        let home = try EngineTestHome()
        let result = try home.engine(["run", "--mode", "paper", "--replay", "2021-03-01"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("no 1-minute bars of NIFTY 50"))
    }

    // MARK: Modes

    /// A replay file cut short (24 of the day's 375 bars) leaves the session stopped, with the
    /// reason, not completed; the full day's replay later resumes and completes it.
    @Test func aSessionWhoseDataEndsBeforeTheCloseCanBeCompletedLater() throws {
        let home = try EngineTestHome()
        let rows = try String(contentsOf: TestHome.repositoryRoot.appending(path: "data/market_data/NIFTY50/1m/2021.csv"), encoding: .utf8)
            .split(separator: "\n")
        let day = rows.filter { $0.hasPrefix("2021-02-22T") }
        #expect(day.count == 375)
        let short = home.home.path("NIFTY50.csv")
        try ([String(rows[0])] + day.prefix(24).map(String.init)).joined(separator: "\n").appending("\n")
            .write(to: short, atomically: true, encoding: .utf8)
        let cut = try home.engine(["run", "--mode", "paper", "--replay", short.path, "--json"])
        #expect(cut.status == 0, "\(cut.output)")
        let summary = try #require((try JSONSerialization.jsonObject(with: Data(cut.stdout.utf8)) as? [[String: Any]])?.first)
        #expect((summary["ending"] as? String)?.hasPrefix("the data ended at 2021-02-22 09:39") == true, "\(summary)")
        let db = try home.database()
        #expect(try db.queryFirst("SELECT status FROM engine_sessions")?.string("status") == "stopped")

        let full = try home.engine(["run", "--mode", "paper", "--replay", "2021-02-22", "--json"])
        #expect(full.status == 0, "\(full.output)")
        let completed = try #require((try JSONSerialization.jsonObject(with: Data(full.stdout.utf8)) as? [[String: Any]])?.first)
        #expect(completed["ending"] as? String == "completed", "\(completed)")
        #expect(completed["recovered_bars"] as? Int ?? 0 > 0, "the cut session was resumed, not started again")
        #expect(try db.queryFirst("SELECT status FROM engine_sessions")?.string("status") == "completed")
        #expect(try db.queryFirst("SELECT COUNT(*) AS n FROM orders WHERE status NOT IN ('FILLED', 'CANCELLED', 'REJECTED')")?.int64("n") == 0)
    }

    @Test func monitorModeLogsSignalsAndRiskDecisionsAndPlacesNoOrder() throws {
        let home = try EngineTestHome()
        let result = try home.engine(["run", "--mode", "monitor", "--replay", Self.day, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require((try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])?.first)
        #expect((summary["signals"] as? Int ?? 0) > 0)
        #expect(summary["orders"] as? Int == 0)
        #expect(try home.database().queryFirst("SELECT COUNT(*) AS n FROM orders")?.int64("n") == 0)
        let risk = try String(contentsOf: home.home.path("logs/risk.log"), encoding: .utf8)
        #expect(risk.contains("signal approved") || risk.contains("signal rejected"))
        let all = try String(contentsOf: home.home.path("logs/alpha_prime.log"), encoding: .utf8)
        #expect(all.contains("\"message\":\"signal\""))
    }

    @Test func aPaperDayWritesOrdersFillsTradesSnapshotsAndCategoryLogs() throws {
        let home = try EngineTestHome()
        let result = try home.engine(["run", "--mode", "paper", "--replay", Self.day, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let db = try home.database()
        let trades = try db.queryFirst("SELECT COUNT(*) AS n, COALESCE(SUM(net_pnl_paise), 0) AS net FROM trades")
        #expect(try trades?.int64("n") ?? 0 > 0)
        // Square-off: nothing open after the close, nothing entered after 15:20 IST.
        #expect(try db.queryFirst("SELECT COUNT(*) AS n FROM orders WHERE status NOT IN ('FILLED', 'CANCELLED', 'REJECTED')")?.int64("n") == 0)
        let squareOff = IST.epochSeconds(date: LocalDate(Self.day)!, time: TimeOfDay(hour: 15, minute: 20)!) * 1_000_000
        #expect(try db.queryFirst("SELECT COUNT(*) AS n FROM orders WHERE created_at_us >= ? AND substr(client_order_id, 11, 1) = 'E'",
                                  [.integer(squareOff)])?.int64("n") == 0)
        #expect(try db.queryFirst("SELECT COUNT(*) AS n FROM risk_events WHERE action = 'squared_off'")?.int64("n") == 1)
        // Snapshots every minute of the session, the heartbeat, the session record.
        #expect(try db.queryFirst("SELECT COUNT(*) AS n FROM portfolio_history")?.int64("n") ?? 0 >= 370)
        #expect(try db.queryFirst("SELECT status FROM engine_sessions")?.string("status") == "completed")
        // The account balances: equity of the last snapshot = cash at the open + net P&L of the trades.
        let equity = try db.queryFirst("SELECT equity_paise FROM portfolio_history ORDER BY recorded_at_us DESC, id DESC LIMIT 1")?.int64("equity_paise")
        #expect(equity == 100_000_000 + (try trades?.int64("net") ?? 0))
        let tradesLog = try String(contentsOf: home.home.path("logs/trades.log"), encoding: .utf8)
        #expect(tradesLog.contains("\"message\":\"order placed\"") && tradesLog.contains("\"message\":\"fill\""))
        #expect(tradesLog.contains("\"message\":\"trade closed\""))
    }

    // MARK: Control from other processes

    @Test func aSecondEngineIsRefusedWithTheFirstsPidAndStopFlattens() throws {
        let home = try EngineTestHome()
        // 60x: the day takes 6 minutes, so the replay cannot end before the stop below reaches it.
        let first = try home.start(["run", "--mode", "paper", "--replay", Self.day, "--speed", "60x"])
        defer { if first.isRunning { first.kill() } }
        #expect(try Self.waitUntilRunning(home))
        let second = try home.engine(["run", "--mode", "paper", "--replay", Self.day])
        #expect(second.status == 4)
        #expect(second.stderr.contains("pid \(first.pid)"))

        let status = try Self.status(home)
        let paper = try #require(Self.paperState(status))
        #expect((paper["heartbeat_age_seconds"] as? Int ?? 99) < 10)
        #expect((paper["status"] as? String)?.hasPrefix("running") == true)

        let stop = try home.engine(["stop", "--flatten", "--by", "tester", "--reason", "end of test"])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(stop.stdout.contains("the engine stopped"))
        let end = first.wait()
        #expect(end.status == 0 && !end.killed, "\(end.stderr)")
        #expect(end.stdout.contains("stopped and flattened by tester"))
        let after = try Self.status(home)
        #expect(after["running"] as? Bool == false)
        #expect((Self.paperState(after)?["open_positions"] as? [Any])?.isEmpty == true)
        #expect(Self.paperState(after)?["working_orders"] as? Int == 0)

        let nothing = try home.engine(["stop"])
        #expect(nothing.status == 0)
        #expect(nothing.stdout.contains("no engine is running"))
    }

    @Test func emergencyStopTakesOverADeadEngineAndOnlyAConfirmedResetClearsTheKillSwitch() throws {
        let home = try EngineTestHome()
        let engine = try home.start(["run", "--mode", "paper", "--replay", Self.day, "--speed", "120x"])
        defer { if engine.isRunning { engine.kill() } }
        // The engine is frozen (SIGSTOP) before its positions are read, so none can close between the
        // look and the SIGKILL; without one open it is let go on and looked at again.
        var left: [Any] = []
        // Frozen in the instant it resets its write-ahead log, the engine keeps any new reader out
        // (SQLite answers BUSY): then it is let go on and looked at again too.
        let positionOpen = try BackgroundTool.waitUntil(seconds: 90) {
            engine.kill(SIGSTOP)
            let look = try home.engine(["status", "--json"])
            left = look.status == 0 ? (Self.paperState(try Self.json(look.stdout))?["open_positions"] as? [Any]) ?? [] : []
            if left.isEmpty { engine.kill(SIGCONT) }
            return !left.isEmpty
        }
        #expect(positionOpen, "the engine opened a position")
        engine.kill(SIGKILL)
        #expect(engine.wait().killed)
        let stillOpen = (Self.paperState(try Self.status(home))?["open_positions"] as? [Any]) ?? []
        #expect(!left.isEmpty && stillOpen.count == left.count, "the dead engine left its open positions as they were")

        let stop = try home.engine(["emergency-stop", "--by", "tester", "--reason", "engine died", "--json"])
        #expect(stop.status == 0, "\(stop.stderr)")
        let result = try Self.json(stop.stdout)
        #expect(result["engine"] as? String == "none running")
        #expect((result["closed_positions"] as? [Any])?.count == left.count)
        let status = try Self.status(home)
        let paper = try #require(Self.paperState(status))
        #expect(paper["kill_switch"] as? Bool == true)
        #expect(paper["kill_switch_by"] as? String == "tester")
        #expect((paper["open_positions"] as? [Any])?.isEmpty == true)
        #expect(paper["working_orders"] as? Int == 0)

        // The kill switch survives a restart.
        let refused = try home.engine(["run", "--mode", "paper", "--replay", Self.day])
        #expect(refused.status == 5)
        #expect(refused.stderr.contains("kill switch is set"))
        let unconfirmed = try home.engine(["reset-kill-switch", "--reason", "checked"])
        #expect(unconfirmed.status == 5)
        let reset = try home.engine(["reset-kill-switch", "--confirm", "--reason", "checked the account", "--by", "risk desk"])
        #expect(reset.status == 0, "\(reset.stderr)")
        let cleared = try home.database().queryFirst(
            "SELECT message FROM risk_events WHERE action = 'kill_switch_cleared' ORDER BY id DESC LIMIT 1")?.string("message")
        #expect(cleared == "cleared by risk desk: checked the account")

        // The session resumes, taking in the emergency closes, and runs to its close.
        let resumed = try home.engine(["run", "--mode", "paper", "--replay", Self.day, "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let summary = try #require((try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [[String: Any]])?.first)
        #expect((summary["adopted_orders"] as? Int ?? 0) >= 1)
        #expect(summary["ending"] as? String == "completed")
        let db = try home.database()
        #expect(try db.queryFirst("SELECT COUNT(*) AS n FROM orders WHERE status NOT IN ('FILLED', 'CANCELLED', 'REJECTED')")?.int64("n") == 0)
    }

    @Test func aKillSwitchTripStopsTheNextStartUntilAConfirmedResetLiftsIt() throws {
        let home = try EngineTestHome(killSwitchDailyLossPct: "0.3")
        // The trader is told by e-mail (a local SMTP server).
        let smtp = try SMTPStub()
        defer { smtp.stop() }
        try home.home.writeDotEnv("SMTP_HOST=127.0.0.1\nSMTP_PORT=\(smtp.port)\nSMTP_TO=trader@example.com\n")
        try home.home.edit("config/general_config.yaml", replacing: "\nbackups:",
                           with: "\nalerts:\n  dedup_minutes: 15\n  smtp_security: none\n  telegram_api_url: https://api.telegram.org\n\nbackups:")
        let first = try home.engine(["run", "--mode", "paper", "--replay", "2021-02-22", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let mails = smtp.messages.filter { $0.data.contains("Subject: ALPHA-PRIME CRITICAL: kill switch set") }
        #expect(mails.count == 1, "\(smtp.messages.map(\.data))")
        #expect(mails.first?.data.contains("kill_switch") == true)
        let summary = try #require((try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [[String: Any]])?.first)
        #expect((summary["ending"] as? String)?.hasPrefix("kill switch: ") == true, "\(summary)")
        let paper = try #require(Self.paperState(try Self.status(home)))
        #expect(paper["kill_switch"] as? Bool == true)
        #expect(paper["kill_switch_by"] as? String == "risk stage")
        #expect((paper["open_positions"] as? [Any])?.isEmpty == true, "the trip flattened everything")

        let refused = try home.engine(["run", "--mode", "paper", "--replay", Self.day])
        #expect(refused.status == 5)
        #expect(refused.stderr.contains("kill_switch.daily_loss_pct"))
        let reset = try home.engine(["reset-kill-switch", "--confirm", "--reason", "new day, limits reviewed"])
        #expect(reset.status == 0, "\(reset.stderr)")
        let next = try home.engine(["run", "--mode", "paper", "--replay", Self.day, "--json"])
        #expect(next.status == 0, "\(next.stderr)")
        let nextSummary = try #require((try JSONSerialization.jsonObject(with: Data(next.stdout.utf8)) as? [[String: Any]])?.first)
        #expect((nextSummary["orders"] as? Int ?? 0) > 0, "the halt carried from the day before was lifted by the reset")
        let risk = try String(contentsOf: home.home.path("logs/risk.log"), encoding: .utf8)
        #expect(risk.contains("was reset with reset-kill-switch"))
    }

    @Test func emergencyStopKillsAHungEngineAndTakesOver() throws {
        let home = try EngineTestHome()
        let engine = try home.start(["run", "--mode", "paper", "--replay", Self.day, "--speed", "600x"])
        defer {
            if engine.isRunning {
                engine.kill(SIGCONT)
                engine.kill()
            }
        }
        #expect(try Self.waitUntilRunning(home))
        engine.kill(SIGSTOP)  // hung: alive, holding the lock, answering nothing
        let stop = try home.engine(["emergency-stop", "--timeout", "1", "--json"])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect((try Self.json(stop.stdout)["engine"] as? String)?.hasPrefix("killed") == true)
        #expect(engine.wait().killed)
        let paper = try #require(Self.paperState(try Self.status(home)))
        #expect(paper["kill_switch"] as? Bool == true)
        #expect((paper["open_positions"] as? [Any])?.isEmpty == true)
        #expect(paper["working_orders"] as? Int == 0)
    }

    @Test func aRunningEngineHandlesTheEmergencyStopItself() throws {
        let home = try EngineTestHome()
        let engine = try home.start(["run", "--mode", "paper", "--replay", Self.day, "--speed", "600x"])
        defer { if engine.isRunning { engine.kill() } }
        #expect(try Self.waitUntilRunning(home))
        let stop = try home.engine(["emergency-stop", "--json"])
        #expect(stop.status == 0, "\(stop.stderr)")
        let result = try Self.json(stop.stdout)
        #expect(result["engine"] as? String == "stopped itself")
        #expect((result["engine_outcome"] as? String)?.hasPrefix("emergency_stop") == true)
        let end = engine.wait()
        #expect(end.status == 0 && end.stdout.contains("emergency stop"))
        #expect((Self.paperState(try Self.status(home))?["open_positions"] as? [Any])?.isEmpty == true)
    }

    @Test(.enabled(if: TestPostgres.enabled, TestPostgres.skipNote))
    func onPostgreSQLASecondEngineIsRefusedWithTheFirstsPid() throws {
        let home = try EngineTestHome(postgres: true)
        let first = try home.start(["run", "--mode", "paper", "--replay", Self.day, "--speed", "600x"])
        defer { if first.isRunning { first.kill() } }
        #expect(try Self.waitUntilRunning(home))
        let second = try home.engine(["run", "--mode", "paper", "--replay", Self.day])
        #expect(second.status == 4)
        #expect(second.stderr.contains("pid \(first.pid)"))
        let stop = try home.engine(["stop"])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(first.wait().status == 0)
    }
}
