import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import AlphaPrimeOps
import Foundation

extension DBMaintenanceCommand {
    /// Opens the database for `vacuum` or `checkpoint` and decides whether they may run now
    /// (``MaintenanceWindow``). When no engine runs, the engine lock is taken and returned, so no
    /// engine starts while the work is under way; the caller releases it. When an engine runs and
    /// `--force` lets the work go ahead outside market hours, there is no lease and a note goes to
    /// standard error.
    ///
    /// - Throws: ``MaintenanceRefused`` (exit 4) naming the engine, or what opening the database throws.
    static func openForHeavyWork(_ common: CommonOptions, operation: String, force: Bool)
        throws -> (url: DatabaseURL, database: any SQLDatabase, setup: ToolSetup, lease: (any EngineLease)?)
    {
        let (url, database, setup) = try open(common)
        let repository = StateRepository(database: database, url: url)
        let holder: EngineLockHolder
        do {
            let lease = try repository.acquireEngineLock(holder: EngineLockHolder.thisProcess(doing: "db-maintenance \(operation)"))
            return (url, database, setup, lease)
        } catch let locked as EngineLockedError {
            holder = locked.holder
        }
        let calendar = try? setup.tradingCalendar()
        switch MaintenanceWindow.decide(operation: operation, holder: holder, calendar: calendar,
                                        at: try MarketClock.instant(), force: force) {
        case .refuse(let message):
            setup.logger.warning("maintenance refused", metadata: ["operation": "\(operation)", "engine": "\(holder)"])
            throw MaintenanceRefused(message: message)
        case .proceed(let note):
            if let note { ToolRunner.printError("db-maintenance \(operation): \(note)") }
            setup.logger.notice("maintenance while an engine runs", metadata: ["operation": "\(operation)", "engine": "\(holder)"])
            return (url, database, setup, nil)
        }
    }

    /// Free bytes on the file system holding `path`'s directory, or nil when it cannot be read.
    static func freeBytes(near path: String) -> UInt64? {
        var stats = statvfs()
        let directory = URL(filePath: path).deletingLastPathComponent().path
        guard statvfs(directory, &stats) == 0 else { return nil }
        return UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
    }
}

/// Heavy maintenance refused while an engine runs (exit 4); the message names the engine and
/// when it may run.
struct MaintenanceRefused: Error, ExitStatusProviding, CustomStringConvertible {
    let message: String
    var exitStatus: ExitStatus { .locked }
    var description: String { message }
}
