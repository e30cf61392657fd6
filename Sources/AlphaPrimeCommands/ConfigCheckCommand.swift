import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import ArgumentParser
import Foundation
import Logging

/// `config-check`: validates the whole configuration of a home (every file in `config/`, every
/// risk preset, the strategies, `.env`) and prints "configuration OK" with any findings, or every
/// problem one per line (exit 78). `--show` prints the effective configuration, secrets masked.
public struct ConfigCheckCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "config-check",
        abstract: "Validate the whole configuration and print the effective values (secrets masked).",
        discussion: """
            Reads config/*.yaml, config/strategies/*.yaml and .env in the home, reports every problem \
            as FILE:LINE: KEY.PATH: MESSAGE and exits with 78 when there is one.
            """,
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    @Flag(name: .long, help: "Print the effective configuration (YAML, or JSON with --json), secrets masked.")
    public var show = false

    @Option(name: .long, help: ArgumentHelp(
        "Use risk_config_<name>.yaml instead of risk_config.yaml (e.g. prop_challenge).", valueName: "name"))
    public var riskPreset: String?

    public init() {}

    public func run() async throws {
        try await ToolRunner.run(tool: Self.configuration.commandName!) {
            let setup = ToolSetup.load(common, tool: "config-check", riskPreset: riskPreset, checkAllRiskPresets: true)
            let home = setup.home
            let configuration: AlphaPrimeConfiguration
            switch setup.configuration {
            case .success(let loaded):
                let strategyIssues = StrategyCheck.issues(loaded)
                guard strategyIssues.isEmpty else {
                    let error = ConfigError(issues: strategyIssues, findings: loaded.findings)
                    report(error)
                    setup.logger.info("configuration checked", metadata: [
                        "ok": .stringConvertible(false), "errors": .stringConvertible(error.issues.count)])
                    return .configError
                }
                configuration = loaded
            case .failure(let error):
                report(error)
                for issue in error.issues {
                    setup.logger.error("configuration error", metadata: [
                        "config.file": "\(issue.file)", "config.line": issue.line.map { .stringConvertible($0) } ?? "",
                        "config.key_path": "\(issue.keyPath)", "config.problem": "\(issue.message)"])
                }
                setup.logger.info("configuration checked", metadata: [
                    "ok": .stringConvertible(false), "errors": .stringConvertible(error.issues.count)])
                return .configError
            }
            setup.logger.info("configuration checked", metadata: [
                "ok": .stringConvertible(true), "risk_preset": "\(configuration.riskPreset)",
                "findings": .stringConvertible(configuration.findings.count)])
            if show {
                for finding in configuration.findings { ToolRunner.printError("warning: \(finding)") }
                ToolRunner.printOut(common.json ? try configuration.effectiveJSON() : try configuration.effectiveYAML())
            } else if common.json {
                let findings = ConfigTree.list(configuration.findings.map(Self.tree))
                ToolRunner.printOut(ConfigTree.map([
                    ("ok", .bool(true)), ("home", .string(home.root.path)), ("risk_preset", .string(configuration.riskPreset)),
                    ("findings", findings),
                ]).json())
            } else {
                ToolRunner.printOut("configuration OK (\(home.root.path), risk preset \(configuration.riskPreset), "
                                    + "\(configuration.enabledStrategies.count) of \(configuration.strategies.count) strategies enabled)")
                for finding in configuration.findings { ToolRunner.printOut("warning: \(finding)") }
            }
            return .ok
        }
    }

    private func report(_ error: ConfigError) {
        if common.json {
            let issues = ConfigTree.list(error.issues.map { issue in
                .map([("file", .string(issue.file)), ("line", issue.line.map { .integer(Int64($0)) } ?? .null),
                      ("key_path", .string(issue.keyPath)), ("message", .string(issue.message))])
            })
            ToolRunner.printOut(ConfigTree.map([
                ("ok", .bool(false)), ("errors", issues), ("findings", .list(error.findings.map(Self.tree))),
            ]).json())
        } else {
            for issue in error.issues { ToolRunner.printError(issue.description) }
            for finding in error.findings { ToolRunner.printError("warning: \(finding)") }
            let count = error.issues.count
            ToolRunner.printError("config-check: \(count) configuration error\(count == 1 ? "" : "s") (exit \(ExitStatus.configError.rawValue))")
        }
    }

    private static func tree(_ finding: ConfigFinding) -> ConfigTree {
        .map([("file", .string(finding.file)), ("line", finding.line.map { .integer(Int64($0)) } ?? .null),
              ("message", .string(finding.message))])
    }
}
