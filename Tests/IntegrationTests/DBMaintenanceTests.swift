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

/// `db-maintenance` as the trader runs it: the built binary, an isolated home, a real database.
@Suite struct DBMaintenanceTests {
    static func environment(databaseURL: String?) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "ALPHA_PRIME_HOME")
        environment["DATABASE_URL"] = databaseURL
        return environment
    }

    static func temporaryHome() throws -> URL {
        let home = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return home
    }

    /// Runs the whole migrate / status / integrity-check cycle against the database `url` names.
    static func runCycle(home: URL, databaseURL: String?) throws {
        try runCycle(home: home, environment: Self.environment(databaseURL: databaseURL))
    }

    static func runCycle(home: URL, environment: [String: String]) throws {
        let homeFlag = ["--home", home.path]

        let before = try ToolProcess.run("db-maintenance", ["status"] + homeFlag, environment: environment)
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.contains("pending:  \(StateSchema.migrations.count)"))

        let failing = try ToolProcess.run("db-maintenance", ["integrity-check"] + homeFlag, environment: environment)
        #expect(failing.status == 1, "integrity-check fails while migrations are pending")

        let first = try ToolProcess.run("db-maintenance", ["migrate"] + homeFlag, environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("applied migration 1"))
        #expect(first.stderr.isEmpty, "migrate prints its result on stdout; log lines go to logs/: \(first.stderr)")

        let second = try ToolProcess.run("db-maintenance", ["migrate"] + homeFlag, environment: environment)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("already up to date"))
        #expect(!second.stdout.contains("applied migration"))
        #expect(second.stderr.isEmpty)

        let status = try ToolProcess.run("db-maintenance", ["status", "--json"] + homeFlag, environment: environment)
        #expect(status.status == 0, "\(status.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        #expect(json?["up_to_date"] as? Bool == true)
        #expect((json?["pending"] as? [Any])?.isEmpty == true)
        #expect((json?["applied"] as? [[String: Any]])?.first?["version"] as? Int == 1)

        let check = try ToolProcess.run("db-maintenance", ["integrity-check", "--json"] + homeFlag, environment: environment)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func migrateTwiceOnSQLiteIsANoOp() throws {
        let home = try Self.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        try Self.runCycle(home: home, databaseURL: nil)
        #expect(FileManager.default.fileExists(atPath: home.appending(path: "var/alpha_prime.db").path))
    }

    @Test(.enabled(if: TestPostgres.enabled, TestPostgres.skipNote))
    func migrateTwiceOnPostgreSQLIsANoOp() throws {
        let schema = try TestPostgres.makeSchema()
        defer { schema.drop() }
        let home = try Self.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        try Self.runCycle(home: home, databaseURL: schema.url())
    }

    /// DATABASE_URL in `.env` chooses the database when the environment does not set it.
    @Test(.enabled(if: TestPostgres.enabled, TestPostgres.skipNote))
    func databaseURLFromDotEnvOnPostgreSQL() throws {
        let schema = try TestPostgres.makeSchema()
        defer { schema.drop() }
        let home = try TestHome()
        defer { home.remove() }
        try home.writeDotEnv("DATABASE_URL=\(schema.url())\n")
        var environment = home.environment()
        environment.removeValue(forKey: "ALPHA_PRIME_HOME")
        try Self.runCycle(home: home.root, environment: environment)
        #expect(!FileManager.default.fileExists(atPath: home.path("var/alpha_prime.db").path), "the SQLite default was not used")
        let tables = try PostgresConnection(url: schema.url()).query(
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = '\(schema.name)' AND table_name = 'schema_migrations'")
        #expect(try tables.first?.optionalInt64("n") == 1)
    }

    /// The process environment wins over `.env`, as everywhere else.
    @Test func environmentWinsOverDotEnv() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.writeDotEnv("DATABASE_URL=sqlite:var/from-dotenv.db\n")
        let fromDotEnv = try home.run("db-maintenance", ["migrate"])
        #expect(fromDotEnv.status == 0, "\(fromDotEnv.stderr)")
        #expect(fromDotEnv.stdout.contains("var/from-dotenv.db"))
        let fromEnvironment = try home.run("db-maintenance", ["migrate"], environment: ["DATABASE_URL": "sqlite:var/from-env.db"])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
        #expect(fromEnvironment.stdout.contains("var/from-env.db"))
    }

    @Test func badDatabaseURLIsAConfigErrorThatHidesThePassword() throws {
        let home = try Self.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try ToolProcess.run("db-maintenance", ["status", "--home", home.path],
                                         environment: Self.environment(databaseURL: "mysql://trader:hunter2@db/alpha"))
        #expect(result.status == 78)
        #expect(result.stderr.contains("DATABASE_URL"))
        #expect(!result.stderr.contains("hunter2"))
    }

    @Test func unreachableDatabaseIsUnavailable() throws {
        let home = try Self.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try ToolProcess.run("db-maintenance", ["migrate", "--home", home.path],
                                         environment: Self.environment(databaseURL: "postgres://trader:hunter2@127.0.0.1:1/alpha"))
        #expect(result.status == 69)
        #expect(!result.stderr.contains("hunter2"))
    }

    /// A truncated SQLite file is a failed check (exit 1 with the finding), like overwritten bytes,
    /// not an outage (69).
    @Test func aTruncatedDatabaseFailsTheCheck() throws {
        let home = try TestHome()
        defer { home.remove() }
        #expect(try home.run("db-maintenance", ["migrate"]).status == 0)
        let file = home.path("var/alpha_prime.db")
        let bytes = try Data(contentsOf: file)
        try bytes.prefix(3_000).write(to: file)
        let check = try home.run("db-maintenance", ["integrity-check"])
        #expect(check.status == 1, "\(check.output)")
        #expect(check.stdout.contains("FAIL  open"), "\(check.stdout)")
        #expect(check.stdout.contains("some checks FAILED"))
        let json = try home.run("db-maintenance", ["integrity-check", "--json"])
        #expect(json.status == 1)
        #expect(json.stdout.contains("\"ok\" : false"))
    }

    @Test func noSubcommandIsAUsageError() throws {
        let result = try ToolProcess.run("db-maintenance", [])
        #expect(result.status == 64)
        #expect(result.stderr.contains("expected a subcommand: migrate, status, integrity-check, vacuum, checkpoint or stats"))
    }
}
