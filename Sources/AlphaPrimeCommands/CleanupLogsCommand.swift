import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeLogs
import ArgumentParser
import Foundation

/// `cleanup-logs [--dry-run]`: rotates the log files past their size or day, compresses the rotated
/// copies with zstd and deletes compressed copies past the retention (rules: ``LogRotationPlan``).
public struct CleanupLogsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cleanup-logs",
        abstract: "Rotate, compress and expire the log files.",
        discussion: """
            A log file in logs/ larger than logging.max_file_size_mb, or whose first line was written on an \
            earlier IST day, is renamed to <name>.<UTC stamp>; writers re-open the path within a second. After \
            two seconds each rotated copy is compressed into <name>.<stamp>.zst (temporary name, fsync, rename) \
            and removed; compressed copies rotated more than logging.retention_days days ago are deleted. One run \
            at a time (logs/.cleanup.lock; exit 4 when another holds it).
            """,
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    @Flag(name: .long, help: "Print what would be done and change nothing.")
    public var dryRun = false

    public init() {}

    /// The lock file that keeps two runs apart.
    public static let lockFileName = ".cleanup.lock"

    struct Output: Encodable {
        var dryRun: Bool
        var directory: String
        var maxFileSizeBytes: Int64
        var retentionDays: Int
        var actions: [LogCleanupJob.Record]
        var summary: Summary

        struct Summary: Encodable {
            var rotated = 0, compressed = 0, deleted = 0, leftoversRemoved = 0, kept = 0
            var bytesBefore: Int64 = 0, bytesAfter: Int64 = 0

            enum CodingKeys: String, CodingKey {
                case rotated, compressed, deleted, leftoversRemoved = "leftovers_removed", kept
                case bytesBefore = "bytes_before", bytesAfter = "bytes_after"
            }
        }

        enum CodingKeys: String, CodingKey {
            case dryRun = "dry_run", directory, maxFileSizeBytes = "max_file_size_bytes", retentionDays = "retention_days", actions, summary
        }
    }

    public func run() async throws {
        try await ToolRunner.run(tool: Self.configuration.commandName!) {
            let directory = try LogToolError.requireLogsDirectory(common.resolvedHome)
            let context = try ToolContext.load(common, tool: Self.configuration.commandName!)
            let settings = context.configuration.general.logging
            let job = LogCleanupJob(
                directory: directory,
                policy: LogRotationPlan.Policy(maxBytes: settings.maxFileSizeBytes, retentionDays: settings.retentionDays),
                logger: context.logger)
            let lockPath = directory.appending(path: Self.lockFileName).path
            let lock = dryRun ? nil : try ExclusiveFileLock(path: lockPath) { LogToolError.locked(path: lockPath, holder: $0) }
            defer { withExtendedLifetime(lock) {} }
            let entries = try job.scan()
            let now = Int64(Date().timeIntervalSince1970.rounded(.down))
            let actions = LogRotationPlan.actions(for: entries, policy: job.policy, now: now)
            let json = common.json
            let records = try job.run(actions, dryRun: dryRun) { record in
                if !json { ToolRunner.printOut(LogCleanupText.line(record, dryRun: dryRun)) }
            }
            var output = Output(dryRun: dryRun, directory: directory.path, maxFileSizeBytes: job.policy.maxBytes,
                                retentionDays: job.policy.retentionDays, actions: records, summary: .init())
            output.summary = Self.summary(records, dryRun: dryRun, before: entries,
                                          after: dryRun ? entries : (try? job.scan()) ?? entries)
            try ToolRunner.printResult(output, json: json) { LogCleanupText.summary(output) }
            if !dryRun {
                context.logger.info("cleanup-logs finished", metadata: [
                    "rotated": "\(output.summary.rotated)", "compressed": "\(output.summary.compressed)",
                    "deleted": "\(output.summary.deleted)"])
            }
            return .ok
        }
    }

    static func summary(_ records: [LogCleanupJob.Record], dryRun: Bool, before: [LogRotationPlan.Entry],
                        after: [LogRotationPlan.Entry]) -> Output.Summary {
        var s = Output.Summary()
        for r in records {
            switch r.action {
            case "rotate": s.rotated += 1
            case "compress": if r.done || dryRun { s.compressed += 1 } else { s.kept += 1 }
            case "delete": s.deleted += 1
            default: s.leftoversRemoved += 1
            }
        }
        let managed = { (e: LogRotationPlan.Entry) in !e.name.hasPrefix(".") }
        s.bytesBefore = before.filter(managed).reduce(0) { $0 + $1.bytes }
        s.bytesAfter = after.filter(managed).reduce(0) { $0 + $1.bytes }
        return s
    }
}

/// The lines `cleanup-logs` prints.
enum LogCleanupText {
    static func line(_ r: LogCleanupJob.Record, dryRun: Bool) -> String {
        let verb: String
        switch (r.action, dryRun) {
        case ("rotate", false): verb = "rotated"
        case ("rotate", true): verb = "would rotate"
        case ("compress", false): verb = r.done ? "compressed" : "kept"
        case ("compress", true): verb = "would compress"
        case ("delete", false): verb = "deleted"
        case ("delete", true): verb = "would delete"
        case (_, false): verb = "removed"
        default: verb = "would remove"
        }
        var text = "\(verb.padding(toLength: 15, withPad: " ", startingAt: 0))\(r.file)"
        if let to = r.to, r.action == "rotate" || r.done || dryRun { text += " -> \(to)" }
        if let compressed = r.compressedBytes {
            text += " (\(bytes(r.bytes)) -> \(bytes(compressed)))"
        } else {
            text += " (\(r.action == "compress" && !r.done && !dryRun ? "" : "\(bytes(r.bytes)); ")\(r.reason))"
        }
        return text
    }

    static func summary(_ o: CleanupLogsCommand.Output) -> String {
        let s = o.summary
        if o.actions.isEmpty {
            return "nothing to do: no log over \(bytes(o.maxFileSizeBytes)) or begun on an earlier day, no copy older than \(o.retentionDays) days"
        }
        var text = "\(o.dryRun ? "dry run: would rotate" : "rotated") \(s.rotated), \(o.dryRun ? "compress" : "compressed") \(s.compressed), "
            + "\(o.dryRun ? "delete" : "deleted") \(s.deleted)"
        if s.leftoversRemoved > 0 { text += ", \(o.dryRun ? "remove" : "removed") \(s.leftoversRemoved) leftovers" }
        if s.kept > 0 { text += ", kept \(s.kept) still being written" }
        text += o.dryRun ? "; nothing was changed" : "; logs/ went from \(bytes(s.bytesBefore)) to \(bytes(s.bytesAfter))"
        return text
    }

    /// `812 bytes`, `52.4 KB`, `50.0 MB` (1 KB = 1024 bytes).
    static func bytes(_ n: Int64) -> String {
        if n < 1_024 { return "\(n) bytes" }
        let units = ["KB", "MB", "GB", "TB"]
        var value = Double(n) / 1_024
        var unit = 0
        while value >= 1_024, unit < units.count - 1 { value /= 1_024; unit += 1 }
        return String(format: "%.1f", value) + " " + units[unit]
    }
}
