import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

/// What a tool has without its YAML configuration: the environment with `.env`, its secrets, its database.
@Suite struct ToolEnvironmentTests {
    final class Home {
        let root: URL
        var home: AlphaPrimeHome { AlphaPrimeHome(root: root) }

        init(dotEnv: String?) throws {
            root = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-env-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            if let dotEnv { try dotEnv.write(to: root.appending(path: ".env"), atomically: true, encoding: .utf8) }
        }

        deinit { try? FileManager.default.removeItem(at: root) }
    }

    @Test func dotEnvFillsInAndTheProcessWins() throws {
        let home = try Home(dotEnv: "DATABASE_URL=sqlite:var/dotenv.db\nLOG_LEVEL=debug\nENVIRONMENT=paper\n")
        let environment = ToolEnvironment(home: home.home, processEnvironment: ["ENVIRONMENT": "development"])
        #expect(environment.variables["ENVIRONMENT"] == "development")
        #expect(environment.variables["LOG_LEVEL"] == "debug")
        #expect(environment.logLevel == .debug)
        #expect(try environment.databaseURL() == .sqlite(path: home.home.root.appending(path: "var/dotenv.db").standardizedFileURL.path))
    }

    @Test func defaultDatabaseWithoutDotEnv() throws {
        let home = try Home(dotEnv: nil)
        let environment = ToolEnvironment(home: home.home, processEnvironment: [:])
        #expect(try environment.databaseURL() == .sqlite(path: home.home.root.appending(path: "var/alpha_prime.db").standardizedFileURL.path))
        #expect(environment.logLevel == nil)
        #expect(environment.secretValues.isEmpty)
    }

    @Test func secretsAreSecretNamedValuesAndURLPasswords() throws {
        let home = try Home(dotEnv: "KITE_API_SECRET=sekr3t-value-123\nDATABASE_URL=postgres://trader:p%40ss-word@db/alpha\n")
        let environment = ToolEnvironment(home: home.home, processEnvironment: [
            "SMTP_PASSWORD": "mail-pass", "PWD": "/home/trader", "LOG_LEVEL": "loud",
        ])
        let secrets = Set(environment.secretValues)
        #expect(secrets == ["sekr3t-value-123", "p%40ss-word", "p@ss-word", "mail-pass"])
        #expect(environment.logLevel == nil, "a LOG_LEVEL that is not a level is left to config-check")
    }

    @Test func badDatabaseURLIsAConfigurationError() throws {
        let home = try Home(dotEnv: "DATABASE_URL=mysql://trader:hunter2@db/alpha\n")
        let environment = ToolEnvironment(home: home.home, processEnvironment: [:])
        #expect(throws: StoreError.self) { try environment.databaseURL() }
        do {
            _ = try environment.databaseURL()
        } catch let error as StoreError {
            #expect(error.exitStatus == .configError)
            #expect(!error.description.contains("hunter2"))
        }
    }
}
