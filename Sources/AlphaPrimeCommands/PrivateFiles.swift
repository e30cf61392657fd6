import AlphaPrimeSupport
import AlphaPrimeStore
import Foundation

/// The files that hold what must stay the trader's alone: `.env` (broker keys, passwords), the
/// state database (orders, positions, account) and the backups folder. Live trading refuses to
/// start while another user of the machine can read any of them; paper and monitor say so.
enum PrivateFiles {
    struct Exposed: Equatable {
        var path: String
        var mode: UInt16
        var isDirectory: Bool

        /// `.../.env is readable by group or others (mode 0644): run chmod 600 .../.env`
        var message: String {
            "\(path) is readable by group or others (mode 0\(String(mode, radix: 8))): run chmod \(isDirectory ? "700" : "600") \(path)"
        }
    }

    /// Those of the home's private files that exist and that group or others may read.
    static func exposed(home: AlphaPrimeHome, database: DatabaseURL) -> [Exposed] {
        var candidates: [(String, Bool)] = [(home.envFile.path, false)]
        if case .sqlite(let path) = database, path != ":memory:" { candidates.append((path, false)) }
        candidates.append((home.backupsDirectory.path, true))
        return candidates.compactMap { path, isDirectory in
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let permissions = attributes[.posixPermissions] as? NSNumber else { return nil }
            let mode = UInt16(truncatingIfNeeded: permissions.intValue) & 0o777
            return mode & 0o044 != 0 ? Exposed(path: path, mode: mode, isDirectory: isDirectory) : nil
        }
    }
}
