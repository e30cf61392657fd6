import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// One line of a health check: what was checked, how it went, and what to do about it.
public struct HealthFinding: Codable, Sendable, Equatable {
    /// `info` is a fact worth a line (today is not a trading day); it counts as OK.
    public enum Status: String, Codable, Sendable, Comparable {
        case ok, info, warning, failure

        private var rank: Int {
            switch self {
            case .ok: 0
            case .info: 1
            case .warning: 2
            case .failure: 3
            }
        }
        public static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }
    }

    public var check: String
    public var status: Status
    public var detail: String

    public init(check: String, status: Status, detail: String) {
        self.check = check; self.status = status; self.detail = detail
    }

    public static func ok(_ check: String, _ detail: String) -> HealthFinding { .init(check: check, status: .ok, detail: detail) }
    public static func info(_ check: String, _ detail: String) -> HealthFinding { .init(check: check, status: .info, detail: detail) }
    public static func warning(_ check: String, _ detail: String) -> HealthFinding { .init(check: check, status: .warning, detail: detail) }
    public static func failure(_ check: String, _ detail: String) -> HealthFinding { .init(check: check, status: .failure, detail: detail) }
}

/// All findings of one health check run. It passes when nothing failed (warnings are reported, and
/// fail the run only under `strict`).
public struct HealthReport: Codable, Sendable {
    public var findings: [HealthFinding]

    public init(findings: [HealthFinding] = []) { self.findings = findings }

    /// `failure`, else `warning`, else `ok` (an `info` line is OK).
    public var worst: HealthFinding.Status {
        let worst = findings.map(\.status).max() ?? .ok
        return worst == .info ? .ok : worst
    }

    /// Nothing failed; under `strict`, nothing warned either.
    public func passed(strict: Bool) -> Bool {
        strict ? worst == .ok : worst != .failure
    }

    public var failureCount: Int { findings.count { $0.status == .failure } }
    public var warningCount: Int { findings.count { $0.status == .warning } }

    /// `[ OK ] check: detail` lines (`[INFO]`, `[WARN]`, `[FAIL]`), in the order of the checks.
    public var text: String {
        findings.map { f in
            let tag = switch f.status { case .ok: "[ OK ]"; case .info: "[INFO]"; case .warning: "[WARN]"; case .failure: "[FAIL]" }
            return "\(tag) \(f.check): \(f.detail)"
        }.joined(separator: "\n")
    }
}

/// Checks of the machine a home runs on: directories, disk space, clock.
public enum SystemHealth {
    /// Each generated-output directory exists (or can be created) and is writable.
    public static func directories(home: AlphaPrimeHome) -> [HealthFinding] {
        let fm = FileManager.default
        var findings: [HealthFinding] = []
        guard fm.fileExists(atPath: home.configDirectory.path) else {
            return [.failure("home", "no config/ directory in \(home.root.path); pass --home or set ALPHA_PRIME_HOME")]
        }
        findings.append(.ok("home", home.root.path))
        for dir in [home.logsDirectory, home.varDirectory, home.reportsDirectory, home.backupsDirectory] {
            let name = dir.lastPathComponent + "/"
            do {
                try fm.createDirectory(at: dir, withIntermediateDirectories: true)
            } catch {
                findings.append(.failure("directory \(name)", "cannot create \(dir.path): \(error.localizedDescription)"))
                continue
            }
            if fm.isWritableFile(atPath: dir.path) {
                findings.append(.ok("directory \(name)", "writable"))
            } else {
                findings.append(.failure("directory \(name)", "\(dir.path) is not writable by this user"))
            }
        }
        return findings
    }

    /// Free space on the file system holding the home: a warning under 2 GiB, a failure under 200 MiB.
    public static func diskSpace(home: AlphaPrimeHome, warnBelow: UInt64 = 2 << 30, failBelow: UInt64 = 200 << 20) -> HealthFinding {
        var stats = statvfs()
        guard statvfs(home.root.path, &stats) == 0 else {
            return .warning("disk space", "cannot read free space of \(home.root.path) (errno \(errno))")
        }
        let free = UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
        let text = formatBytes(free) + " free"
        if free < failBelow { return .failure("disk space", text + "; the engine and backups need room") }
        if free < warnBelow { return .warning("disk space", text) }
        return .ok("disk space", text)
    }

    /// The system clock is plausible (not reset to an early date, which would corrupt timestamps).
    public static func clock(now: Date = Date()) -> HealthFinding {
        let year = Calendar(identifier: .gregorian).component(.year, from: now)
        if year < 2024 { return .failure("clock", "system time \(now) is implausible; fix the clock (NTP) before trading") }
        return .ok("clock", ISO8601DateFormatter().string(from: now))
    }

    public static func formatBytes(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
