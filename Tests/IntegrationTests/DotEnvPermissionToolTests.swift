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
