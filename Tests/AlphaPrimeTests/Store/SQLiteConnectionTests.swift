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

@Suite struct SQLiteConnectionTests {
    static func temporaryPath(_ name: String = "state.db") -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-sqlite-\(UUID().uuidString)")
        return (directory, directory.appending(path: "nested/var/\(name)").path)
    }

    @Test func opensInWALWithFullSyncBusyTimeoutAndForeignKeys() throws {
        let (directory, path) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try SQLiteConnection(path: path)
        #expect(FileManager.default.fileExists(atPath: path), "the parent directories are created")
        #expect(try database.queryFirst("PRAGMA journal_mode")?[0] == .text("wal"))
        #expect(try database.queryFirst("PRAGMA synchronous")?[0] == .integer(2))  // FULL
        #expect(try database.queryFirst("PRAGMA busy_timeout")?[0] == .integer(Int64(SQLiteConnection.defaultBusyTimeoutMilliseconds)))
        #expect(try database.queryFirst("PRAGMA foreign_keys")?[0] == .integer(1))
    }

    /// Two processes opening a database that does not exist yet (an engine starting while
    /// `engine status` polls) race to switch the new file to WAL; SQLite answers the loser `BUSY`
    /// at once, without its busy handler. Every open must still succeed.
    @Test func openingANewDatabaseFromSeveralConnectionsAtOnceNeverFailsBusy() async throws {
        let (directory, _) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        for round in 0..<60 {
            let path = directory.appending(path: "race/\(round).db").path
            try FileManager.default.createDirectory(atPath: directory.appending(path: "race").path, withIntermediateDirectories: true)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let database = try SQLiteConnection(path: path)
                        _ = try database.queryFirst("SELECT COUNT(*) FROM sqlite_master")
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    /// A write the file does not take (read-only, full disk, not permitted) is exit 73, "cannot be
    /// written", not 69 "unreachable". Read-only is simulated with `query_only` (root ignores file modes).
    @Test func aWriteTheFileCannotTakeIsCantCreate() throws {
        let (directory, path) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try SQLiteConnection(path: path)
        try database.execute("CREATE TABLE t (x INTEGER)")
        try database.execute("PRAGMA query_only = 1")
        do {
            try database.execute("INSERT INTO t (x) VALUES (1)")
            Issue.record("the insert was accepted")
        } catch let error as StoreError {
            #expect(error.kind == .cannotWrite, "\(error)")
            #expect(error.exitStatus == .cantCreate)
        }
    }

    @Test func aReaderSeesTheLastCommitWhileAWriterHoldsATransaction() throws {
        let (directory, path) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try SQLiteConnection(path: path)
        let reader = try SQLiteConnection(path: path)
        try writer.execute("CREATE TABLE ticks (id INTEGER PRIMARY KEY, price_paise INTEGER NOT NULL)")
        try writer.execute("INSERT INTO ticks (price_paise) VALUES (?)", [100])

        try writer.transaction {
            try writer.execute("INSERT INTO ticks (price_paise) VALUES (?)", [200])
            // The write lock is held (BEGIN IMMEDIATE); in WAL mode the reader neither waits nor fails.
            let seen = try reader.readTransaction { try reader.query("SELECT price_paise FROM ticks ORDER BY id") }
            #expect(try seen.map { try $0.int64("price_paise") } == [100])
        }
        #expect(try reader.query("SELECT id FROM ticks").count == 2)
    }

    @Test func aSecondWriterGivesUpAfterTheBusyTimeout() throws {
        let (directory, path) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try SQLiteConnection(path: path)
        let second = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 20)
        try first.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        try first.transaction {
            let error = storeError { try second.transaction { _ = try second.execute("INSERT INTO t DEFAULT VALUES") } }
            #expect(error?.kind == .busy)
            #expect(error?.exitStatus == .locked)
            #expect(error?.description.contains("BEGIN IMMEDIATE") == true)
        }
        try second.transaction { try second.execute("INSERT INTO t DEFAULT VALUES") }
        #expect(try first.query("SELECT id FROM t").count == 1)
    }

    @Test func inMemoryDatabaseWorks() throws {
        let database = try SQLiteConnection(path: ":memory:")
        try Migrator(database: database, logger: quietLogger).migrate()
        #expect(try Migrator(database: database).status().isUpToDate)
    }

    @Test func scriptErrorsNameTheFailingStatement() throws {
        let database = try SQLiteConnection(path: ":memory:")
        let error = storeError { try database.executeScript("CREATE TABLE a (x INTEGER); CREATE TABLE a (x INTEGER);") }
        #expect(error?.sql == "CREATE TABLE a (x INTEGER);")
        #expect(error?.description.contains("already exists") == true)
    }

    @Test func moreThanOneStatementIsRefusedOutsideScripts() throws {
        let database = try SQLiteConnection(path: ":memory:")
        let error = storeError { try database.execute("CREATE TABLE a (x INTEGER); DROP TABLE a") }
        #expect(error?.kind == .statementFailed)
        #expect(try !database.tableExists("a"))
    }

    @Test func unopenableFileIsUnavailable() throws {
        let (directory, _) = Self.temporaryPath()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A directory where the database file should be.
        let error = storeError { _ = try SQLiteConnection(path: directory.path) }
        #expect(error?.exitStatus == .unavailable)
    }
}
