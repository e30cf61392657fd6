import Foundation
import Testing

/// A `.env` other users can read is reported by `config-check` and `health-check`; a private one is not.
@Suite struct DotEnvPermissionToolTests {
    static let finding = ".env: is readable by group or others (mode 0644)"

    @Test func readableByOthersIsReported() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.writeDotEnv("ENVIRONMENT=paper\n", mode: 0o644)
        let check = try home.run("config-check")
        #expect(check.status == 0)
        #expect(check.stdout.contains("warning: \(Self.finding)"), "\(check.output)")
        #expect(check.stdout.contains("chmod 600"))
        let health = try home.run("health-check", ["--fast"])
        #expect(health.stdout.contains("[WARN] configuration: \(Self.finding)"), "\(health.output)")
        let json = try home.run("config-check", ["--json"])
        #expect(json.stdout.contains("is readable by group or others"))
    }

    @Test func privateIsNotReported() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.writeDotEnv("ENVIRONMENT=paper\n", mode: 0o600)
        let check = try home.run("config-check")
        #expect(check.status == 0)
        #expect(!check.output.contains("readable by group or others"), "\(check.output)")
        let health = try home.run("health-check", ["--fast"])
        #expect(!health.output.contains("readable by group or others"), "\(health.output)")
        #expect(health.stdout.contains("[ OK ] configuration: valid"))
    }

    @Test func reportedEvenWhenTheConfigurationIsBroken() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.writeDotEnv("ENVIRONMENT=paper\n", mode: 0o640)
        try home.edit("config/risk_config.yaml", replacing: "max_open_positions: 2", with: "max_open_position: 2")
        let check = try home.run("config-check")
        #expect(check.status == 78)
        #expect(check.stderr.contains("warning: .env: is readable by group or others (mode 0640)"))
        let health = try home.run("health-check", ["--fast"])
        #expect(health.stdout.contains("[WARN] configuration: .env: is readable by group or others (mode 0640)"))
    }
}

/// Live trading refuses to start while `.env`, the state database or the backups folder can be read
/// by other users of the machine, naming each and the chmod that fixes it; paper and monitor warn.
@Suite struct PrivateFilesToolTests {
    @Test func liveRefusesAndPaperWarnsWhileAPrivateFileIsReadable() throws {
        let home = try EngineTestHome()
        try home.home.writeDotEnv("ENVIRONMENT=production\nENABLE_REAL_TRADING=true\n", mode: 0o644)
        let backups = home.home.path("backups")
        try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: backups.path)
        let live = try home.engine(["run", "--mode", "live", "--confirm-live", "--replay", EngineToolTests.day])
        #expect(live.status == 5, "\(live.output)")
        #expect(live.stderr.contains(".env is readable by group or others (mode 0644): run chmod 600 "), "\(live.stderr)")
        #expect(live.stderr.contains("backups is readable by group or others (mode 0755): run chmod 700 "))
        #expect(live.stderr.contains("live trading refused until the files above are private"))

        let paper = try home.engine(["run", "--mode", "paper", "--replay", EngineToolTests.day])
        #expect(paper.status == 0, "\(paper.output)")
        #expect(paper.stderr.contains("engine: warning: \(home.home.path(".env").path) is readable by group or others"))
        // The state database the engine created is private from the start.
        let attributes = try FileManager.default.attributesOfItem(atPath: home.home.path("var/alpha_prime.db").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }
}
