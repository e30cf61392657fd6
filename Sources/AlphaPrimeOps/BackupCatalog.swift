import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// What `backup create --kind` files a backup under: `backups/<kind>/`. `manual` is what a tool
/// takes before it changes something (`reset-portfolio`, `backup restore`); prune keeps every one.
public enum BackupKind: String, Sendable, Codable, CaseIterable {
    case daily, weekly, monthly, manual
}

/// One backup file found under `backups/`.
public struct BackupEntry: Sendable, Equatable {
    public var kind: BackupKind
    public var url: URL
    /// When it was taken (from its name, UTC).
    public var createdAt: UTCTimestamp
    public var size: Int64

    public var name: String { url.lastPathComponent }
}

/// The backups under `backups/`: how they are named, listed and pruned.
///
/// A backup is `backups/<kind>/alpha-prime-<UTC stamp>.tar.zst`, the stamp `YYYYMMDDTHHMMSSZ`
/// (a second one in the same second gets `-2`, `-3`…). Files being written are dot-files ending
/// `.partial` and are never listed.
public enum BackupCatalog {
    public static let prefix = "alpha-prime-"
    public static let suffix = ".tar.zst"

    /// `alpha-prime-20261202T101500Z.tar.zst`, or with `-n` when that name is taken in `directory`.
    public static func fileName(at time: UTCTimestamp, in directory: URL) -> String {
        let seconds = time.microseconds / 1_000_000
        let secondOfDay = (seconds % 86_400 + 86_400) % 86_400
        let days = Int((seconds - secondOfDay) / 86_400)
        let date = LocalDate(daysSinceEpoch: days)
        let s = Int(secondOfDay)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let stamp = "\(date.year)\(two(date.month))\(two(date.day))T\(two(s / 3600))\(two(s / 60 % 60))\(two(s % 60))Z"
        var name = prefix + stamp + suffix
        var n = 2
        while FileManager.default.fileExists(atPath: directory.appending(path: name).path) {
            name = prefix + stamp + "-\(n)" + suffix
            n += 1
        }
        return name
    }

    /// The time a backup's name says it was taken, or nil for a name that is not a backup's.
    public static func createdAt(fileName: String) -> UTCTimestamp? {
        guard fileName.hasPrefix(prefix), fileName.hasSuffix(suffix) else { return nil }
        var stamp = fileName.dropFirst(prefix.count).dropLast(suffix.count)
        if let dash = stamp.firstIndex(of: "-") {
            guard Int(stamp[stamp.index(after: dash)...]) != nil else { return nil }
            stamp = stamp[..<dash]
        }
        let chars = Array(stamp)
        guard chars.count == 16, chars[8] == "T", chars[15] == "Z" else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? { Int(String(chars[from..<(from + count)])) }
        guard let y = number(0, 4), let mo = number(4, 2), let d = number(6, 2), let h = number(9, 2), let mi = number(11, 2),
              let s = number(13, 2), h < 24, mi < 60, s < 60, let date = LocalDate(year: y, month: mo, day: d) else { return nil }
        return UTCTimestamp(secondsSinceEpoch: Int64(date.daysSinceEpoch) * 86_400 + Int64(h * 3600 + mi * 60 + s))
    }

    /// Every backup under `backupsDirectory`, newest first (of each kind when `kind` is given).
    public static func list(in backupsDirectory: URL, kind: BackupKind? = nil) -> [BackupEntry] {
        var found: [BackupEntry] = []
        for k in kind.map({ [$0] }) ?? BackupKind.allCases {
            let folder = backupsDirectory.appending(path: k.rawValue)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names {
                guard let created = createdAt(fileName: name) else { continue }
                let url = folder.appending(path: name)
                let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int64) ?? 0
                found.append(BackupEntry(kind: k, url: url, createdAt: created, size: size))
            }
        }
        return found.sorted { ($0.createdAt, $0.name) > ($1.createdAt, $1.name) }
    }

    /// What `backup prune` does with one kind's backups (newest first): keep the newest `keep`, and
    /// delete an older one only when a newer backup of the kind passes `verify` — so the last good
    /// backup is never deleted because newer ones are damaged. `verify` is asked newest first and
    /// no more often than needed.
    public static func prunePlan(_ entries: [BackupEntry], keep: Int,
                                 verify: (BackupEntry) -> Bool) -> (delete: [BackupEntry], keep: [BackupEntry], newestGood: BackupEntry?) {
        guard entries.count > keep else { return ([], entries, nil) }
        var newestGood: BackupEntry?
        var delete: [BackupEntry] = [], kept: [BackupEntry] = []
        for (i, entry) in entries.enumerated() {
            if i >= keep, newestGood != nil {
                delete.append(entry)
                continue
            }
            kept.append(entry)
            if newestGood == nil, verify(entry) { newestGood = entry }
        }
        return (delete, kept, newestGood)
    }
}
