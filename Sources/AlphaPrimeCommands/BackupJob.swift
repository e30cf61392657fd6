import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import AlphaPrimeArchive
import AlphaPrimeOps
import Foundation
import Logging

/// A backup as `backup create` writes it: one `.tar.zst` under `backups/<kind>/` holding
///
/// - `database/<table>.tsv` and `database/manifest.json`: the state database, exported in one read
///   transaction (a consistent snapshot while the engine writes), portable between SQLite and
///   PostgreSQL;
/// - `config/…`: every file of the configuration directory (the YAML files and strategy files);
/// - `env.enc`: `.env` sealed with AES-256-GCM under `ALPHA_PRIME_BACKUP_PASSPHRASE` (left out,
///   and said so, without a passphrase);
/// - `manifest.json`, last: every member's size and SHA-256, the schema version, the row counts.
struct BackupJob {
    let context: ToolContext
    var backupsDirectory: URL { context.directory(context.configuration.general.paths.backups) }

    struct Created: Encodable {
        var file: String
        var kind: String
        var bytes: Int64
        var members: Int
        var rows: Int
        var schemaVersion: Int
        var env: String
        var seconds: Double

        enum CodingKeys: String, CodingKey {
            case file, kind, bytes, members, rows, schemaVersion = "schema_version", env, seconds
        }
    }

    /// Takes a backup of `databaseURL` (the configured database unless given).
    func create(kind: BackupKind, databaseURL: DatabaseURL? = nil) throws -> Created {
        let started = DispatchTime.now().uptimeNanoseconds
        let folder = backupsDirectory.appending(path: kind.rawValue, directoryHint: .isDirectory)
        do {
            // Backups hold the whole state (and the sealed .env): private to the trader, like .env.
            for directory in [backupsDirectory, folder] where !FileManager.default.fileExists(atPath: directory.path) {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw AtomicFile.WriteError(path: folder.path, reason: "cannot create the backup folder: \(error.localizedDescription)")
        }
        for removed in (try? ArchiveFile.removeStalePartials(in: folder)) ?? [] {
            context.logger.warning("removed a backup file an interrupted run left", metadata: ["file": "\(removed.path)"])
        }
        let url = databaseURL ?? context.databaseURL
        let staging = try Self.staging(in: backupsDirectory)
        defer { try? FileManager.default.removeItem(at: staging) }

        // The database: its own connection, one read transaction.
        let database = try url.open()
        let export = try StateExport.export(database: database, to: staging)

        let time = UTCTimestamp(Date())
        let file = folder.appending(path: BackupCatalog.fileName(at: time, in: folder))
        let archive = try ArchiveFile(creating: file, level: Int32(context.configuration.general.backupSettings.compressionLevel))
        do {
            for table in export.tables {
                try archive.add(name: "database/\(table.fileName)", contentsOf: staging.appending(path: table.fileName), mode: 0o600)
            }
            try archive.add(name: "database/manifest.json", bytes: try Self.json(export), mode: 0o600)
            for (name, source) in try configFiles() { try archive.add(name: name, contentsOf: source, mode: 0o644) }
            let env = try sealedEnv()
            if let sealed = env.sealed { try archive.add(name: "env.enc", bytes: sealed, mode: 0o600) }
            var extra = [
                "kind": kind.rawValue, "created_at": ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(time.microseconds) / 1e6)), "alpha_prime_version": AlphaPrimeVersion.string,
                "schema_version": String(export.schemaVersion), "database_backend": export.backend.rawValue,
                "database": url.description, "env": env.status, "host": ProcessInfo.processInfo.hostName,
            ]
            for table in export.tables { extra["rows.\(table.name)"] = String(table.rowCount) }
            let manifest = try archive.commit(extra: extra)
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int64) ?? 0
            return Created(file: file.path, kind: kind.rawValue, bytes: size, members: manifest.members.count,
                           rows: export.rowCount, schemaVersion: export.schemaVersion, env: env.status,
                           seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        } catch {
            archive.discard()
            throw error
        }
    }

    /// `config/<relative path>` of every regular file under the configuration directory.
    func configFiles() throws -> [(String, URL)] {
        let root = context.home.configDirectory
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var files: [(String, URL)] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let relative = url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count).drop { $0 == "/" }
            files.append(("config/\(relative)", url))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// `.env` sealed under the passphrase, or why it is left out.
    func sealedEnv() throws -> (sealed: [UInt8]?, status: String) {
        let path = context.home.envFile.path
        guard FileManager.default.fileExists(atPath: path) else { return (nil, "no .env in the home") }
        guard let passphrase = context.configuration.environment.backupPassphrase, !passphrase.isEmpty else {
            return (nil, "left out: ALPHA_PRIME_BACKUP_PASSPHRASE is not set")
        }
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw ArchiveError.unreadable(path: path, reason: "cannot read .env")
        }
        return (try SecretBox.seal(Array(bytes), passphrase: passphrase), "encrypted (AES-256-GCM, scrypt key)")
    }

    /// A fresh working folder under `backups/` (same file system as the backups), removing those of
    /// ended runs.
    static func staging(in backups: URL) throws -> URL {
        if let names = try? FileManager.default.contentsOfDirectory(atPath: backups.path) {
            for name in names where name.hasPrefix(".work-") {
                if let pid = Int32(name.dropFirst(6)), ProcessLiveness.hasEnded(pid) {
                    try? FileManager.default.removeItem(at: backups.appending(path: name))
                }
            }
        }
        let url = backups.appending(path: ".work-\(getpid())", directoryHint: .isDirectory)
        try? FileManager.default.removeItem(at: url)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw AtomicFile.WriteError(path: url.path, reason: error.localizedDescription)
        }
        return url
    }

    static func json<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(value))
    }
}
