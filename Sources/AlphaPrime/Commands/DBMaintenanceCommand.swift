import ArgumentParser
import Foundation
import Logging

public struct DBMaintenanceCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "db-maintenance",
        abstract: "Apply migrations, report migration status and check the integrity of the state database.",
        discussion: """
            The database is chosen by DATABASE_URL: sqlite:var/alpha_prime.db (relative to the home \
            directory, the default), sqlite:/absolute/path.db, or postgres://user:password@host:port/database.
            """,
        version: AlphaPrimeVersion.string,
        subcommands: [Migrate.self, Status.self, IntegrityCheck.self])

    @OptionGroup public var common: CommonOptions

    public init() {}

    /// Opens the database DATABASE_URL names for the given home.
    static func open(_ common: CommonOptions, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> (url: DatabaseURL, database: any SQLDatabase)
    {
        let url = try DatabaseURL.resolve(environment: environment, home: common.resolvedHome)
        return (url, try url.open())
    }

    /// The store's logger at the level --log-level, else LOG_LEVEL, else info asks for.
    static func logger(_ common: CommonOptions, environment: [String: String] = ProcessInfo.processInfo.environment) -> Logger {
        var logger = Logger(label: "alpha_prime.store")
        logger.logLevel = common.logLevel?.level
            ?? environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
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
                let (url, database) = try DBMaintenanceCommand.open(common)
                let applied = try Migrator(database: database, logger: DBMaintenanceCommand.logger(common)).migrate()
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
                let (url, database) = try DBMaintenanceCommand.open(common)
                let status = try Migrator(database: database).status()
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
                let (url, database) = try DBMaintenanceCommand.open(common)
                let findings = StoreIntegrity.check(database)
                let ok = findings.allSatisfy(\.ok)
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
