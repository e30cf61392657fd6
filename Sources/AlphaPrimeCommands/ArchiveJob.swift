import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeArchive
import AlphaPrimePaper
import Foundation

/// `archive run`: moves the closed rows of whole months older than the cutoff into
/// `backups/archive/alpha-prime-archive-YYYY-MM.tar.zst`, one file per month and run.
///
/// Per month: the rows are written to the file (whole or not at all), the file is read back and
/// every table checked against the digests taken from the database, and then, in one transaction,
/// the digests are taken again (nothing changed since), the rows deleted, the file recorded in
/// `archive_batches` and the accounts' cash at the month's end recorded as a checkpoint. A run
/// killed anywhere leaves either the month as it was (and a file nobody recorded, removed by the
/// next run) or the month archived: never both, never neither.
struct ArchiveJob {
    let context: ToolContext
    let store: StateRepository
    var database: any SQLDatabase { store.database }
    var directory: URL { context.directory(context.configuration.general.paths.backups).appending(path: "archive", directoryHint: .isDirectory) }

    struct Month: Encodable {
        var month: String
        var outcome: String
        var rows: Int
        var tables: [String: Int]
        var file: String?
    }

    static let prefix = "alpha-prime-archive-"

    /// Archives every whole month that ends on or before `cutoff` (an IST date).
    func run(cutoff: LocalDate, dryRun: Bool, setup: EngineSetup) throws -> [Month] {
        if !dryRun { try removeUnrecordedFiles() }
        guard var month = try StateArchive.earliestMonth(database: database) else { return [] }
        var results: [Month] = []
        while true {
            let next = month.month == 12 ? LocalDate(year: month.year + 1, month: 1, day: 1)! : LocalDate(year: month.year, month: month.month + 1, day: 1)!
            guard next <= cutoff else { break }
            results.append(try archive(month: month, next: next, dryRun: dryRun, setup: setup))
            month = next
        }
        return results
    }

    func archive(month first: LocalDate, next: LocalDate, dryRun: Bool, setup: EngineSetup) throws -> Month {
        let label = String(first.description.prefix(7))
        let from = UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: first, secondOfDay: 0))
        let before = UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: next, secondOfDay: 0))
        let selections = StateArchive.monthSelections(from: from, before: before, firstDay: first, nextFirstDay: next)
        var result = Month(month: label, outcome: "", rows: 0, tables: [:], file: nil)

        var blockers = try StateArchive.blockers(database: database, from: from, before: before, firstDay: first, nextFirstDay: next)
        // One read of the month's rows: counted for a dry run, also written out for a real one.
        let staging = dryRun ? nil : try BackupJob.staging(in: directory)
        defer { if let staging { try? FileManager.default.removeItem(at: staging) } }
        let written = try database.readTransaction {
            try StateArchive.digest(database: database, selections: selections, to: staging?.appending(path: "write"))
        }
        for mode in try StateArchive.modesWithFills(database: database, selections: selections) {
            let account = try PaperAccount.recorded(in: store, mode: mode, configuredCapital: setup.startingCapital, before: before)
            for p in account.positions { blockers.append("a \(mode.rawValue) position in \(p.symbol) is open at the month's end") }
        }
        result.rows = written.reduce(0) { $0 + $1.rowCount }
        result.tables = Dictionary(uniqueKeysWithValues: written.filter { $0.rowCount > 0 }.map { ($0.name, $0.rowCount) })
        guard blockers.isEmpty else {
            result.outcome = "skipped: " + blockers.prefix(5).joined(separator: "; ")
            return result
        }
        guard result.rows > 0 else {
            result.outcome = "nothing to archive"
            return result
        }
        guard let staging else {
            result.outcome = "would archive"
            return result
        }

        // 1. The file, whole or not at all.
        let name = uniqueName(label)
        let file = directory.appending(path: name)
        let archive = try ArchiveFile(creating: file, level: Int32(context.configuration.general.backupSettings.compressionLevel))
        do {
            for table in written {
                try archive.add(name: "rows/\(table.fileName)", contentsOf: staging.appending(path: "write/\(table.fileName)"), mode: 0o600)
            }
            try archive.add(name: "rows/digests.json", bytes: try BackupJob.json(written), mode: 0o600)
            var extra = ["month": label, "cutoff": next.description, "alpha_prime_version": AlphaPrimeVersion.string]
            for table in written { extra["rows.\(table.name)"] = String(table.rowCount) }
            try archive.commit(extra: extra)
        } catch {
            archive.discard()
            throw error
        }

        // 2. Read back and checked against the digests.
        let readBack = staging.appending(path: "read")
        _ = try ArchiveReader.extract(file, into: readBack)
        try StateArchive.check(directory: readBack.appending(path: "rows"), tables: written)

        // 3. One transaction: unchanged, deleted, recorded, the accounts' cash kept.
        let now = UTCTimestamp(Date())
        try store.transaction {
            let again = try StateArchive.digest(database: database, selections: selections, to: nil)
            guard again == written else {
                throw ArchiveJobError.changed(month: label)
            }
            var checkpoints: [AccountCheckpointRecord] = []
            for mode in try StateArchive.modesWithFills(database: database, selections: selections) {
                let account = try PaperAccount.recorded(in: store, mode: mode, configuredCapital: setup.startingCapital, before: before)
                let epoch = try store.currentAccountEpoch(mode: mode)?.epoch ?? 1
                checkpoints.append(AccountCheckpointRecord(mode: mode, epoch: epoch, asOf: before, cash: Paise(account.cash),
                                                           batchId: 0, createdAt: now))
            }
            try StateArchive.delete(database: database, selections: selections)
            let batch = try store.insertArchiveBatch(ArchiveBatchRecord(
                month: label, file: name, rows: Int64(result.rows), tables: String(decoding: try BackupJob.json(written), as: UTF8.self),
                cutoffAt: before, archivedAt: now))
            for var c in checkpoints {
                c.batchId = batch.id ?? 0
                try store.insertAccountCheckpoint(c)
            }
        }
        result.outcome = "archived"
        result.file = file.path
        return result
    }

    /// `alpha-prime-archive-2021-02.tar.zst`, or `-2`, `-3`… when a file of that month exists.
    func uniqueName(_ label: String) -> String {
        var name = "\(Self.prefix)\(label).tar.zst"
        var n = 2
        while FileManager.default.fileExists(atPath: directory.appending(path: name).path) {
            name = "\(Self.prefix)\(label)-\(n).tar.zst"
            n += 1
        }
        return name
    }

    /// Files of runs that were stopped before their transaction committed: their rows are still in
    /// the database, so the file is removed (and written again by this run).
    func removeUnrecordedFiles() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        _ = try? ArchiveFile.removeStalePartials(in: directory)
        let recorded = Set(try store.archiveBatches().map(\.file))
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path)
        where name.hasPrefix(Self.prefix) && name.hasSuffix(".tar.zst") && !recorded.contains(name) {
            try FileManager.default.removeItem(at: directory.appending(path: name))
            context.logger.warning("removed an archive file an interrupted run left (its rows are still in the database)",
                                   metadata: ["file": "\(name)"])
        }
    }
}

enum ArchiveJobError: Error, CustomStringConvertible, ExitStatusProviding {
    case changed(month: String)
    case notArchived(String)

    var description: String {
        switch self {
        case .changed(let month): "the rows of \(month) changed while they were archived; nothing was deleted (run archive again)"
        case .notArchived(let file): "\(file) is not an archive whose rows are out of the database (archive list shows them)"
        }
    }

    var exitStatus: ExitStatus {
        switch self {
        case .changed: .failure
        case .notArchived: .dataError
        }
    }
}
