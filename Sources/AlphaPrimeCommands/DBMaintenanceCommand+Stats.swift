import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import AlphaPrimeOps
import ArgumentParser
import Foundation

extension DBMaintenanceCommand {
    public struct Stats: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Rows and size of every table, the database and write-ahead log files, and index use where the backend counts it.",
            discussion: """
                Rows are counted exactly (SELECT COUNT(*)). SQLite: sizes from the dbstat table when SQLite \
                was built with it (else only the whole file, page_count x page_size); index use is not \
                counted by SQLite. PostgreSQL: pg_total_relation_size, the statistics' live and dead row \
                estimates, sequential and index scans (pg_stat_user_tables, pg_stat_user_indexes).
                """)

        @OptionGroup public var common: CommonOptions

        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "db-maintenance stats") {
                let (url, database, setup) = try DBMaintenanceCommand.open(common)
                var stats = try DatabaseStats.read(database)
                stats.database = url.description
                setup.logger.info("database statistics read", metadata: [
                    "database": "\(url)", "tables": .stringConvertible(stats.tables.count), "bytes": "\(stats.databaseBytes)"])
                if common.json {
                    try DBMaintenanceCommand.printJSON(stats)
                } else {
                    ToolRunner.printOut(Self.text(stats))
                }
                return .ok
            }
        }

        static func bytes(_ value: Int64?) -> String {
            value.map { SystemHealth.formatBytes(UInt64(max($0, 0))) } ?? "-"
        }

        static func text(_ s: DatabaseStats) -> String {
            var lines = ["stats: \(s.backend.displayName) at \(s.database)"]
            if s.backend == .sqlite {
                var head = "database file \(bytes(s.databaseBytes))"
                if let size = s.pageSize, let count = s.pageCount {
                    head += " (\(count) pages of \(size) B"
                    if let free = s.freePages { head += ", \(free) free: \(bytes(free * size)) a vacuum gives back" }
                    head += ")"
                }
                head += ", write-ahead log \(bytes(s.walBytes))"
                lines.append(head)
                lines.append(s.sizeSource == "dbstat" ? "table sizes from dbstat (indexes included)"
                             : "table sizes unknown: this SQLite has no dbstat table; the file's size is page_count x page_size")
            } else {
                lines.append("the schema's tables \(bytes(s.databaseBytes)) (pg_total_relation_size: indexes and TOAST included)")
            }
            let postgres = s.backend == .postgresql
            var tableRows = [["table", "rows"] + (postgres ? ["est. rows", "dead rows", "seq scans", "idx scans"] : []) + ["size"]]
            for t in s.tables {
                let extra = postgres ? [t.estimatedRows, t.deadRows, t.sequentialScans, t.indexScans].map { $0.map(String.init) ?? "-" } : []
                tableRows.append([t.name, String(t.rows)] + extra + [bytes(t.bytes)])
            }
            lines += columns(tableRows)
            var indexRows = [["index", "table", "size", "scans"]]
            for i in s.indexes { indexRows.append([i.name, i.table, bytes(i.bytes), i.scans.map(String.init) ?? "-"]) }
            if s.indexes.isEmpty { return lines.joined(separator: "\n") }
            lines.append("")
            lines += columns(indexRows)
            if !s.indexUsageCounted { lines.append("index scans: not counted by SQLite") }
            return lines.joined(separator: "\n")
        }

        /// Rows of cells as aligned columns: the first left-aligned, the others right-aligned.
        static func columns(_ rows: [[String]]) -> [String] {
            guard let width = rows.first?.count else { return [] }
            let widths = (0..<width).map { c in rows.map { $0[c].count }.max() ?? 0 }
            return rows.map { row in
                row.enumerated().map { c, cell in
                    let pad = String(repeating: " ", count: widths[c] - cell.count)
                    return c == 0 ? cell + pad : pad + cell
                }.joined(separator: "  ")
            }
        }
    }
}
