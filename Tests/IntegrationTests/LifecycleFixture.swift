import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import AlphaPrimeConfig
import Foundation

/// Puts every enabled strategy of a home at a lifecycle stage, as if promoted there: the live
/// engine refuses strategies below live-10, and tests of a live session are not tests of the gates.
enum LifecycleFixture {
    static func place(_ home: TestHome, at stage: StrategyStage) throws {
        let migrate = try home.run("db-maintenance", ["migrate"])
        guard migrate.status == 0 else { throw FixtureFailure("db-maintenance migrate: \(migrate.output)") }
        let configuration = try AlphaPrimeConfiguration.load(home: AlphaPrimeHome(root: home.root), environment: [:])
        let path = home.path("var/alpha_prime.db").path
        let repository = StateRepository(database: try SQLiteConnection(path: path))
        for config in configuration.enabledStrategies {
            try repository.recordStageChange(StrategyStageChange(
                identity: StrategyIdentity(config: config), stage: stage, previousStage: .research,
                changedAt: UTCTimestamp(secondsSinceEpoch: 946_684_800), actor: "trader", reason: "test fixture", evidence: "{}"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    struct FixtureFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
