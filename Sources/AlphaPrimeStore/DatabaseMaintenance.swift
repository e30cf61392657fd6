import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// What `VACUUM` did: the sizes before and after and how long it took.
///
/// On SQLite the sizes are the main file's and its write-ahead log's; on PostgreSQL they are the
/// state tables' total (`pg_total_relation_size`, indexes and TOAST included), and there is no WAL
/// of ours to report.
public struct VacuumResult: Sendable, Codable, Equatable {
    public var backend: DatabaseBackend
    public var databaseBytesBefore: Int64
    public var databaseBytesAfter: Int64
    public var walBytesBefore: Int64?
    public var walBytesAfter: Int64?
    /// The tables vacuumed and analysed (PostgreSQL); SQLite rebuilds the whole file.
    public var tables: [String]
    public var seconds: Double
    /// SQLite: the checkpoint taken after `VACUUM`, which moves the rebuilt pages into the main
    /// file and shrinks it.
    public var checkpoint: CheckpointResult?
}

/// What `PRAGMA wal_checkpoint(TRUNCATE)` did to a SQLite database's write-ahead log.
public struct CheckpointResult: Sendable, Codable, Equatable {
    /// The checkpoint could not finish: another connection was reading or writing past the busy timeout.
    public var busy: Bool
    /// Frames in the log when the checkpoint began.
    public var logFrames: Int64
    /// Of those, the frames copied into the database file.
    public var checkpointedFrames: Int64
    public var walBytesBefore: Int64
    public var walBytesAfter: Int64
    public var seconds: Double
}

/// Maintenance of the state database: compacting it, emptying SQLite's write-ahead log, and its
/// sizes. Both backends; the statements run outside any transaction (neither `VACUUM` nor a
/// checkpoint can run inside one).
public enum DatabaseMaintenance {
    /// The main file and its `-wal` beside it, in bytes (0 for a file that is not there).
    public static func fileSizes(sqlitePath path: String) -> (database: Int64, wal: Int64) {
        (fileSize(path), fileSize(path + "-wal"))
    }

    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// The database's size and, on SQLite, its write-ahead log's: the files on SQLite, the state
    /// schema's tables (with their indexes) on PostgreSQL.
    public static func sizes(_ database: any SQLDatabase) throws -> (database: Int64, wal: Int64?) {
        switch database.backend {
        case .sqlite:
            let files = fileSizes(sqlitePath: database.location)
            return (files.database, files.wal)
        case .postgresql:
            let row = try database.queryFirst("""
                SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint AS bytes
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'm')
                """)
            return (try row?.int64("bytes") ?? 0, nil)
        }
    }

    /// The bytes `VACUUM` needs free beside a SQLite file: about twice the database (a temporary
    /// copy, then the rebuilt pages written through the write-ahead log). PostgreSQL's plain
    /// `VACUUM` rewrites nothing: 0.
    public static func vacuumSpaceNeeded(_ database: any SQLDatabase) -> Int64 {
        guard database.backend == .sqlite else { return 0 }
        let files = fileSizes(sqlitePath: database.location)
        return 2 * files.database + files.wal
    }

    /// SQLite: `VACUUM` (the file rebuilt without its free pages), `ANALYZE`, then a truncating
    /// checkpoint so the main file shrinks now. PostgreSQL: `VACUUM (ANALYZE)` of the state tables
    /// present in the schema (dead rows made reusable, planner statistics refreshed; files seldom
    /// shrink: that is `VACUUM FULL`, which locks each table and is not done here).
    public static func vacuum(_ database: any SQLDatabase) throws -> VacuumResult {
        let started = Benchmarks.now()
        let before = try sizes(database)
        var tables: [String] = []
        var checkpointed: CheckpointResult?
        switch database.backend {
        case .sqlite:
            try database.execute("VACUUM")
            try database.execute("ANALYZE")
            checkpointed = try checkpoint(database)
        case .postgresql:
            tables = try StateSchema.tables.filter { try database.tableExists($0) }
            if !tables.isEmpty {
                try database.execute("VACUUM (ANALYZE) " + tables.map(quoted).joined(separator: ", "))
            }
        }
        let after = try sizes(database)
        return VacuumResult(backend: database.backend, databaseBytesBefore: before.database, databaseBytesAfter: after.database,
                            walBytesBefore: before.wal, walBytesAfter: after.wal, tables: tables,
                            seconds: Benchmarks.now() - started, checkpoint: checkpointed)
    }

    /// SQLite: a passive checkpoint (what the log holds and what could be copied without waiting),
    /// then `PRAGMA wal_checkpoint(TRUNCATE)`, which waits for readers up to the busy timeout, copies
    /// the rest and truncates the log to zero bytes. Nil on PostgreSQL, whose write-ahead log and
    /// checkpoints belong to the server.
    public static func checkpoint(_ database: any SQLDatabase) throws -> CheckpointResult? {
        guard database.backend == .sqlite else { return nil }
        let started = Benchmarks.now()
        let walBefore = fileSizes(sqlitePath: database.location).wal
        let passive = try frames(database.queryFirst("PRAGMA wal_checkpoint(PASSIVE)"))
        let truncate = try frames(database.queryFirst("PRAGMA wal_checkpoint(TRUNCATE)"))
        // A truncating checkpoint that finished reports an empty log (0, 0): the figures of the
        // passive pass say what was in it. One that was blocked reports its own.
        let counted = truncate.busy ? truncate : passive
        return CheckpointResult(busy: truncate.busy, logFrames: max(counted.log, 0), checkpointedFrames: max(counted.checkpointed, 0),
                                walBytesBefore: walBefore, walBytesAfter: fileSizes(sqlitePath: database.location).wal,
                                seconds: Benchmarks.now() - started)
    }

    private static func frames(_ row: SQLRow?) -> (busy: Bool, log: Int64, checkpointed: Int64) {
        guard let row, row.values.count >= 3 else { return (false, 0, 0) }
        func int(_ value: SQLValue) -> Int64 { if case .integer(let v) = value { return v }; return 0 }
        return (int(row[0]) != 0, int(row[1]), int(row[2]))
    }

    /// An identifier in double quotes (a doubled quote inside).
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
