import ArgumentParser
import Foundation

public struct HealthCheckCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "health-check",
        abstract: "Check configuration, state database, migrations, directories, disk and clock before trading.",
        discussion: """
            Prints one line per check: [ OK ], [WARN] or [FAIL]. Exits 0 when nothing failed, 1 when a \
            check failed (or, with --strict, when anything is not OK).
            """,
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    @Flag(name: .long, help: "Only the quick checks (no database integrity scan).")
    public var fast = false

    @Flag(name: .long, help: "Treat warnings as failures.")
    public var strict = false

    public init() {}

    public func run() async throws {
        try await ToolRunner.run(tool: "health-check") {
            let home = common.resolvedHome
            let environment = ProcessInfo.processInfo.environment
            var report = HealthReport()
            report.findings += SystemHealth.directories(home: home)
            report.findings.append(SystemHealth.diskSpace(home: home))
            report.findings.append(SystemHealth.clock())
            do {
                let url = try DatabaseURL.resolve(environment: environment, home: home)
                report.findings += StateHealth.check(url: url, integrity: !fast)
            } catch {
                report.findings.append(.failure("database", "\(error)"))
            }
            if common.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                struct Output: Encodable { let passed: Bool; let worst: String; let findings: [HealthFinding] }
                let output = Output(passed: report.passed(strict: strict), worst: report.worst.rawValue, findings: report.findings)
                ToolRunner.printOut(String(decoding: try encoder.encode(output), as: UTF8.self))
            } else {
                ToolRunner.printOut(report.text)
            }
            return report.passed(strict: strict) ? .ok : .failure
        }
    }
}
