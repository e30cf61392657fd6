import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import AlphaPrimeOps
import ArgumentParser
import Foundation

extension DBMaintenanceCommand {
    public struct Vacuum: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Compact the database and refresh the planner's statistics; prints the size before and after.",
            discussion: """
                SQLite: VACUUM (it needs about twice the database's size free beside it), ANALYZE, then a \
                truncating checkpoint. PostgreSQL: VACUUM (ANALYZE) of the state tables. Refused (exit 4) \
                while an engine runs during market hours, and outside them unless --force is given.
                """)

        @OptionGroup public var common: CommonOptions

        @Flag(name: .long, help: "Run while an engine runs, outside market hours only.")
        public var force = false

        public init() {}

        struct Output: Encodable {
            let backend: String
            let database: String
            let databaseBytesBefore: Int64
            let databaseBytesAfter: Int64
            let walBytesBefore: Int64?
            let walBytesAfter: Int64?
            let tables: [String]
            let seconds: Double
            let checkpoint: CheckpointResult?
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "db-maintenance vacuum") {
                let (url, database, setup, lease) = try DBMaintenanceCommand.openForHeavyWork(common, operation: "vacuum", force: force)
                defer { lease?.release() }
                let needed = DatabaseMaintenance.vacuumSpaceNeeded(database)
                if needed > 0, case .sqlite(let path) = url,
                   let free = DBMaintenanceCommand.freeBytes(near: path), free < UInt64(needed) {
                    throw NoRoomForVacuum(path: path, needed: needed, free: free)
                }
                let r = try DatabaseMaintenance.vacuum(database)
                setup.logger.info("database vacuumed", metadata: [
                    "database": "\(url)", "bytes_before": "\(r.databaseBytesBefore)", "bytes_after": "\(r.databaseBytesAfter)",
                    "seconds": "\(r.seconds)"])
                if common.json {
                    try DBMaintenanceCommand.printJSON(Output(
                        backend: url.backend.rawValue, database: url.description, databaseBytesBefore: r.databaseBytesBefore,
                        databaseBytesAfter: r.databaseBytesAfter, walBytesBefore: r.walBytesBefore, walBytesAfter: r.walBytesAfter,
                        tables: r.tables, seconds: r.seconds, checkpoint: r.checkpoint))
                } else {
                    ToolRunner.printOut("vacuum: \(url.backend.displayName) at \(url)")
                    if url.backend == .postgresql { ToolRunner.printOut("  VACUUM (ANALYZE) of \(r.tables.count) state tables") }
                    ToolRunner.printOut("  before: \(Self.sizes(r.databaseBytesBefore, r.walBytesBefore, url.backend))")
                    ToolRunner.printOut("  after:  \(Self.sizes(r.databaseBytesAfter, r.walBytesAfter, url.backend))")
                    let steps = url.backend == .sqlite ? "VACUUM, ANALYZE, checkpoint" : "VACUUM (ANALYZE)"
                    ToolRunner.printOut("  took \(String(format: "%.2f", r.seconds)) s (\(steps))")
                }
                if r.checkpoint?.busy == true {
                    ToolRunner.printError("db-maintenance vacuum: the checkpoint after VACUUM was blocked by another connection; "
                                          + "the file shrinks at the next checkpoint (db-maintenance checkpoint)")
                }
                return .ok
            }
        }

        static func sizes(_ database: Int64, _ wal: Int64?, _ backend: DatabaseBackend) -> String {
            let main = SystemHealth.formatBytes(UInt64(max(database, 0)))
            guard let wal else { return backend == .postgresql ? "\(main) (the tables with their indexes)" : main }
            return "database \(main), write-ahead log \(SystemHealth.formatBytes(UInt64(max(wal, 0))))"
        }
    }

    public struct Checkpoint: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Copy SQLite's write-ahead log into the database file and truncate it; prints the frames and the log's size.",
            discussion: """
                SQLite: PRAGMA wal_checkpoint(TRUNCATE); exit 4 when another connection kept it from \
                finishing. PostgreSQL: does not apply (the server checkpoints on its own); says so and exits 0. \
                Refused (exit 4) while an engine runs during market hours, and outside them unless --force is given.
                """)

        @OptionGroup public var common: CommonOptions

        @Flag(name: .long, help: "Run while an engine runs, outside market hours only.")
        public var force = false

        public init() {}

        struct Output: Encodable {
            let backend: String
            let database: String
            let applies: Bool
            let checkpoint: CheckpointResult?
            let text: String
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "db-maintenance checkpoint") {
                let (url, database, setup, lease) = try DBMaintenanceCommand.openForHeavyWork(common, operation: "checkpoint", force: force)
                defer { lease?.release() }
                guard let c = try DatabaseMaintenance.checkpoint(database) else {
                    let text = "\(url): does not apply to PostgreSQL: the server checkpoints its write-ahead log on its own "
                        + "(checkpoint_timeout, max_wal_size); nothing was done"
                    if common.json {
                        try DBMaintenanceCommand.printJSON(Output(backend: url.backend.rawValue, database: url.description,
                                                                  applies: false, checkpoint: nil, text: text))
                    } else {
                        ToolRunner.printOut(text)
                    }
                    return .ok
                }
                let wal = "write-ahead log \(SystemHealth.formatBytes(UInt64(max(c.walBytesBefore, 0)))) -> "
                    + SystemHealth.formatBytes(UInt64(max(c.walBytesAfter, 0)))
                let text = "busy \(c.busy ? 1 : 0), log \(c.logFrames) frames, checkpointed \(c.checkpointedFrames) frames; \(wal)"
                setup.logger.info("checkpoint taken", metadata: [
                    "database": "\(url)", "busy": "\(c.busy)", "log_frames": "\(c.logFrames)",
                    "checkpointed_frames": "\(c.checkpointedFrames)", "wal_bytes_before": "\(c.walBytesBefore)",
                    "wal_bytes_after": "\(c.walBytesAfter)"])
                if common.json {
                    try DBMaintenanceCommand.printJSON(Output(backend: url.backend.rawValue, database: url.description,
                                                              applies: true, checkpoint: c, text: text))
                } else {
                    ToolRunner.printOut("checkpoint: \(url.backend.displayName) at \(url)")
                    ToolRunner.printOut("  \(text)")
                    ToolRunner.printOut("  took \(String(format: "%.3f", c.seconds)) s")
                }
                guard !c.busy else {
                    ToolRunner.printError("db-maintenance checkpoint: another connection kept the checkpoint from finishing "
                                          + "(\(c.checkpointedFrames) of \(c.logFrames) frames copied); try again later")
                    return .locked
                }
                return .ok
            }
        }
    }
}

/// `VACUUM` would fill the disk: nothing was done.
struct NoRoomForVacuum: Error, ExitStatusProviding, CustomStringConvertible {
    let path: String
    let needed: Int64
    let free: UInt64
    var exitStatus: ExitStatus { .cantCreate }
    var description: String {
        "VACUUM needs about \(SystemHealth.formatBytes(UInt64(needed))) free beside \(path) (a temporary copy of the database "
            + "and the rebuilt pages in its write-ahead log), and only \(SystemHealth.formatBytes(free)) is free there; "
            + "nothing was done"
    }
}
