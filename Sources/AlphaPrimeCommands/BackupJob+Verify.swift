import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import AlphaPrimeArchive
import AlphaPrimeOps
import Foundation
import Logging

extension BackupJob {
    struct Verified: Encodable {
        var file: String
        var members: Int
        var rows: Int
        var schemaVersion: Int
        var checks: [IntegrityFinding]
        var env: String
        var ok: Bool { checks.allSatisfy(\.ok) }

        enum CodingKeys: String, CodingKey { case file, members, rows, schemaVersion = "schema_version", checks, env, ok }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(file, forKey: .file); try c.encode(members, forKey: .members); try c.encode(rows, forKey: .rows)
            try c.encode(schemaVersion, forKey: .schemaVersion); try c.encode(checks, forKey: .checks)
            try c.encode(env, forKey: .env); try c.encode(ok, forKey: .ok)
        }
    }

    /// Re-reads the whole file (every checksum), loads the database export into a scratch database
    /// and runs the integrity check on it, and opens `env.enc` when the passphrase is set.
    /// Throws for a file that is damaged; returns the checks (some may fail) otherwise.
    func verify(_ file: URL) throws -> Verified {
        guard FileManager.default.fileExists(atPath: file.path) else { throw ArchiveError.missingFile(path: file.path) }
        let scratch = try Self.staging(in: backupsDirectory)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (archive, export, directory) = try extractDatabase(file, into: scratch)
        var checks = [IntegrityFinding(check: "archive", ok: true,
                                       detail: "\(archive.members.count) members, every size and SHA-256 as the manifest says")]
        checks += try StateImport.check(directory: directory, manifest: export, logger: context.logger)
        var env = "not in the backup"
        if archive.member(named: "env.enc") != nil {
            if let passphrase = context.configuration.environment.backupPassphrase, !passphrase.isEmpty {
                do {
                    _ = try SecretBox.open(try ArchiveReader.extract(file, member: "env.enc"), passphrase: passphrase)
                } catch ArchiveError.wrongPassphrase {
                    throw ArchiveError.damaged(path: file.path, member: "env.enc",
                                               reason: "wrong passphrase or damaged encrypted member (ALPHA_PRIME_BACKUP_PASSPHRASE)")
                }
                env = "env.enc opens with the passphrase"
            } else {
                env = "env.enc not opened: ALPHA_PRIME_BACKUP_PASSPHRASE is not set"
            }
        }
        return Verified(file: file.path, members: archive.members.count, rows: export.rowCount,
                        schemaVersion: export.schemaVersion, checks: checks, env: env)
    }

    /// Extracts `database/` of a verified archive into `scratch`; returns the archive's manifest,
    /// the export's manifest and the folder holding the table files.
    func extractDatabase(_ file: URL, into scratch: URL) throws -> (ArchiveManifest, StateExportManifest, URL) {
        let names = try ArchiveReader.verify(file).members.map(\.name).filter { $0.hasPrefix("database/") }
        guard names.contains("database/manifest.json") else {
            throw ArchiveError.damaged(path: file.path, member: "database/manifest.json", reason: "the backup holds no database export")
        }
        let archive = try ArchiveReader.extract(file, members: Set(names), into: scratch)
        let directory = scratch.appending(path: "database", directoryHint: .isDirectory)
        let export: StateExportManifest
        do {
            export = try JSONDecoder().decode(StateExportManifest.self, from: Data(contentsOf: directory.appending(path: "manifest.json")))
        } catch {
            throw ArchiveError.damaged(path: file.path, member: "database/manifest.json", reason: "not a database export manifest: \(error)")
        }
        return (archive, export, directory)
    }

    struct Restored: Encodable {
        var file: String
        var target: String
        var rows: Int
        var safetyBackup: String?
        var seconds: Double

        enum CodingKeys: String, CodingKey { case file, target, rows, safetyBackup = "safety_backup", seconds }
    }

    /// Restores the database of `file` into `target`: refuses while an engine runs on it (holding
    /// its engine lock throughout), takes a `manual` backup of what the target holds first, then
    /// replaces every state table in one transaction.
    func restore(_ file: URL, into target: DatabaseURL) throws -> Restored {
        let started = DispatchTime.now().uptimeNanoseconds
        let scratch = try Self.staging(in: backupsDirectory)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (_, export, directory) = try extractDatabase(file, into: scratch)

        let database = try target.open()
        let store = StateRepository(database: database, url: target)
        let lease = try store.acquireEngineLock(holder: EngineLockHolder.thisProcess(doing: "backup-restore"))
        defer { lease.release() }

        var safety: String?
        if try database.tableExists("schema_migrations") {
            safety = try create(kind: .manual, databaseURL: target).file
            context.logger.notice("the database was backed up before the restore", metadata: ["backup": "\(safety ?? "")"])
        }
        try StateImport.restore(from: directory, manifest: export, into: database, logger: context.logger)
        return Restored(file: file.path, target: target.description, rows: export.rowCount, safetyBackup: safety,
                        seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
    }

    struct Pruned: Encodable {
        var deleted: [String]
        var kept: [String]
        /// Kinds with more backups than they keep and none that verifies: nothing of theirs was deleted.
        var unverified: [String]
    }

    /// Applies the retention of general_config.yaml to daily, weekly and monthly backups (manual ones
    /// are kept): see ``BackupCatalog/prunePlan(_:keep:verify:)``.
    func prune() throws -> Pruned {
        let settings = context.configuration.general.backupSettings
        var result = Pruned(deleted: [], kept: [], unverified: [])
        for (kind, keep) in [(BackupKind.daily, settings.keepDaily), (.weekly, settings.keepWeekly), (.monthly, settings.keepMonthly)] {
            let entries = BackupCatalog.list(in: backupsDirectory, kind: kind)
            let plan = BackupCatalog.prunePlan(entries, keep: keep) { entry in
                do {
                    return try verify(entry.url).ok
                } catch {
                    context.logger.warning("a backup does not verify; it is not counted as good", metadata: [
                        "file": "\(entry.url.path)", "error": "\(error)"])
                    return false
                }
            }
            if entries.count > keep, plan.newestGood == nil { result.unverified.append(kind.rawValue) }
            for entry in plan.delete {
                do {
                    try FileManager.default.removeItem(at: entry.url)
                } catch {
                    throw AtomicFile.WriteError(path: entry.url.path, reason: "cannot delete: \(error.localizedDescription)")
                }
                result.deleted.append(entry.url.path)
                context.logger.notice("deleted an old backup", metadata: [
                    "file": "\(entry.url.path)", "kind": "\(kind.rawValue)", "verified_newer": "\(plan.newestGood?.url.path ?? "")"])
            }
            result.kept += plan.keep.map(\.url.path)
        }
        return result
    }
}
