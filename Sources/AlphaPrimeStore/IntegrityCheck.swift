import AlphaPrimeSupport
import AlphaPrimeDomain

/// One finding of an integrity check.
public struct IntegrityFinding: Sendable, Codable, Equatable {
    public let check: String
    public let ok: Bool
    public let detail: String

    public init(check: String, ok: Bool, detail: String) {
        self.check = check
        self.ok = ok
        self.detail = detail
    }
}

/// Checks that the state database can be trusted: reachable, not corrupt, durable settings in
/// place, schema migrated and unchanged. Used by `db-maintenance integrity-check` and health checks.
public enum StoreIntegrity {
    public static func check(_ database: any SQLDatabase, migrations: [Migration] = StateSchema.migrations) -> [IntegrityFinding] {
        var findings: [IntegrityFinding] = []
        func record(_ name: String, _ body: () throws -> (Bool, String)) {
            do {
                let (ok, detail) = try body()
                findings.append(IntegrityFinding(check: name, ok: ok, detail: detail))
            } catch {
                findings.append(IntegrityFinding(check: name, ok: false, detail: "\(error)"))
            }
        }

        record("connect") {
            let row = try database.queryFirst("SELECT 1 AS one")
            return (try row?.int64("one") == 1, "\(database.backend.displayName) at \(database.location)")
        }
        switch database.backend {
        case .sqlite:
            record("integrity_check") {
                let lines = try database.query("PRAGMA integrity_check").map { $0[0].description }
                return lines == ["ok"] ? (true, "ok") : (false, lines.prefix(20).joined(separator: "; "))
            }
            record("foreign_key_check") {
                let rows = try database.query("PRAGMA foreign_key_check")
                return rows.isEmpty ? (true, "no dangling references")
                    : (false, "\(rows.count) rows reference missing parents (first in table \(rows[0][0]))")
            }
            record("journal_mode") {
                let mode = try database.queryFirst("PRAGMA journal_mode")?[0].description ?? "?"
                return (mode == "wal" || database.location == ":memory:", mode)
            }
            record("synchronous") {
                let names: [SQLValue: String] = [.integer(0): "OFF", .integer(1): "NORMAL", .integer(2): "FULL", .integer(3): "EXTRA"]
                let level = try database.queryFirst("PRAGMA synchronous")?[0] ?? .null
                return (level == .integer(2) || level == .integer(3), names[level] ?? level.description)
            }
        case .postgresql:
            record("server_version") {
                (true, try database.queryFirst("SHOW server_version")?[0].description ?? "?")
            }
            record("synchronous_commit") {
                let value = try database.queryFirst("SHOW synchronous_commit")?[0].description ?? "?"
                return (value != "off", value)
            }
        }
        record("migrations") {
            let status = try Migrator(database: database, migrations: migrations).status()
            if !status.mismatched.isEmpty || !status.unknown.isEmpty {
                do { try status.validate() } catch { return (false, "\(error)") }
            }
            if !status.pending.isEmpty {
                return (false, "pending: \(status.pending.map { "\($0.version) (\($0.name))" }.joined(separator: ", ")); run db-maintenance migrate")
            }
            return (true, "\(status.applied.count) applied, none pending")
        }
        record("tables") {
            let missing = try StateSchema.tables.filter { try !database.tableExists($0) }
            return missing.isEmpty ? (true, "\(StateSchema.tables.count) tables present")
                : (false, "missing: \(missing.joined(separator: ", "))")
        }
        return findings
    }
}
