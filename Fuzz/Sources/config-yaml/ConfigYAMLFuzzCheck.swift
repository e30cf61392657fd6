import AlphaPrimeConfig
import AlphaPrimeDomain

/// The `config-yaml` fuzz target's checks (shared with the test that replays its corpus): one
/// configuration file's text through the strict decoder as each of the files it could be, then
/// through that file's validation. Beyond not crashing: every issue names the file and a line
/// inside it; a file that yields no value says why; no message shows a secret the file pulled in.
enum ConfigYAMLFuzzCheck {
    /// What `${VAR}` references resolve against: one secret, so a message quoting it is a finding.
    static let environment = ["ALPHA_PRIME_FUZZ_SECRET": "fuzz-secret-8c41d7", "ALPHA_PRIME_FUZZ_NUMBER": "12"]

    static func findings(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        var findings: [String] = []
        check(GeneralConfig.self, "config/general_config.yaml", text, &findings) { $0.validate(&$1) }
        check(RiskConfig.self, "config/risk_config.yaml", text, &findings) { $0.validate(&$1) }
        check(TradingHoursConfig.self, "config/trading_hours.yaml", text, &findings) { $0.validate(&$1) }
        check(BrokerConfig.self, "config/broker_config.yaml", text, &findings) { $0.validate(&$1) }
        check(StrategyConfig.self, "config/strategies/fuzz.yaml", text, &findings) { $0.validate(&$1) }
        return findings
    }

    static func check<T: Decodable>(_ type: T.Type, _ file: String, _ text: String, _ findings: inout [String],
                                    validate: (T, inout ConfigValidator) -> Void) {
        let outcome = StrictYAMLDecoder.decode(T.self, yaml: text, file: file, environment: environment)
        var issues = outcome.issues
        if let value = outcome.value {
            var validator = outcome.validator()
            validate(value, &validator)
            issues += validator.issues
        } else if outcome.issues.isEmpty {
            findings.append("\(file): no value and no issue saying why")
        }
        let lines = StrictYAMLDecoder.lineCount(text)
        for issue in issues {
            if issue.file != file { findings.append("an issue names \(issue.file), not \(file)") }
            if let line = issue.line, !(1...lines + 1).contains(line) { findings.append("\(file): line \(line) of \(lines): \(issue)") }
            if issue.message.contains("fuzz-secret-8c41d7") { findings.append("\(file): a message shows the secret: \(issue.message)") }
        }
    }
}
