import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

@Suite struct HealthReportTests {
    @Test func infoCountsAsOK() {
        let report = HealthReport(findings: [.ok("clock", "fine"), .info("today", "not a trading day")])
        #expect(report.worst == .ok)
        #expect(report.passed(strict: true))
        #expect(report.text == "[ OK ] clock: fine\n[INFO] today: not a trading day")
    }

    @Test func warningsFailOnlyWhenStrict() {
        let report = HealthReport(findings: [.info("today", "x"), .warning("configuration", ".env: readable")])
        #expect(report.worst == .warning)
        #expect(report.passed(strict: false))
        #expect(!report.passed(strict: true))
        #expect(report.warningCount == 1 && report.failureCount == 0)
    }

    @Test func aFailureFails() {
        let report = HealthReport(findings: [.failure("database", "missing"), .warning("disk space", "low")])
        #expect(report.worst == .failure)
        #expect(!report.passed(strict: false))
        #expect(report.text.hasPrefix("[FAIL] database: missing"))
    }
}
