import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeArchive
import Foundation
import Testing

/// `reset-portfolio`: a new account epoch for the paper account, its history kept, a backup first.
@Suite struct ResetPortfolioToolTests {
    static func reset(_ home: EngineTestHome, _ arguments: [String]) throws -> ToolProcess.Result {
        try ToolProcess.run("reset-portfolio", arguments, environment: home.environment())
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func theAccountStartsAgainAndItsHistoryStaysReportable() throws {
        let home = try EngineTestHome()
        #expect(try home.engine(["run", "--mode", "paper", "--replay", "2021-02-22", "--speed", "max"]).status == 0)
        let before = try Self.json(try ToolProcess.run("report", ["daily", "--date", "2021-02-22", "--json"], environment: home.environment()).stdout)

        let result = try Self.reset(home, ["--confirm", "--capital", "500000", "--reason", "new month, new plan", "--by", "asha", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let outcome = try Self.json(result.stdout)
        #expect(outcome["epoch"] as? Int == 2 && outcome["capital"] as? String == "500000.00")
        let backup = URL(filePath: try #require(outcome["backup"] as? String))
        #expect(backup.path.contains("/backups/manual/"))
        #expect(throws: Never.self) { _ = try ArchiveReader.verify(backup) }

        // The next session opens with the new capital and no risk state from the old account.
        let next = try home.engine(["run", "--mode", "paper", "--replay", "2021-02-23", "--speed", "max", "--json"])
        #expect(next.status == 0, "\(next.stderr)")
        let status = try EngineToolTests.status(home)
        let session = try #require(EngineToolTests.paperState(status)?["session"] as? [String: Any])
        #expect(session["day_start_cash"] as? String == "500000.00", "\(session)")

        // Earlier days render as they did; the new day starts from the new capital; the reset is listed.
        let again = try Self.json(try ToolProcess.run("report", ["daily", "--date", "2021-02-22", "--json"], environment: home.environment()).stdout)
        #expect(again["net_pnl_paise"] as? Int64 == before["net_pnl_paise"] as? Int64)
        #expect(again["opening_equity_paise"] as? Int64 == before["opening_equity_paise"] as? Int64)
        let day = try Self.json(try ToolProcess.run("report", ["daily", "--date", "2021-02-23", "--json"], environment: home.environment()).stdout)
        #expect(day["opening_equity_paise"] as? Int64 == 50_000_000)
        let resets = try #require(day["account_resets"] as? [[String: Any]])
        #expect(resets.count == 1 && resets[0]["reset_by"] as? String == "asha" && resets[0]["reason"] as? String == "new month, new plan")

        let risk = try home.database().query("SELECT rule, action, message FROM risk_events WHERE rule = 'account_reset'")
        #expect(risk.count == 1)
    }

    @Test func refusals() throws {
        let home = try EngineTestHome()
        #expect(try home.engine(["run", "--mode", "paper", "--replay", "2021-02-22", "--speed", "max"]).status == 0)
        let unconfirmed = try Self.reset(home, [])
        #expect(unconfirmed.status == 5 && unconfirmed.stderr.contains("refused without --confirm"))
        let live = try Self.reset(home, ["--confirm", "--mode", "live"])
        #expect(live.status == 5 && live.stderr.contains("only the paper account can be reset"))
        let bad = try Self.reset(home, ["--confirm", "--capital", "-5"])
        #expect(bad.status == 64 && bad.stderr.contains("--capital expects a positive amount in rupees"))

        // An engine running: exit 4. Stopped mid-session: the unfinished session is named, exit 5.
        let engine = try home.start(["run", "--mode", "paper", "--replay", "2021-02-23", "--speed", "60x"])
        defer { if engine.isRunning { engine.kill() } }
        #expect(try EngineToolTests.waitUntilRunning(home))
        let locked = try Self.reset(home, ["--confirm"])
        #expect(locked.status == 4, "\(locked.stderr)")
        #expect(try home.engine(["stop", "--timeout", "60"]).status == 0)
        _ = engine.wait()
        let unfinished = try Self.reset(home, ["--confirm"])
        #expect(unfinished.status == 5, "\(unfinished.stderr)")
        #expect(unfinished.stderr.contains("the 2021-02-23 session is stopped, not completed"), "\(unfinished.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.home.path("backups/manual").path), "nothing was done")
    }
}
