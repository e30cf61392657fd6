import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import ArgumentParser
import Foundation

/// `archive run|list|restore`: closed rows of old months out of the hot database into compressed,
/// checksummed monthly files under `backups/archive/`, and back.
public struct ArchiveCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Move old orders, fills and trades into compressed archives.",
        discussion: """
            archive run moves the closed rows of whole months older than --older-than days (orders, fills, trades, \
            portfolio history, risk events, completed engine sessions, handled control requests) into \
            backups/archive/alpha-prime-archive-YYYY-MM.tar.zst, and deletes them only after reading the file back, \
            in one transaction. A month with a session not completed, an order still working or a position open at \
            its end is skipped. Safe to stop at any point and run again.
            """,
        version: AlphaPrimeVersion.string,
        subcommands: [Run.self, List.self, Restore.self])

    /// The shared flags, also accepted before the subcommand.
    @OptionGroup public var common: CommonOptions

    public init() {}

    static func job(_ common: CommonOptions) throws -> (ArchiveJob, ToolContext)? {
        let context = try ToolContext.load(common, tool: "archive")
        guard let store = try EngineCommand.existingStore(context), try store.engineSchemaStatus().hasEngineTables else { return nil }
        if try store.engineSchemaStatus().pendingMigrations > 0 {
            try Migrator(database: store.database, logger: context.logger).migrate()
        }
        return (ArchiveJob(context: context, store: store), context)
    }

    public struct Run: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "run", abstract: "Archive whole months older than the cutoff.")
        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: ArchiveCommand
        @Option(name: .customLong("older-than"), parsing: .unconditional,
                help: ArgumentHelp("Archive whole months that ended at least this many days ago.", valueName: "days"))
        public var olderThan: Int
        @Flag(name: .customLong("dry-run"), help: "Say what would be archived; change nothing.") public var dryRun = false
        public init() {}

        public func validate() throws {
            guard olderThan >= 1 else { throw ValidationError("--older-than expects a number of days, 1 or more, got \(olderThan)") }
        }

        public func run() async throws {
            let common = EngineCommand.merged(own, parent.common)
            try await ToolRunner.run(tool: "archive run") {
                guard let (job, context) = try ArchiveCommand.job(common) else {
                    ToolRunner.printOut("nothing to archive: no engine has written to the state database")
                    return .ok
                }
                let lock = try ArchiveLock.take(directory: job.directory)
                defer { withExtendedLifetime(lock) {} }
                let cutoff = try MarketClock.today().adding(days: -olderThan)
                let months = try job.run(cutoff: cutoff, dryRun: dryRun, setup: try EngineSetup(configuration: context.configuration))
                for m in months where m.outcome == "archived" {
                    context.logger.notice("month archived", metadata: ["month": "\(m.month)", "rows": "\(m.rows)", "file": "\(m.file ?? "")"])
                }
                try ToolRunner.printResult(months, json: common.json) {
                    var lines: [String] = []
                    for m in months where m.outcome != "nothing to archive" {
                        var line = "\(m.month): \(m.outcome)"
                        if m.rows > 0 {
                            let tables: [String] = m.tables.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                            line += " (\(m.rows) rows: \(tables.joined(separator: ", ")))"
                        }
                        if let file = m.file { line += " -> \(file)" }
                        lines.append(line)
                    }
                    if lines.isEmpty { lines = ["nothing to archive in the months that ended by \(cutoff)"] }
                    return lines.joined(separator: "\n")
                }
                return .ok
            }
        }
    }

    public struct List: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "list", abstract: "The archive files and what they hold.")
        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: ArchiveCommand
        public init() {}

        public func run() async throws {
            let common = EngineCommand.merged(own, parent.common)
            try await ToolRunner.run(tool: "archive list") {
                let listed = try ArchiveCommand.job(common)?.0.list() ?? []
                try ToolRunner.printResult(listed, json: common.json) {
                    listed.isEmpty ? "no archives" : listed.map { l in
                        "\(l.month)  \(String(l.rows).leftPadded(8)) rows  \(l.restoredAt.map { "restored \($0)" } ?? "archived \(l.archivedAt)")"
                            + "  \(l.file)\(l.onDisk ? "" : "  (FILE MISSING)")"
                    }.joined(separator: "\n")
                }
                return .ok
            }
        }
    }

    public struct Restore: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "restore", abstract: "Put an archive's rows back into the database.")
        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: ArchiveCommand
        @Argument(help: ArgumentHelp("The archive file.", valueName: "file")) public var file: String
        @Flag(name: .long, help: "Required: the rows go back into the state database.") public var confirm = false
        public init() {}

        public func run() async throws {
            let common = EngineCommand.merged(own, parent.common)
            try await ToolRunner.run(tool: "archive restore") {
                guard confirm else {
                    ToolRunner.printError("archive restore: refused without --confirm: the archive's rows would go back into the state database")
                    return .refused
                }
                guard let (job, context) = try ArchiveCommand.job(common) else { throw ArchiveJobError.notArchived(file) }
                let lock = try ArchiveLock.take(directory: job.directory)
                defer { withExtendedLifetime(lock) {} }
                let url = ToolRunner.commandLinePath(file)
                let batch = try job.restore(url)
                context.logger.notice("archive restored", metadata: ["month": "\(batch.month)", "rows": "\(batch.rows)", "file": "\(url.path)"])
                ToolRunner.printOut("restored \(batch.rows) rows of \(batch.month) from \(url.path)")
                return .ok
            }
        }
    }
}
