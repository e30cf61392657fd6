import AlphaPrime
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
        let environment = Self.environment(databaseURL: databaseURL)
        let homeFlag = ["--home", home.path]

        let before = try ToolProcess.run("db-maintenance", ["status"] + homeFlag, environment: environment)
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.contains("pending:  \(StateSchema.migrations.count)"))

        let failing = try ToolProcess.run("db-maintenance", ["integrity-check"] + homeFlag, environment: environment)
        #expect(failing.status == 1, "integrity-check fails while migrations are pending")

        let first = try ToolProcess.run("db-maintenance", ["migrate"] + homeFlag, environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("applied migration 1"))

        let second = try ToolProcess.run("db-maintenance", ["migrate"] + homeFlag, environment: environment)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("already up to date"))
        #expect(!second.stdout.contains("applied migration"))

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

    static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["ALPHA_PRIME_TEST_POSTGRES_URL"] ?? ""
        return url.isEmpty ? nil : url
    }

    static var postgresEnabled: Bool {
        postgresURL != nil || ProcessInfo.processInfo.environment["ALPHA_PRIME_REQUIRE_POSTGRES"] == "1"
    }

    @Test(.enabled(if: postgresEnabled, "skipped: ALPHA_PRIME_TEST_POSTGRES_URL is not set (bin/test starts a PostgreSQL server and sets it)"))
    func migrateTwiceOnPostgreSQLIsANoOp() throws {
        let url = try #require(Self.postgresURL, "ALPHA_PRIME_REQUIRE_POSTGRES=1 but ALPHA_PRIME_TEST_POSTGRES_URL is not set")
        let home = try Self.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let schema = "it_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try PostgresConnection(url: url).execute("CREATE SCHEMA \(schema)")
        defer { _ = try? PostgresConnection(url: url).execute("DROP SCHEMA \(schema) CASCADE") }
        let scoped = url + (url.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"
        try Self.runCycle(home: home, databaseURL: scoped)
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
}
