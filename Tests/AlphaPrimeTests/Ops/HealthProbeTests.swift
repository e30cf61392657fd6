import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeOps

/// The health-check registry and the checks of memory, logs, database files and backups.
@Suite struct HealthProbeTests {
    static func temporaryHome() throws -> AlphaPrimeHome {
        let url = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return AlphaPrimeHome(root: url)
    }

    static func context(_ home: AlphaPrimeHome, fast: Bool) -> HealthCheckContext {
        HealthCheckContext(home: home, fast: fast, now: .now(), marketTime: 0, calendar: nil)
    }

    @Test func aRegisteredProbeSlotsInAndFastSkipsTheSlowOnes() async throws {
        let home = try Self.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home.root) }
        var registry = HealthCheckRegistry()
        registry.register("clock") { _ in [.ok("clock", "fine")] }
        registry.register("broker token", runsWhenFast: false) { _ in [.warning("broker token", "expires in 2 h")] }
        struct Cache: HealthProbe {
            let name = "cache"
            let runsWhenFast = true
            func findings(_ context: HealthCheckContext) async -> [HealthFinding] {
                [.info("cache", context.fast ? "quick look" : "full look")]
            }
        }
        registry.register(Cache())
        #expect(registry.selected(fast: true).map(\.name) == ["clock", "cache"])
        #expect(registry.selected(fast: false).map(\.name) == ["clock", "broker token", "cache"])

        let full = await registry.run(Self.context(home, fast: false))
        #expect(full.report.text == "[ OK ] clock: fine\n[WARN] broker token: expires in 2 h\n[INFO] cache: full look")
        #expect(full.milliseconds.map(\.probe) == ["clock", "broker token", "cache"])
        let fast = await registry.run(Self.context(home, fast: true))
        #expect(fast.report.findings.map(\.check) == ["clock", "cache"])
        #expect(fast.report.passed(strict: true))
    }

    @Test func memoryThresholds() {
        func meminfo(availableKB: Int) -> String {
            "MemTotal:        4000000 kB\nMemFree:          100000 kB\nMemAvailable:    \(availableKB) kB\nBuffers: 1 kB\n"
        }
        let plenty = ResourceHealth.memory(meminfo: meminfo(availableKB: 2_000_000))
        #expect(plenty.status == .ok && plenty.detail == "1.9 GiB available of 3.8 GiB")
        #expect(ResourceHealth.memory(meminfo: meminfo(availableKB: 400_000)).status == .warning)
        let scarce = ResourceHealth.memory(meminfo: meminfo(availableKB: 100_000))
        #expect(scarce.status == .failure && scarce.detail.contains("under 128.0 MiB"))
        #expect(ResourceHealth.memory(meminfo: nil).status == .info)
        #expect(ResourceHealth.memory(meminfo: "MemTotal: 5 kB\n").status == .info)
    }

    @Test func logDirectorySize() throws {
        let home = try Self.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home.root) }
        #expect(ResourceHealth.logDirectory(home: home).status == .info, "no logs/ yet")
        try FileManager.default.createDirectory(at: home.logsDirectory.appending(path: "old"), withIntermediateDirectories: true)
        try Data(count: 3_000).write(to: home.logsDirectory.appending(path: "alpha_prime.log"))
        try Data(count: 2_000).write(to: home.logsDirectory.appending(path: "old/alpha_prime.log.1"))
        let ok = ResourceHealth.logDirectory(home: home)
        #expect(ok.status == .ok && ok.detail == "4.9 KiB in 2 files under logs/")
        let big = ResourceHealth.logDirectory(home: home, warnAbove: 4_096)
        #expect(big.status == .warning && big.detail.contains("archive or delete old logs"))
    }

    @Test func databaseSizeWarnsOfABigWriteAheadLog() {
        #expect(ResourceHealth.databaseSize(databaseBytes: 10 << 20, walBytes: 4 << 20).detail == "10.0 MiB, write-ahead log 4.0 MiB")
        let big = ResourceHealth.databaseSize(databaseBytes: 10 << 20, walBytes: 300 << 20)
        #expect(big.status == .warning && big.detail.contains("db-maintenance checkpoint"))
        #expect(ResourceHealth.databaseSize(databaseBytes: 1 << 20, walBytes: nil).status == .ok)
    }

    @Test func ages() {
        #expect(ResourceHealth.age(seconds: 42) == "42 s")
        #expect(ResourceHealth.age(seconds: 125) == "2 min")
        #expect(ResourceHealth.age(seconds: 5 * 3_600 + 180) == "5 h 3 min")
        #expect(ResourceHealth.age(seconds: 3 * 86_400 + 4 * 3_600) == "3 d 4 h")
    }

    @Test func backupAgesPerKind() throws {
        let home = try Self.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home.root) }
        let now = UTCTimestamp(secondsSinceEpoch: 1_796_206_500)  // 2026-12-02T10:15:00Z
        let none = BackupHealth.check(backupsDirectory: home.backupsDirectory, databaseExists: true, now: now)
        #expect(none.map(\.status) == [.warning, .info, .info])
        #expect(none[0].detail.contains("backup create --kind daily"))
        #expect(BackupHealth.check(backupsDirectory: home.backupsDirectory, databaseExists: false, now: now)[0].status == .info)

        func take(_ kind: String, hoursAgo: Int64) throws {
            let folder = home.backupsDirectory.appending(path: kind)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let name = BackupCatalog.fileName(at: UTCTimestamp(secondsSinceEpoch: 1_796_206_500 - hoursAgo * 3_600), in: folder)
            try Data(count: 2_048).write(to: folder.appending(path: name))
        }
        try take("daily", hoursAgo: 30)
        try take("daily", hoursAgo: 3)
        try take("weekly", hoursAgo: 9 * 24)
        try take("monthly", hoursAgo: 20 * 24)
        let findings = BackupHealth.check(backupsDirectory: home.backupsDirectory, databaseExists: true, now: now)
        #expect(findings.map(\.check) == ["backup (daily)", "backup (weekly)", "backup (monthly)"])
        #expect(findings.map(\.status) == [.ok, .warning, .ok])
        #expect(findings[0].detail == "newest alpha-prime-20261202T071500Z.tar.zst, 3 h 0 min old (2.0 KiB)")
        #expect(findings[1].detail.contains("9 d 0 h old") && findings[1].detail.contains("older than 8 d 0 h"))

        try take("daily", hoursAgo: -1)  // the clock of the machine that took it was ahead
        #expect(BackupHealth.check(backupsDirectory: home.backupsDirectory, databaseExists: true, now: now)[0].status == .ok)
        try FileManager.default.removeItem(at: home.backupsDirectory.appending(path: "daily"))
        try take("daily", hoursAgo: 27)
        #expect(BackupHealth.check(backupsDirectory: home.backupsDirectory, databaseExists: true, now: now)[0].status == .warning)
        // A Monday morning: Friday evening's backup is the last one due (two closed days between).
        #expect(BackupHealth.check(backupsDirectory: home.backupsDirectory, databaseExists: true, now: now, closedDays: 2)[0].status == .ok)
        try FileManager.default.removeItem(at: home.backupsDirectory.appending(path: "daily"))
        try take("daily", hoursAgo: 75)
        #expect(BackupHealth.check(backupsDirectory: home.backupsDirectory, databaseExists: true, now: now, closedDays: 2)[0].status == .warning)
    }
}
