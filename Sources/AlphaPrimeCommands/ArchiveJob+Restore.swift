import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import AlphaPrimeArchive
import Foundation

extension ArchiveJob {
    struct Listed: Encodable {
        var month: String
        var file: String
        var rows: Int64
        var archivedAt: String
        var restoredAt: String?
        var onDisk: Bool

        enum CodingKeys: String, CodingKey {
            case month, file, rows, archivedAt = "archived_at", restoredAt = "restored_at", onDisk = "on_disk"
        }
    }

    func list() throws -> [Listed] {
        let formatter = ISO8601DateFormatter()
        func text(_ t: UTCTimestamp) -> String { formatter.string(from: Date(timeIntervalSince1970: Double(t.microseconds) / 1e6)) }
        return try store.archiveBatches().map { b in
            Listed(month: b.month, file: directory.appending(path: b.file).path, rows: b.rows, archivedAt: text(b.archivedAt),
                   restoredAt: b.restoredAt.map(text), onDisk: FileManager.default.fileExists(atPath: directory.appending(path: b.file).path))
        }
    }

    /// Puts an archive's rows back (with their ids) and marks it restored, in one transaction.
    func restore(_ file: URL) throws -> ArchiveBatchRecord {
        guard FileManager.default.fileExists(atPath: file.path) else { throw ArchiveError.missingFile(path: file.path) }
        guard let batch = try store.archivedBatches().first(where: { $0.file == file.lastPathComponent }), let id = batch.id else {
            throw ArchiveJobError.notArchived(file.path)
        }
        let tables = try JSONDecoder().decode([StateTableDigest].self, from: Data(batch.tables.utf8))
        let staging = try BackupJob.staging(in: directory)
        defer { try? FileManager.default.removeItem(at: staging) }
        _ = try ArchiveReader.extract(file, into: staging)
        let rows = staging.appending(path: "rows")
        let inFile = try JSONDecoder().decode([StateTableDigest].self, from: Data(contentsOf: rows.appending(path: "digests.json")))
        guard inFile == tables else {
            throw ArchiveError.damaged(path: file.path, member: "rows/digests.json", reason: "the file's digests are not those the database recorded")
        }
        try store.transaction {
            try StateArchive.reinsert(from: rows, tables: tables, into: database)
            try store.markArchiveBatchRestored(id: id, at: UTCTimestamp(Date()))
        }
        return batch
    }
}

/// One `archive` run at a time: ``ExclusiveFileLock`` on `backups/archive/.archive.lock`.
enum ArchiveLock {
    static func take(directory: URL) throws -> ExclusiveFileLock {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = directory.appending(path: ".archive.lock").path
        return try ExclusiveFileLock(path: path, mode: 0o600) { _ in ArchiveLockedError(path: path) }
    }
}

struct ArchiveLockedError: Error, CustomStringConvertible, ExitStatusProviding {
    var path: String
    var description: String { "another archive run holds \(path); try later" }
    var exitStatus: ExitStatus { .locked }
}
