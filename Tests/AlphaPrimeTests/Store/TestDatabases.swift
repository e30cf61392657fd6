import Foundation
import Logging
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

/// The backends every store test runs against. The PostgreSQL cases need a real server whose URL is
/// in ALPHA_PRIME_TEST_POSTGRES_URL (`bin/test` starts one and sets it).
enum TestBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgresql

    var testDescription: String { rawValue }

    /// The arguments of every backend-parameterised test: SQLite always; PostgreSQL when a server is
    /// configured, or when ALPHA_PRIME_REQUIRE_POSTGRES=1 (then a missing server fails each case).
    /// When PostgreSQL is left out, `PostgresAvailabilityTests` shows as skipped with the reason.
    static var enabled: [TestBackend] {
        TestDatabases.postgresURL != nil || TestDatabases.postgresRequired ? allCases : [.sqlite]
    }
}

enum TestDatabases {
    static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["ALPHA_PRIME_TEST_POSTGRES_URL"] ?? ""
        return url.isEmpty ? nil : url
    }

    static var postgresRequired: Bool { ProcessInfo.processInfo.environment["ALPHA_PRIME_REQUIRE_POSTGRES"] == "1" }

    struct PostgresMissing: Error, CustomStringConvertible {
        var description: String {
            "ALPHA_PRIME_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against (bin/test starts one and sets it)"
        }
    }

    /// Whether PostgreSQL tests should run (a server is configured, or one is required).
    static var postgresEnabled: Bool { postgresURL != nil || postgresRequired }

    /// The PostgreSQL URL; a missing one fails the test with a message saying what to set.
    static func requirePostgresURL() throws -> String {
        guard let url = postgresURL else { throw PostgresMissing() }
        return url
    }

    /// A fresh, empty database for one test: a new SQLite file in a temporary directory, or a new
    /// PostgreSQL schema (dropped afterwards) that the connection uses as its search path.
    static func withFresh<T>(_ backend: TestBackend, _ body: (any SQLDatabase) throws -> T) throws -> T {
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-store-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let database = try SQLiteConnection(path: directory.appending(path: "state.db").path)
            return try body(database)
        case .postgresql:
            let url = try requirePostgresURL()
            let schema = try createSchema(url)
            defer { dropSchema(schema, url) }
            let database = try PostgresConnection(url: scopedURL(url, searchPath: schema))
            return try body(database)
        }
    }

    /// A fresh database with the state schema migrated.
    static func withMigrated<T>(_ backend: TestBackend, _ body: (StateRepository) throws -> T) throws -> T {
        try withFresh(backend) { database throws in
            try Migrator(database: database, logger: quietLogger).migrate()
            return try body(StateRepository(database: database))
        }
    }

    static func createSchema(_ url: String) throws -> String {
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try PostgresConnection(url: url).execute("CREATE SCHEMA \(schema)")
        return schema
    }

    static func dropSchema(_ schema: String, _ url: String) {
        _ = try? PostgresConnection(url: url).execute("DROP SCHEMA \(schema) CASCADE")
    }

    /// The URL with `options=-c search_path=<schema>`, so unqualified tables land in the schema.
    static func scopedURL(_ url: String, searchPath schema: String) -> String {
        url + (url.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"
    }
}

/// Runs `body` and returns the ``StoreError`` it throws (recording an issue when it throws nothing
/// or something else).
func storeError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> StoreError? {
    do {
        try body()
        Issue.record("expected a StoreError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("expected a StoreError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// A valid order for tests.
func sampleOrder(_ mode: TradingMode = .paper, clientOrderId: String = "AP0001", quantity: Int64 = 50,
                 at time: UTCTimestamp = UTCTimestamp(microseconds: 1_769_400_000_000_000)) -> OrderRecord {
    OrderRecord(mode: mode, clientOrderId: clientOrderId, strategy: "mean_reversion", symbol: "NIFTY26JANFUT",
                exchange: "NFO", side: .buy, orderType: .limit, product: .mis, quantity: quantity,
                limitPrice: Paise(2_512_345), createdAt: time)
}

/// A logger that drops everything, so test output stays readable.
let quietLogger = Logger(label: "alpha_prime.test") { _ in SwiftLogNoOpLogHandler() }

/// Shows, in every test run, whether the PostgreSQL cases ran: skipped with the reason when no server
/// is configured; failed when one is required and missing.
@Suite struct PostgresAvailabilityTests {
    @Test(.enabled(if: TestDatabases.postgresEnabled,
                   "PostgreSQL store cases skipped: ALPHA_PRIME_TEST_POSTGRES_URL is not set (bin/test starts a server and sets it)"))
    func postgresqlServerAnswers() throws {
        let database = try PostgresConnection(url: try TestDatabases.requirePostgresURL())
        #expect(try database.queryFirst("SELECT 1 AS one")?.int64("one") == 1)
    }
}
