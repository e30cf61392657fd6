import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import ArgumentParser
import Foundation
import Logging

public struct DBMaintenanceCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "db-maintenance",
        abstract: "Migrate, check, compact, checkpoint and measure the state database.",
        discussion: """
            The database is chosen by DATABASE_URL: sqlite:var/alpha_prime.db (relative to the home \
            directory, the default), sqlite:/absolute/path.db, or postgres://user:password@host:port/database.
            """,
        version: AlphaPrimeVersion.string,
        subcommands: [Migrate.self, Status.self, IntegrityCheck.self, Vacuum.self, Checkpoint.self, Stats.self])

    @OptionGroup public var common: CommonOptions

    public init() {}

    /// Without a subcommand there is nothing to do: a usage error, not a quiet success.
    public func run() async throws {
        throw ValidationError("expected a subcommand: migrate, status, integrity-check, vacuum, checkpoint or stats")
    }

    /// Sets up the run (logging under `logs/`, secrets known) and opens the database DATABASE_URL
    /// names: the environment's, else `.env`'s, else the default SQLite file. The rest of the
    /// configuration may be broken; db-maintenance does not need it.
    static func open(_ common: CommonOptions) throws
        -> (url: DatabaseURL, database: any SQLDatabase, setup: ToolSetup)
    {
        let setup = ToolSetup.load(common, tool: "db-maintenance")
        let url = try setup.databaseURL()
        return (url, try url.open(), setup)
    }

    /// The store's logger, at the tool's level, writing where the tool's logger writes.
    static func storeLogger(_ setup: ToolSetup) -> Logger {
        var logger = Logger(category: .store)
        logger.logLevel = setup.logger.logLevel
        return logger
    }

    static func printJSON<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        ToolRunner.printOut(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    struct MigrationJSON: Encodable {
        let version: Int
        let name: String
        let checksum: String
        let appliedAt: String?

        init(_ m: Migration) { version = m.version; name = m.name; checksum = m.checksum; appliedAt = nil }
        init(_ m: AppliedMigration) { version = m.version; name = m.name; checksum = m.checksum; appliedAt = m.appliedAt.description }
    }
}

extension DBMaintenanceCommand {
    public struct Migrate: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Apply the pending schema migrations (a no-op when the database is up to date).")

        @OptionGroup public var common: CommonOptions

        public init() {}

        struct Output: Encodable {
            let backend: String
            let database: String
            let applied: [MigrationJSON]
            let upToDate: Bool
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "db-maintenance migrate") {
                let (url, database, setup) = try DBMaintenanceCommand.open(common)
                let applied = try Migrator(database: database, logger: DBMaintenanceCommand.storeLogger(setup)).migrate()
                setup.logger.info("migrations applied", metadata: [
                    "database": "\(url)", "applied": .stringConvertible(applied.count)])
                if common.json {
                    try DBMaintenanceCommand.printJSON(Output(backend: url.backend.rawValue, database: url.description,
                                                              applied: applied.map(MigrationJSON.init), upToDate: true))
                } else if applied.isEmpty {
                    ToolRunner.printOut("\(url): already up to date.")
                } else {
                    for m in applied { ToolRunner.printOut("applied migration \(m.version) (\(m.name))") }
                    ToolRunner.printOut("\(url): \(applied.count) migration\(applied.count == 1 ? "" : "s") applied; up to date.")
                }
                return .ok
            }
        }
    }

    public struct Status: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Show the backend, the database URL (password hidden), applied and pending migrations.",
            discussion: "Exits 0 (pending migrations are listed, not an error), or 65 when an applied migration was changed or is unknown to this build.")

        @OptionGroup public var common: CommonOptions

        public init() {}

        struct Output: Encodable {
            let backend: String
            let database: String
            let applied: [MigrationJSON]
            let pending: [MigrationJSON]
            let mismatched: [Int]
            let unknown: [Int]
            let upToDate: Bool
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "db-maintenance status") {
                let (url, database, setup) = try DBMaintenanceCommand.open(common)
                let status = try Migrator(database: database, logger: DBMaintenanceCommand.storeLogger(setup)).status()
                setup.logger.info("migration status read", metadata: [
                    "database": "\(url)", "applied": .stringConvertible(status.applied.count),
                    "pending": .stringConvertible(status.pending.count)])
                if common.json {
                    try DBMaintenanceCommand.printJSON(Output(
                        backend: url.backend.rawValue, database: url.description, applied: status.applied.map(MigrationJSON.init),
                        pending: status.pending.map(MigrationJSON.init), mismatched: status.mismatched.map(\.version),
                        unknown: status.unknown.map(\.version), upToDate: status.isUpToDate))
                } else {
                    ToolRunner.printOut("backend:  \(url.backend.displayName)")
                    ToolRunner.printOut("database: \(url)")
                    ToolRunner.printOut("applied:  \(status.applied.isEmpty ? "none" : "\(status.applied.count)")")
                    let mismatched = Set(status.mismatched.map(\.version)), unknown = Set(status.unknown.map(\.version))
                    for m in status.applied {
                        let note = mismatched.contains(m.version) ? "  CHANGED SINCE APPLIED"
                            : unknown.contains(m.version) ? "  UNKNOWN TO THIS BUILD" : ""
                        ToolRunner.printOut("  \(m.version)  \(m.name)  applied \(m.appliedAt)  sha256 \(m.checksum.prefix(12))…\(note)")
                    }
                    ToolRunner.printOut("pending:  \(status.pending.isEmpty ? "none" : "\(status.pending.count)")")
                    for m in status.pending { ToolRunner.printOut("  \(m.version)  \(m.name)") }
                    if !status.pending.isEmpty { ToolRunner.printOut("run `db-maintenance migrate` to apply them.") }
                }
                do {
                    try status.validate()
                } catch {
                    ToolRunner.printError("db-maintenance status: \(error)")
                    return .dataError
                }
                return .ok
            }
        }
    }

    public struct IntegrityCheck: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "integrity-check",
            abstract: "Check the database: reachable, not corrupt (SQLite integrity_check), durable settings, schema migrated.",
            discussion: "Exits 0 when every check passes, 1 when one fails.")

        @OptionGroup public var common: CommonOptions

        public init() {}

        struct Output: Encodable {
            let backend: String
            let database: String
            let ok: Bool
            let findings: [IntegrityFinding]
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "db-maintenance integrity-check") {
                let setup = ToolSetup.load(common, tool: "db-maintenance")
                let url = try setup.databaseURL()
                let findings: [IntegrityFinding]
                do {
                    findings = StoreIntegrity.check(try url.open())
                } catch let error as StoreError where error.isCorruption {
                    // A truncated or overwritten file cannot even be opened: that is the check failing.
                    findings = [IntegrityFinding(check: "open", ok: false, detail: error.description)]
                }
                let ok = findings.allSatisfy(\.ok)
                for f in findings where !f.ok {
                    setup.logger.error("integrity check failed", metadata: ["check": "\(f.check)", "detail": "\(f.detail)"])
                }
                setup.logger.info("integrity checked", metadata: ["database": "\(url)", "ok": .stringConvertible(ok)])
                if common.json {
                    try DBMaintenanceCommand.printJSON(Output(backend: url.backend.rawValue, database: url.description,
                                                              ok: ok, findings: findings))
                } else {
                    for f in findings {
                        ToolRunner.printOut("\(f.ok ? "ok  " : "FAIL")  \(f.check.padding(toLength: 18, withPad: " ", startingAt: 0))  \(f.detail)")
                    }
                    ToolRunner.printOut(ok ? "\(url): all checks passed." : "\(url): some checks FAILED.")
                }
                return ok ? .ok : .failure
            }
        }
    }
}
