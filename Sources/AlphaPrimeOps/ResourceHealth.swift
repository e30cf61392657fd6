import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// Checks of what the machine and the home hold: free memory, the log directory, the state
/// database's files.
public enum ResourceHealth {
    /// `MemAvailable` of `/proc/meminfo` (memory the kernel can give without swapping): a warning
    /// under 512 MiB, a failure under 128 MiB. `meminfo` is the file's text; nil when it cannot be read.
    public static func memory(meminfo: String?, warnBelow: UInt64 = 512 << 20, failBelow: UInt64 = 128 << 20) -> HealthFinding {
        guard let meminfo, let available = field("MemAvailable", in: meminfo) else {
            return .info("memory", "cannot read MemAvailable from /proc/meminfo; not checked")
        }
        var text = SystemHealth.formatBytes(available) + " available"
        if let total = field("MemTotal", in: meminfo) { text += " of " + SystemHealth.formatBytes(total) }
        if available < failBelow {
            return .failure("memory", text + "; under \(SystemHealth.formatBytes(failBelow)): the engine may be killed for want of memory")
        }
        if available < warnBelow { return .warning("memory", text + "; under \(SystemHealth.formatBytes(warnBelow))") }
        return .ok("memory", text)
    }

    /// `Name:   123456 kB` of `/proc/meminfo`, in bytes.
    static func field(_ name: String, in meminfo: String) -> UInt64? {
        for line in meminfo.split(separator: "\n") where line.hasPrefix(name + ":") {
            let words = line.dropFirst(name.count + 1).split(separator: " ")
            guard let value = words.first.flatMap({ UInt64($0) }) else { return nil }
            return words.count > 1 && words[1] == "kB" ? value * 1024 : value
        }
        return nil
    }

    /// The size of `logs/` (every file under it): a warning past `warnAbove` (1 GiB).
    public static func logDirectory(home: AlphaPrimeHome, warnAbove: UInt64 = 1 << 30) -> HealthFinding {
        let logs = home.logsDirectory
        guard FileManager.default.fileExists(atPath: logs.path) else { return .info("log directory", "no logs/ yet") }
        var bytes: UInt64 = 0, files = 0
        if let walker = FileManager.default.enumerator(at: logs, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) {
            for case let url as URL in walker {
                guard let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]),
                      values.isRegularFile == true else { continue }
                bytes += UInt64(values.fileSize ?? 0)
                files += 1
            }
        }
        let text = "\(SystemHealth.formatBytes(bytes)) in \(files) file\(files == 1 ? "" : "s") under logs/"
        if bytes > warnAbove {
            return .warning("log directory", text + "; over \(SystemHealth.formatBytes(warnAbove)): archive or delete old logs")
        }
        return .ok("log directory", text)
    }

    /// The state database's size and, on SQLite, its write-ahead log's: a warning when the log
    /// passes `walWarnAbove` (256 MiB), which a checkpoint empties.
    public static func databaseSize(databaseBytes: Int64, walBytes: Int64?, walWarnAbove: Int64 = 256 << 20) -> HealthFinding {
        var text = SystemHealth.formatBytes(UInt64(max(databaseBytes, 0)))
        guard let walBytes else { return .ok("database size", text + " (the schema's tables with their indexes)") }
        text += ", write-ahead log " + SystemHealth.formatBytes(UInt64(max(walBytes, 0)))
        if walBytes > walWarnAbove {
            return .warning("database size", text + "; the log is over \(SystemHealth.formatBytes(UInt64(walWarnAbove))): "
                            + "run db-maintenance checkpoint after the close")
        }
        return .ok("database size", text)
    }

    /// `45 s`, `12 min`, `5 h 3 min`, `3 d 4 h`.
    public static func age(seconds: Int64) -> String {
        let s = max(seconds, 0)
        if s < 60 { return "\(s) s" }
        if s < 3_600 { return "\(s / 60) min" }
        if s < 86_400 { return "\(s / 3_600) h \(s / 60 % 60) min" }
        return "\(s / 86_400) d \(s / 3_600 % 24) h"
    }
}

/// How old the newest backup of each scheduled kind is.
///
/// A kind's newest backup older than its limit is a warning: daily 26 hours (a day and the cron
/// job's slack) plus a day for each day the exchange was closed since the last trading day (a
/// Monday morning accepts Friday evening's backup), weekly 8 days, monthly 32 days. No daily backup at all is a warning once a state
/// database exists (there is something to lose); no weekly or monthly backup yet is an `info`
/// line (a new installation has not reached its first weekend or month end). Manual backups
/// (taken before a reset or a restore) are not scheduled and are not checked.
public enum BackupHealth {
    public static let limits: [(kind: BackupKind, maxAgeSeconds: Int64)] = [
        (.daily, 26 * 3_600), (.weekly, 8 * 86_400), (.monthly, 32 * 86_400),
    ]

    /// - Parameter closedDays: calendar days the exchange was closed between the last trading day and today.
    public static func check(backupsDirectory: URL, databaseExists: Bool, now: UTCTimestamp, closedDays: Int = 0) -> [HealthFinding] {
        limits.map { rule in
            let limit = rule.maxAgeSeconds + (rule.kind == .daily ? Int64(max(0, closedDays)) * 86_400 : 0)
            let check = "backup (\(rule.kind.rawValue))"
            guard let newest = BackupCatalog.list(in: backupsDirectory, kind: rule.kind).first else {
                if rule.kind == .daily, databaseExists {
                    return .warning(check, "none in backups/daily/; take one: backup create --kind daily")
                }
                return .info(check, "none yet")
            }
            let age = (now.microseconds - newest.createdAt.microseconds) / 1_000_000
            let text = "newest \(newest.name), \(ResourceHealth.age(seconds: age)) old (\(SystemHealth.formatBytes(UInt64(max(newest.size, 0)))))"
            if age > limit {
                return .warning(check, text + "; older than \(ResourceHealth.age(seconds: limit)): "
                                + "is the cron job running? backup create --kind \(rule.kind.rawValue)")
            }
            return .ok(check, text)
        }
    }
}
