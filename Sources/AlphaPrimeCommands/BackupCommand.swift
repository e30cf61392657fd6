import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import AlphaPrimeOps
import ArgumentParser
import Foundation

/// `backup create|list|verify|restore|prune`: consistent, verified backups of the state database,
/// the configuration and (encrypted) `.env`.
public struct BackupCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Take a consistent, verified backup of the state database and configuration.",
        discussion: """
            A backup is one file backups/<kind>/alpha-prime-<UTC stamp>.tar.zst: the database exported in one \
            read transaction (restorable into SQLite or PostgreSQL), config/, .env sealed with AES-256-GCM under \
            ALPHA_PRIME_BACKUP_PASSPHRASE (left out without it), and a manifest of every member's size and \
            SHA-256. It is written under a temporary name and renamed when whole.
            """,
        version: AlphaPrimeVersion.string,
        subcommands: [Create.self, List.self, Verify.self, Restore.self, Prune.self])

    /// The shared flags, also accepted before the subcommand.
    @OptionGroup public var common: CommonOptions

    public init() {}

    static func kind(_ text: String) throws -> BackupKind {
        guard let kind = BackupKind(rawValue: text) else {
            throw ValidationError("--kind expects daily, weekly, monthly or manual, got '\(text)'")
        }
        return kind
    }

    static func context(_ common: CommonOptions) throws -> ToolContext { try ToolContext.load(common, tool: "backup") }

    public struct Create: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "create", abstract: "Take a backup now.")
        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: BackupCommand
        var common: CommonOptions { EngineCommand.merged(own, parent.common) }
        @Option(name: .long, help: ArgumentHelp("daily, weekly, monthly or manual (kept by prune).", valueName: "kind"))
        public var kind = "daily"
        public init() {}

        public func validate() throws { _ = try BackupCommand.kind(kind) }

        public func run() async throws {
            try await ToolRunner.run(tool: "backup create") {
                let context = try BackupCommand.context(common)
                let created = try BackupJob(context: context).create(kind: try BackupCommand.kind(kind))
                context.logger.notice("backup written", metadata: [
                    "file": "\(created.file)", "bytes": "\(created.bytes)", "rows": "\(created.rows)", "env": "\(created.env)",
                    "seconds": "\(created.seconds)"])
                try ToolRunner.printResult(created, json: common.json) {
                    """
                    backup written: \(created.file)
                      \(created.bytes) bytes, \(created.members) members, \(created.rows) database rows (schema version \(created.schemaVersion)), \(String(format: "%.2f", created.seconds)) s
                      .env: \(created.env)
                    """
                }
                return .ok
            }
        }
    }

    public struct List: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "list", abstract: "List the backups, newest first.")
        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: BackupCommand
        var common: CommonOptions { EngineCommand.merged(own, parent.common) }
        public init() {}

        struct Row: Encodable { var kind: String; var file: String; var createdAt: String; var bytes: Int64
            enum CodingKeys: String, CodingKey { case kind, file, createdAt = "created_at", bytes } }

        public func run() async throws {
            try await ToolRunner.run(tool: "backup list") {
                let context = try BackupCommand.context(common)
                let entries = BackupCatalog.list(in: BackupJob(context: context).backupsDirectory)
                let formatter = ISO8601DateFormatter()
                let rows = entries.map {
                    Row(kind: $0.kind.rawValue, file: $0.url.path,
                        createdAt: formatter.string(from: Date(timeIntervalSince1970: Double($0.createdAt.microseconds) / 1e6)), bytes: $0.size)
                }
                try ToolRunner.printResult(rows, json: common.json) {
                    rows.isEmpty ? "no backups under \(BackupJob(context: context).backupsDirectory.path)"
                        : rows.map { "\($0.kind.padding(toLength: 8, withPad: " ", startingAt: 0)) \($0.createdAt)  \(String($0.bytes).leftPadded(10)) bytes  \($0.file)" }
                            .joined(separator: "\n")
                }
                return .ok
            }
        }
    }

    public struct Verify: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Re-read a backup: every checksum, and the database loaded and integrity-checked.")
        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: BackupCommand
        var common: CommonOptions { EngineCommand.merged(own, parent.common) }
        @Argument(help: ArgumentHelp("The backup file.", valueName: "file")) public var file: String
        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "backup verify") {
                let context = try BackupCommand.context(common)
                let verified = try BackupJob(context: context).verify(ToolRunner.commandLinePath(file))
                try ToolRunner.printResult(verified, json: common.json) {
                    (["\(verified.ok ? "OK" : "FAILED"): \(verified.file)"]
                        + verified.checks.map { "  \($0.ok ? "ok  " : "FAIL") \($0.check): \($0.detail)" }
                        + ["  env: \(verified.env)"]).joined(separator: "\n")
                }
                return verified.ok ? .ok : .dataError
            }
        }
    }

    public struct Restore: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Restore a backup's database (after backing up what is there), into SQLite or PostgreSQL.")
        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: BackupCommand
        var common: CommonOptions { EngineCommand.merged(own, parent.common) }
        @Argument(help: ArgumentHelp("The backup file.", valueName: "file")) public var file: String
        @Flag(name: .long, help: "Required: the target database's content is replaced.") public var confirm = false
        @Option(name: .long, help: ArgumentHelp("Restore into this database instead of DATABASE_URL's.", valueName: "database-url"))
        public var to: String?
        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "backup restore") {
                let context = try BackupCommand.context(common)
                let target = try to.map { try DatabaseURL.parse($0, home: context.home) } ?? context.databaseURL
                let source = ToolRunner.commandLinePath(file)
                guard confirm else {
                    ToolRunner.printError("backup restore: refused without --confirm: every state table of \(target) would be replaced by \(source.path) (after a backup of what it holds)")
                    return .refused
                }
                let job = BackupJob(context: context)
                let verified = try job.verify(source)
                guard verified.ok else {
                    ToolRunner.printError("backup restore: \(source.path) does not verify: "
                        + verified.checks.filter { !$0.ok }.map { "\($0.check): \($0.detail)" }.joined(separator: "; "))
                    return .dataError
                }
                let restored = try job.restore(source, into: target)
                context.logger.notice("backup restored", metadata: [
                    "file": "\(restored.file)", "target": "\(restored.target)", "rows": "\(restored.rows)",
                    "safety_backup": "\(restored.safetyBackup ?? "none (the target was empty)")"])
                try ToolRunner.printResult(restored, json: common.json) {
                    """
                    restored \(restored.rows) rows from \(restored.file) into \(restored.target) in \(String(format: "%.2f", restored.seconds)) s
                      what it held before: \(restored.safetyBackup ?? "nothing (a new database)")
                      config/ and env.enc are in the backup, not restored: extract them with zstd -dc FILE | tar -x config/
                    """
                }
                return .ok
            }
        }
    }

    public struct Prune: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "prune",
            abstract: "Delete old daily, weekly and monthly backups beyond general_config.yaml's retention, only behind a newer one that verifies.")
        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: BackupCommand
        var common: CommonOptions { EngineCommand.merged(own, parent.common) }
        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "backup prune") {
                let context = try BackupCommand.context(common)
                let pruned = try BackupJob(context: context).prune()
                try ToolRunner.printResult(pruned, json: common.json) {
                    var lines = pruned.deleted.map { "deleted \($0)" }
                    lines.append("kept \(pruned.kept.count) backup\(pruned.kept.count == 1 ? "" : "s"), deleted \(pruned.deleted.count)")
                    for kind in pruned.unverified {
                        lines.append("WARNING: no \(kind) backup verifies; none of them was deleted (run backup verify on the newest)")
                    }
                    return lines.joined(separator: "\n")
                }
                return pruned.unverified.isEmpty ? .ok : .failure
            }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
