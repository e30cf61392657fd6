import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import Foundation
import Testing

/// A replayed paper day's P&L worked out independently: `scripts/reference/day_pnl.py` recomputes
/// every fill's charges from the rates written in docs/charges.md and books the fills first-in
/// first-out, without the project's code; the engine's fills, trades and totals must agree with it
/// to the paisa, and so must `engine status`.
@Suite struct ReferencePnLTests {
    static let script = TestHome.repositoryRoot.appending(path: "scripts/reference/day_pnl.py")

    @Test(arguments: ["2021-02-22", "2021-02-24"])
    func aPaperDaysChargesAndPnLAgreeWithTheReference(day: String) throws {
        let home = try EngineTestHome()
        let run = try home.engine(["run", "--mode", "paper", "--replay", day])
        #expect(run.status == 0, "\(run.output)")
        let database = home.home.path("var/alpha_prime.db").path
        let reference = try ToolProcess.run(program: URL(filePath: "/usr/bin/env"), ["python3", Self.script.path, database, "--check", "--json"])
        #expect(reference.status == 0, "\(reference.output)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(reference.stdout.utf8)) as? [String: Any])
        #expect(result["differences"] as? [String] == [])
        let trades = try #require(result["trades"] as? Int)
        #expect(trades > 0 && result["recorded_trades"] as? Int == trades)
        #expect(result["open_positions"] as? Int == 0)
        let net = try #require(result["net_pnl_paise"] as? Int)
        #expect(result["recorded_net_pnl_paise"] as? Int == net)

        // engine status shows the same day's P&L, to the paisa.
        let status = try home.engine(["status"])
        #expect(status.stdout.contains("P&L: \(Paise(Int64(net))) (realized \(Paise(Int64(net)))"), "engine status: \(status.stdout)")
    }
}
