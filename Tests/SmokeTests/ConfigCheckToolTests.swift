import Foundation
import Testing

/// `config-check` as the trader runs it, on a copy of the repository's configuration.
@Suite struct ConfigCheckToolTests {
    /// A temporary home holding a copy of the repository's config/.
    final class Home {
        let root: URL

        init(dotEnv: String? = nil) throws {
            root = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-check-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            try FileManager.default.copyItem(at: repository.appending(path: "config"), to: root.appending(path: "config"))
            if let dotEnv {
                let url = root.appending(path: ".env")
                try dotEnv.write(to: url, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
            }
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        func edit(_ file: String, _ old: String, _ new: String) throws {
            let url = root.appending(path: "config/\(file)")
            let text = try String(contentsOf: url, encoding: .utf8)
            try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
        }

        func run(_ arguments: [String]) throws -> ToolProcess.Result {
            try ToolProcess.run("config-check", ["--home", root.path] + arguments, environment: ["PATH": "/usr/bin:/bin"])
        }
    }

    @Test func validConfigurationIsOK() throws {
        let result = try Home().run([])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("configuration OK"))
    }

    @Test func everyErrorOnItsOwnLineAndExit78() throws {
        let home = try Home(dotEnv: "KITE_API_KEY=kite-secret-key-42\n")
        try home.edit("risk_config.yaml", "per_trade_risk_pct: 0.5", "per_trade_risk_pct: -0.5")
        try home.edit("risk_config.yaml", "max_drawdown_pct: 8.0", "max_drawdown_pct: eight")
        try home.edit("risk_config.yaml", "max_open_positions: 2", "max_open_position: 2")
        let result = try home.run([])
        #expect(result.status == 78)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("config/risk_config.yaml:") }.count == 3)
        #expect(lines.contains("config/risk_config.yaml:10: risk.per_trade_risk_pct: must be greater than 0, got -0.5"))
        #expect(lines.contains { $0.hasPrefix("warning: .env: is readable by group or others (mode 0644)") })
        #expect(!result.stderr.contains("kite-secret-key-42"))
    }

    /// A strategy the library cannot build (an unknown kind, a parameter out of range) is found by
    /// config-check, enabled or not, at its file and line, before an engine or a backtest meets it.
    @Test func aStrategyKindOrParameterTheLibraryRefusesIsAConfigError() throws {
        let home = try Home()
        try home.edit("strategies/momentum.yaml", "kind: momentum", "kind: momentun")
        let result = try home.run([])
        #expect(result.status == 78, "\(result.stdout)")
        #expect(result.stderr.contains("config/strategies/momentum.yaml:7: kind: unknown kind 'momentun' (built in: "), "\(result.stderr)")
    }

    @Test func showPrintsTheEffectiveConfigurationWithSecretsMasked() throws {
        let home = try Home(dotEnv: "KITE_API_KEY=kite-secret-key-42\nSMTP_PASSWORD=mail-secret-99\n")
        let yaml = try home.run(["--show"])
        #expect(yaml.status == 0)
        #expect(yaml.stdout.contains("api_key: '********'"))
        #expect(yaml.stdout.contains("square_off_time: '15:20'"))
        #expect(!yaml.stdout.contains("kite-secret-key-42") && !yaml.stdout.contains("mail-secret-99"))

        let json = try home.run(["--show", "--json", "--risk-preset", "prop_challenge"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["risk_preset"] as? String == "prop_challenge")
        let risk = (object?["risk"] as? [String: Any])?["risk"] as? [String: Any]
        #expect(risk?["per_trade_risk_pct"] as? Double == 0.25)
        #expect(!json.stdout.contains("kite-secret-key-42"))
    }
}
