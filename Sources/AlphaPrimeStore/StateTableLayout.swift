import AlphaPrimeSupport

/// A state table as the database describes it: its columns in their order, its primary key, and
/// how to read its rows in a backend-independent order, a page at a time.
struct StateTableLayout: Sendable, Equatable {
    let name: String
    let columns: [String]
    /// The primary key's columns in key order; every column when the table has no primary key.
    let key: [String]
    /// The key columns that hold text (sorted by their UTF-8 bytes on both backends).
    let textKey: Set<String>

    /// The single integer key column (`id`, `version`), read page by page with `WHERE key > last`.
    var integerKey: String? { key.count == 1 && !textKey.contains(key[0]) ? key[0] : nil }

    /// Whether the database assigns the table's ids (`{{id}}`: AUTOINCREMENT / an identity column).
    var assignsIds: Bool { integerKey == "id" }

    static func quoted(_ identifier: String) -> String { "\"\(identifier)\"" }

    /// Reads the layout from the catalog. The table must exist.
    static func read(_ table: String, in database: any SQLDatabase) throws -> StateTableLayout {
        let sql: String
        switch database.backend {
        case .sqlite:
            sql = "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid"
        case .postgresql:
            sql = """
                SELECT c.column_name::text AS name, c.data_type::text AS type,
                    COALESCE((SELECT k.ordinal_position::int FROM information_schema.table_constraints t
                        JOIN information_schema.key_column_usage k
                          ON k.constraint_schema = t.constraint_schema AND k.constraint_name = t.constraint_name
                         AND k.table_name = t.table_name
                        WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = c.table_schema
                          AND t.table_name = c.table_name AND k.column_name = c.column_name), 0) AS pk
                FROM information_schema.columns c
                WHERE c.table_schema = current_schema() AND c.table_name = ?
                ORDER BY c.ordinal_position
                """
        }
        let rows = try database.query(sql, [.text(table)])
        var columns: [String] = [], keyed: [(position: Int64, column: String)] = [], textKey: Set<String> = []
        var texts: Set<String> = []
        for row in rows {
            let name = try row.string("name")
            guard ExportFormat.isIdentifier(name) else {
                throw StateExportError(.incompatible, table: table, message: "the column name '\(name)' cannot be exported")
            }
            columns.append(name)
            let type = try row.string("type").lowercased()
            if type.contains("text") || type.contains("char") { texts.insert(name) }
            let position = try row.int64("pk")
            if position > 0 { keyed.append((position, name)) }
        }
        let key = keyed.isEmpty ? columns : keyed.sorted { $0.position < $1.position }.map(\.column)
        for column in key where texts.contains(column) { textKey.insert(column) }
        return StateTableLayout(name: table, columns: columns, key: key, textKey: textKey)
    }

    /// Calls `body` with the values of every row (in ``columns`` order), in primary-key order:
    /// integers numerically, text by its UTF-8 bytes (`COLLATE "C"` on PostgreSQL, whatever the
    /// database's collation), NULL first. Pages of `pageSize` rows; call inside one transaction.
    /// `filter` limits the rows to those a `WHERE` condition (with `?` parameters) selects.
    func forEachRow(in database: any SQLDatabase, pageSize: Int, filter: (sql: String, parameters: [SQLValue])? = nil,
                    _ body: ([SQLValue]) throws -> Void) throws {
        let list = columns.map(Self.quoted).joined(separator: ", ")
        let table = Self.quoted(name)
        let condition = filter.map { "(\($0.sql))" }
        let filterParameters = filter?.parameters ?? []
        if let integerKey {
            let column = Self.quoted(integerKey)
            var last: SQLValue?
            while true {
                let conditions = [condition, last == nil ? nil : "\(column) > ?"].compactMap { $0 }
                let rows = try database.query(
                    "SELECT \(list) FROM \(table)\(conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) ORDER BY \(column) LIMIT \(pageSize)",
                    filterParameters + (last.map { [$0] } ?? []))
                for row in rows { try body(row.values) }
                guard rows.count == pageSize, let index = columns.firstIndex(of: integerKey) else { return }
                last = rows[rows.count - 1].values[index]
            }
        }
        let order = key.map { column in
            let collation = textKey.contains(column) ? (database.backend == .postgresql ? " COLLATE \"C\"" : " COLLATE BINARY") : ""
            return "\(Self.quoted(column))\(collation) ASC NULLS FIRST"
        }.joined(separator: ", ")
        var offset = 0
        while true {
            let rows = try database.query(
                "SELECT \(list) FROM \(table)\(condition.map { " WHERE \($0)" } ?? "") ORDER BY \(order) LIMIT \(pageSize) OFFSET \(offset)",
                filterParameters)
            for row in rows { try body(row.values) }
            guard rows.count == pageSize else { return }
            offset += pageSize
        }
    }

    /// Sets where the database's next id for this table starts: just past the largest id it holds
    /// (1 when empty), so a new row never takes an id a restored row has. On PostgreSQL `setval`
    /// is not undone by a rollback, so this comes last in a restore's transaction.
    func resetIdSequence(in database: any SQLDatabase) throws {
        guard assignsIds else { return }
        let table = Self.quoted(name)
        switch database.backend {
        case .postgresql:
            _ = try database.query(
                "SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM \(table)",
                [.text(table)])
        case .sqlite:
            try database.execute("DELETE FROM sqlite_sequence WHERE name = ?", [.text(name)])
            if let highest = try database.queryFirst("SELECT MAX(id) AS highest FROM \(table)")?.optionalInt64("highest") {
                try database.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", [.text(name), .integer(highest)])
            }
        }
    }
}
