import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeStore
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

/// The health probes that read the state database: the engine lock and heartbeat, and the sizes,
/// on both backends, with the engine lock taken in this process.
@Suite struct HealthDatabaseTests {
    /// A migrated database reached through a URL (the engine lock is keyed on it), removed afterwards.
    static func withMigratedURL(_ backend: TestBackend, _ body: (DatabaseURL, any SQLDatabase) throws -> Void) throws {
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-health-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let url = DatabaseURL.sqlite(path: directory.appending(path: "state.db").path)
            let database = try url.open()
            try Migrator(database: database, logger: quietLogger).migrate()
            try body(url, database)
        case .postgresql:
            let base = try TestDatabases.requirePostgresURL()
            let schema = try TestDatabases.createSchema(base)
            defer { TestDatabases.dropSchema(schema, base) }
            let url = DatabaseURL.postgres(url: TestDatabases.scopedURL(base, searchPath: schema))
            let database = try url.open()
            try Migrator(database: database, logger: quietLogger).migrate()
            try body(url, database)
        }
    }

    static let calendar = NSECalendarFixture.calendar

    static func context(at text: String, now: UTCTimestamp) -> HealthCheckContext {
        let home = AlphaPrimeHome(root: FileManager.default.temporaryDirectory)
        return HealthCheckContext(home: home, fast: true, now: now, marketTime: IST.epochSeconds(iso8601: text)!, calendar: calendar)
    }

    @Test(arguments: TestBackend.enabled)
    func engineLineFollowsTheLockAndTheHeartbeat(backend: TestBackend) throws {
        try Self.withMigratedURL(backend) { url, database in
            let now = UTCTimestamp.now()
            let probe = HealthDatabase(url: .success(url))
            let session = Self.context(at: "2026-01-27T11:00", now: now)
            let closed = Self.context(at: "2026-01-27T19:00", now: now)
            #expect(probe.engineFinding(session).map(\.status) == [.warning], "no engine during the session")
            #expect(probe.engineFinding(closed).map(\.status) == [.info])

            let repository = StateRepository(database: database, url: url)
            let lease = try repository.acquireEngineLock(holder: EngineLockHolder(pid: 4242, host: "trader-box", mode: "paper", since: "x"))
            defer { lease.release() }
            let silent = probe.engineFinding(session)
            #expect(silent.first?.status == .failure && silent.first?.detail.contains("no heartbeat") == true, "\(silent)")

            try repository.recordHeartbeat(mode: .paper, status: "paper", pid: 4242, host: "trader-box",
                                           at: UTCTimestamp(microseconds: now.microseconds - 2_000_000))
            let fresh = try #require(probe.engineFinding(session).first)
            #expect(fresh.status == .ok, "\(fresh)")
            #expect(fresh.detail.hasPrefix("running (pid 4242, on trader-box, mode paper"), "\(fresh.detail)")

            try repository.recordHeartbeat(mode: .paper, status: "paper", pid: 4242, host: "trader-box",
                                           at: UTCTimestamp(microseconds: now.microseconds - 45_000_000))
            #expect(probe.engineFinding(session).first?.status == .failure, "a heartbeat 45 s old during the session")
            #expect(probe.engineFinding(closed).first?.status == .warning)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func sizeLineAndIntegrityUseTheSharedConnection(backend: TestBackend) throws {
        try Self.withMigratedURL(backend) { url, _ in
            let probe = HealthDatabase(url: .success(url))
            #expect(probe.exists)
            let size = try #require(probe.sizeFinding().first)
            #expect(size.check == "database size" && size.status == .ok)
            #expect(size.detail.contains("write-ahead log") == (backend == .sqlite), "\(size.detail)")
            let integrity = StateHealth.integrity(probe.openedIfPresent())
            #expect(!integrity.isEmpty && integrity.allSatisfy { $0.status == .ok }, "\(integrity)")
        }
    }

    @Test func aMissingSQLiteFileIsNeitherCreatedNorProbed() throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-missing-\(UUID().uuidString).db").path
        let probe = HealthDatabase(url: .success(.sqlite(path: path)))
        #expect(!probe.exists)
        #expect(probe.sizeFinding().isEmpty)
        #expect(probe.engineFinding(Self.context(at: "2026-01-27T11:00", now: .now())).isEmpty)
        #expect(StateHealth.integrity(probe.openedIfPresent()).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
