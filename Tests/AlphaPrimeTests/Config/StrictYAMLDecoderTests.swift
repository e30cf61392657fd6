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

private struct Sample: Codable, Equatable {
    struct Risk: Codable, Equatable {
        var perTradeRiskPct: Double
        var maxOpenPositions: Int
        var enabled: Bool
        var note: String?

        enum CodingKeys: String, CodingKey {
            case perTradeRiskPct = "per_trade_risk_pct", maxOpenPositions = "max_open_positions", enabled, note
        }
    }

    struct Item: Codable, Equatable {
        var date: LocalDate
        var symbols: [String]
        var product: ProductType
    }

    var name: String
    var risk: Risk
    var items: [Item]
}

@Suite struct StrictYAMLDecoderTests {
    private func decode(_ yaml: String, environment: [String: String] = [:]) -> StrictYAMLDecoder.Outcome<Sample> {
        StrictYAMLDecoder.decode(Sample.self, yaml: yaml, file: "config/sample.yaml", environment: environment)
    }

    private let good = """
        name: sample
        risk:
          per_trade_risk_pct: 0.5
          max_open_positions: 2
          enabled: true
        items:
          - date: 2025-10-21
            symbols: [NIFTY 50, BANKNIFTY]
            product: MIS
        """

    @Test func thePrimitiveTableAgreesWithTheRuntimesConformances() {
        // Every type the table names is a ConfigPrimitive, and of the standard types a value can
        // have, exactly those the runtime finds conforming are in the table.
        let candidates: [Any.Type] = [String.self, Substring.self, Character.self, Bool.self, Double.self, Float.self,
                                      Int.self, Int8.self, Int16.self, Int32.self, Int64.self, UInt.self, UInt8.self,
                                      UInt16.self, UInt32.self, UInt64.self, Int128.self, UInt128.self,
                                      Sample.self, LocalDate.self, TimeOfDay.self, Rupees.self, ConfigNumber.self]
        for type in candidates {
            #expect((ConfigPrimitives.primitive(type) != nil) == (type is any ConfigPrimitive.Type), "\(type)")
        }
        #expect(ConfigPrimitives.all.count == 14)
        #expect(ConfigPrimitives.primitive(Int.self).map { $0 == Int.self } == true)
    }

    @Test func decodesAGoodFile() {
        let outcome = decode(good)
        #expect(outcome.issues.isEmpty)
        #expect(outcome.value?.risk.perTradeRiskPct == 0.5)
        #expect(outcome.value?.items.first?.date == LocalDate("2025-10-21"))
        #expect(outcome.value?.items.first?.product == .mis)
        #expect(outcome.lines["risk.max_open_positions"] == 4)
        #expect(outcome.lines["items[0]"] == 7)
    }

    /// Found by the `config-yaml` fuzz target: an unclosed flow mapping at the end of the file was
    /// reported on a line past the last one; it is named as the last line.
    @Test func anErrorAtTheEndOfTheFileNamesItsLastLine() {
        for yaml in ["name: x\nitems:\n  - {", "name: x\nitems:\n  - {\n", "name: x\nitems:\n  - {\n\n"] {
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).count
            let issue = decode(yaml).issues.first
            #expect(issue?.message.contains("YAML syntax error") == true, "\(issue?.description ?? "none")")
            #expect((1...lines).contains(issue?.line ?? 0), "\(issue?.description ?? "none") in a file of \(lines) lines")
        }
    }

    @Test func reportsSeveralProblemsInOnePass() {
        let yaml = """
            name: sample
            risk:
              per_trade_risk_pc: 0.5
              max_open_positions: five
              enabled: yes
            items:
              - date: 2025-02-30
                symbols: NIFTY
                product: mis
                colour: red
            """
        let issues = decode(yaml).issues
        let described = issues.map(\.description)
        #expect(described == [
            "config/sample.yaml:3: risk.per_trade_risk_pc: unknown key 'per_trade_risk_pc'; did you mean 'per_trade_risk_pct'? (the required key 'per_trade_risk_pct' is missing)",
            "config/sample.yaml:4: risk.max_open_positions: expected a whole number, got 'five'",
            "config/sample.yaml:5: risk.enabled: expected true or false, got 'yes'",
            "config/sample.yaml:7: items[0].date: '2025-02-30' is not a real date",
            "config/sample.yaml:8: items[0].symbols: expected a list, got 'NIFTY'",
            "config/sample.yaml:9: items[0].product: expected one of MIS, CNC, NRML, got 'mis'; did you mean 'MIS'?",
            "config/sample.yaml:10: items[0].colour: unknown key 'colour' (expected one of: date, symbols, product)",
        ])
    }

    @Test func wrongNumberNamesTheValue() {
        let issues = decode(good.replacingOccurrences(of: "0.5", with: "five")).issues
        #expect(issues.map(\.description) == ["config/sample.yaml:3: risk.per_trade_risk_pct: expected a number, got 'five'"])
        #expect(decode(good.replacingOccurrences(of: "max_open_positions: 2", with: "max_open_positions: 2.5")).issues.first?.message
                == "expected a whole number, got '2.5'")
    }

    @Test func missingKeyNamesTheParentMappingsLine() {
        let issues = decode(good.replacingOccurrences(of: "  enabled: true\n", with: "")).issues
        #expect(issues.map(\.description) == ["config/sample.yaml:2: risk.enabled: missing required key 'enabled'"])
        let rootMissing = decode(good.replacingOccurrences(of: "name: sample\n", with: "")).issues
        #expect(rootMissing.map(\.keyPath) == ["name"])
        #expect(rootMissing.first?.line == 1)
    }

    @Test func unknownNestedKeysAreErrors() {
        let yaml = good.replacingOccurrences(of: "  enabled: true", with: "  enabled: true\n  risky: true") + "\n    extra: 1\n"
        let issues = decode(yaml).issues
        #expect(issues.map(\.keyPath) == ["risk.risky", "items[0].extra"])
        #expect(issues.map(\.line) == [6, 11])
    }

    @Test func optionalKeysMayBeAbsentOrNull() {
        #expect(decode(good).value?.risk.note == nil)
        let outcome = decode(good.replacingOccurrences(of: "enabled: true", with: "enabled: true\n  note: ~"))
        #expect(outcome.issues.isEmpty)
        #expect(outcome.value?.risk.note == nil)
    }

    @Test func wrongShapesAreReported() {
        let issues = decode("name: [a, b]\nrisk: 3\nitems: {}\n").issues
        #expect(issues.map(\.description) == [
            "config/sample.yaml:1: name: expected text, got a list",
            "config/sample.yaml:2: risk: expected a mapping (key: value lines), got '3'",
            "config/sample.yaml:3: items: expected a list, got a mapping",
        ])
    }

    @Test func syntaxAndDuplicateKeyErrorsNameTheLine() {
        let syntax = decode("name: sample\nrisk: [unclosed\n").issues
        #expect(syntax.count == 1)
        #expect(syntax.first?.message.hasPrefix("YAML syntax error") == true)
        let duplicate = decode(good + "\nname: again\n").issues
        #expect(duplicate.count == 1)
        #expect(duplicate.first?.message.contains("'name' appears more than once") == true)
        #expect(decode("").issues.first?.message == "the file is empty")
    }

    @Test func expandsVariables() {
        let yaml = good.replacingOccurrences(of: "name: sample", with: "name: ${APP_NAME}")
            .replacingOccurrences(of: "max_open_positions: 2", with: "max_open_positions: ${MAX_POS:-3}")
        let outcome = decode(yaml, environment: ["APP_NAME": "alpha"])
        #expect(outcome.issues.isEmpty)
        #expect(outcome.value?.name == "alpha")
        #expect(outcome.value?.risk.maxOpenPositions == 3)
        #expect(decode(yaml, environment: ["APP_NAME": "alpha", "MAX_POS": "7"]).value?.risk.maxOpenPositions == 7)
    }

    @Test func undefinedVariableNamesFileLineAndKey() {
        let yaml = good.replacingOccurrences(of: "name: sample", with: "name: ${APP_NAME}")
        let issues = decode(yaml).issues
        #expect(issues.count == 1)
        #expect(issues.first?.description.hasPrefix("config/sample.yaml:1: name: environment variable 'APP_NAME' is not set") == true)
    }

    @Test func mergeKeysBringInDefaults() {
        struct Pair: Codable { var a: Int; var b: Int }
        struct Doc: Codable { var base: Pair; var other: Pair }
        let outcome = StrictYAMLDecoder.decode(Doc.self, yaml: "base: &d {a: 1, b: 2}\nother:\n  <<: *d\n  b: 5\n", file: "x")
        #expect(outcome.issues.isEmpty)
        #expect(outcome.value?.other.a == 1)
        #expect(outcome.value?.other.b == 5)
    }

    @Test func validatorSkipsPathsThatFailedToDecode() {
        let outcome = decode(good.replacingOccurrences(of: "0.5", with: "five"))
        var v = outcome.validator()
        v.percent(outcome.value!.risk.perTradeRiskPct, "risk.per_trade_risk_pct")
        v.check(false, "risk.max_open_positions", "compared with per-trade risk", involving: ["risk.per_trade_risk_pct"])
        v.check(false, "risk.max_open_positions", "plain failure")
        #expect(v.issues.map(\.description) == ["config/sample.yaml:4: risk.max_open_positions: plain failure"])
    }

    @Test func suggestsCloseWordsOnly() {
        #expect(ConfigSuggestion.closest(to: "daily_max_loss_pc", among: ["daily_max_loss_pct", "max_drawdown_pct"]) == "daily_max_loss_pct")
        #expect(ConfigSuggestion.closest(to: "colour", among: ["date", "symbols"]) == nil)
        #expect(ConfigSuggestion.editDistance("kelyl", "kelly") == 1)
    }
}
