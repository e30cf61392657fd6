import AlphaPrimeDomain
import AlphaPrimeSupport
import Foundation

/// The repository is the state-store port of the trading core, on SQLite and on PostgreSQL.
extension StateRepository: StateStore {
    public var location: String { url?.description ?? database.location }

    public func transaction<T>(_ body: () throws -> T) throws -> T { try database.transaction(body) }

    public func readTransaction<T>(_ body: () throws -> T) throws -> T { try database.readTransaction(body) }

    public func engineSchemaStatus() throws -> EngineSchemaStatus {
        guard try database.tableExists("engine_state") else {
            return EngineSchemaStatus(hasEngineTables: false, pendingMigrations: StateSchema.migrations.count, isUpToDate: false)
        }
        let status = try Migrator(database: database).status()
        return EngineSchemaStatus(hasEngineTables: true, pendingMigrations: status.pending.count, isUpToDate: status.isUpToDate)
    }

    public func markEmergencyStopped(mode: TradingMode, at time: UTCTimestamp) throws {
        try database.execute("UPDATE engine_state SET status = 'emergency_stopped', updated_at_us = ? WHERE mode = ?",
                             [SQLValue(time), SQLValue(mode)])
    }

    public func acquireEngineLock(holder: EngineLockHolder) throws -> any EngineLease {
        try EngineLock.acquire(url: lockURL, database: database, holder: holder)
    }

    public func engineLockHolder() throws -> EngineLockHolder? {
        try EngineLock.holder(url: lockURL, database: database)
    }

    public func endEngineConnection(of holder: EngineLockHolder) throws {
        guard database.backend == .postgresql, let backend = holder.backendPid else { return }
        _ = try database.query("SELECT pg_terminate_backend(?) AS ended", [.integer(backend)])
    }

    /// The URL the lock is keyed on: the one the repository was opened with; without one, a
    /// PostgreSQL connection locks in its schema and a SQLite connection not opened from a URL has
    /// no lock file.
    private var lockURL: DatabaseURL {
        if let url { return url }
        return database.backend == .postgresql ? .postgres(url: "") : .sqlite(path: ":memory:")
    }
}
