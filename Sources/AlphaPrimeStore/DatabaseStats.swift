import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// The state database table by table: rows, sizes, and index use where the backend counts it.
public struct DatabaseStats: Sendable, Codable, Equatable {
    public struct Table: Sendable, Codable, Equatable {
        public var name: String
        /// `SELECT COUNT(*)`: exact on both backends.
        public var rows: Int64
        /// The table with its indexes (and TOAST on PostgreSQL); nil on a SQLite built without `dbstat`.
        public var bytes: Int64?
        /// PostgreSQL's statistics: live and dead row estimates, sequential and index scans.
        public var estimatedRows: Int64?
        public var deadRows: Int64?
        public var sequentialScans: Int64?
        public var indexScans: Int64?
    }

    public struct Index: Sendable, Codable, Equatable {
        public var name: String
        public var table: String
        public var bytes: Int64?
        /// Scans since the server's statistics were last reset; nil where the backend does not count them (SQLite).
        public var scans: Int64?
    }

    public var backend: DatabaseBackend
    public var database: String
    /// SQLite: the main file; PostgreSQL: the schema's tables with their indexes.
    public var databaseBytes: Int64
    /// SQLite's write-ahead log file.
    public var walBytes: Int64?
    public var pageSize: Int64?
    public var pageCount: Int64?
    /// SQLite pages on the free list: what `VACUUM` gives back.
    public var freePages: Int64?
    /// `dbstat`, `page_count` (SQLite without `dbstat`: one figure for the whole file) or `pg_total_relation_size`.
    public var sizeSource: String
    public var indexUsageCounted: Bool
    public var tables: [Table]
    public var indexes: [Index]

    /// Reads the statistics of every table of the database (the current schema on PostgreSQL).
    public static func read(_ database: any SQLDatabase) throws -> DatabaseStats {
        switch database.backend {
        case .sqlite: try sqlite(database)
        case .postgresql: try postgres(database)
        }
    }

    static func count(_ database: any SQLDatabase, _ table: String) throws -> Int64 {
        try database.queryFirst("SELECT COUNT(*) AS n FROM \(DatabaseMaintenance.quoted(table))")?.int64("n") ?? 0
    }

    private static func sqlite(_ database: any SQLDatabase) throws -> DatabaseStats {
        let names = try database.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .map { try $0.string("name") }
        let indexRows = try database.query("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' ORDER BY tbl_name, name")
        // `dbstat` is a compile-time option of SQLite; without it only the whole file's size is known.
        let pages: [String: Int64]?
        do {
            pages = Dictionary(uniqueKeysWithValues: try database.query("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name")
                .map { (try $0.string("name"), try $0.int64("bytes")) })
        } catch {
            pages = nil
        }
        var indexes: [Index] = []
        var indexBytes: [String: Int64] = [:]
        for row in indexRows {
            let name = try row.string("name"), table = try row.string("tbl_name")
            let bytes = pages?[name]
            indexes.append(Index(name: name, table: table, bytes: bytes, scans: nil))
            indexBytes[table, default: 0] += bytes ?? 0
        }
        let tables = try names.map { name in
            Table(name: name, rows: try count(database, name), bytes: pages.map { ($0[name] ?? 0) + (indexBytes[name] ?? 0) })
        }
        func pragma(_ name: String) throws -> Int64? {
            if case .integer(let v) = try database.queryFirst("PRAGMA \(name)")?[0] { return v }
            return nil
        }
        let files = DatabaseMaintenance.fileSizes(sqlitePath: database.location)
        return DatabaseStats(backend: .sqlite, database: database.location, databaseBytes: files.database, walBytes: files.wal,
                             pageSize: try pragma("page_size"), pageCount: try pragma("page_count"),
                             freePages: try pragma("freelist_count"), sizeSource: pages == nil ? "page_count" : "dbstat",
                             indexUsageCounted: false, tables: tables, indexes: indexes)
    }

    private static func postgres(_ database: any SQLDatabase) throws -> DatabaseStats {
        let tableRows = try database.query("""
            SELECT c.relname::text AS name, pg_total_relation_size(c.oid) AS bytes, s.n_live_tup AS live, s.n_dead_tup AS dead,
                s.seq_scan AS seq, s.idx_scan AS idx
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname
            """)
        let tables = try tableRows.map { row in
            let name = try row.string("name")
            return Table(name: name, rows: try count(database, name), bytes: try row.optionalInt64("bytes"),
                         estimatedRows: try row.optionalInt64("live"), deadRows: try row.optionalInt64("dead"),
                         sequentialScans: try row.optionalInt64("seq"), indexScans: try row.optionalInt64("idx"))
        }
        let indexes = try database.query("""
            SELECT s.indexrelname::text AS name, s.relname::text AS tbl, pg_relation_size(s.indexrelid) AS bytes, s.idx_scan AS scans
            FROM pg_stat_user_indexes s WHERE s.schemaname = current_schema() ORDER BY s.relname, s.indexrelname
            """).map { row in
            Index(name: try row.string("name"), table: try row.string("tbl"), bytes: try row.optionalInt64("bytes"),
                  scans: try row.optionalInt64("scans"))
        }
        return DatabaseStats(backend: .postgresql, database: database.location,
                             databaseBytes: tables.reduce(0) { $0 + ($1.bytes ?? 0) }, walBytes: nil, pageSize: nil,
                             pageCount: nil, freePages: nil, sizeSource: "pg_total_relation_size", indexUsageCounted: true,
                             tables: tables, indexes: indexes)
    }
}
