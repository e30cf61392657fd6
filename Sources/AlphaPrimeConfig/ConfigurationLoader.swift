import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

extension AlphaPrimeConfiguration {
    /// Loads and validates everything, collecting every problem in every file into one
    /// ``ConfigError`` (exit status 78).
    ///
    /// - Parameters:
    ///   - environment: the process environment; `.env` in the home fills in what it does not set.
    ///   - riskPreset: `prop_challenge` loads `risk_config_prop_challenge.yaml` instead of `risk_config.yaml`.
    ///   - checkAllRiskPresets: also validate every `risk_config_*.yaml` (what `config-check` does).
    public static func load(
        home: AlphaPrimeHome, environment: [String: String] = ProcessInfo.processInfo.environment,
        riskPreset: String? = nil, checkAllRiskPresets: Bool = false
    ) throws -> AlphaPrimeConfiguration {
        var loader = ConfigLoader(home: home)

        // Environment first: `${VAR}` in the YAML files expands from it.
        let dotEnvURL = home.envFile
        var dotEnv = DotEnvFile()
        do {
            if let file = try DotEnvFile.load(dotEnvURL) { dotEnv = file }
        } catch {
            loader.issues.append(ConfigIssue(file: ".env", line: nil, keyPath: "", message: "cannot be read: \(error.localizedDescription)"))
        }
        loader.issues += dotEnv.issues
        var findings: [ConfigFinding] = []
        if let finding = DotEnvFile.permissionFinding(dotEnvURL) { findings.append(finding) }
        let variables = dotEnv.values.merging(environment) { _, process in process }
        loader.variables = variables
        let (settings, environmentIssues) = EnvironmentSettings.resolve(
            environment: variables, dotEnvLines: dotEnv.lines, processEnvironment: environment)
        loader.issues += environmentIssues
        for (name, value) in variables where SecretNames.isSecretKey(name) && !value.isEmpty {
            loader.secrets.insert(value)
        }
        loader.secrets.formUnion(settings.secretValues)

        let general = loader.load(GeneralConfig.self, GeneralConfig.fileName) { $0.validate(&$1) }
        let hours = loader.load(TradingHoursConfig.self, TradingHoursConfig.fileName) { $0.validate(&$1) }
        let broker = loader.load(BrokerConfig.self, BrokerConfig.fileName) { $0.validate(&$1) }
        let riskFileName = RiskConfig.fileName(preset: riskPreset)
        let risk: ConfigLoader.Loaded<RiskConfig>
        if let preset = riskPreset, !preset.isEmpty,
           !preset.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }) || preset.contains("..") {
            loader.issues.append(ConfigIssue(file: "config/", line: nil, keyPath: "",
                                             message: "'\(preset)' is not a risk preset name (letters, digits, _ and -)"))
            risk = .init(value: nil, clean: false, outcome: nil)
        } else if riskFileName != RiskConfig.fileName, !FileManager.default.fileExists(atPath: loader.url(riskFileName).path) {
            let available = loader.riskPresets().map { "'\($0)'" }.joined(separator: ", ")
            loader.issues.append(ConfigIssue(
                file: "config/\(riskFileName)", line: nil, keyPath: "",
                message: "no risk preset '\(riskPreset ?? "")' (available: \(available.isEmpty ? "none" : available))"))
            risk = .init(value: nil, clean: false, outcome: nil)
        } else {
            risk = loader.load(RiskConfig.self, riskFileName) { $0.validate(&$1) }
        }
        let strategies = loader.loadStrategies()
        let strategyNames = Set(strategies.compactMap { $0.value?.name })
        let strategiesClean = strategies.allSatisfy { $0.clean }
        if checkAllRiskPresets {
            for preset in loader.riskPresets() where RiskConfig.fileName(preset: preset) != riskFileName {
                let loaded = loader.load(RiskConfig.self, RiskConfig.fileName(preset: preset)) { $0.validate(&$1) }
                if let value = loaded.value, let h = hours.value, hours.clean {
                    loader.crossCheck(loaded) { value.validate(&$0, against: h) }
                }
                if let value = loaded.value, value.strategies != nil, strategiesClean {
                    loader.crossCheck(loaded) { value.validate(&$0, strategyNames: strategyNames) }
                }
            }
        }

        // Checks across files: the file checked must have decoded (its placeholders are known and
        // skipped), the file it is checked against must be free of problems.
        let instruments = general.clean ? Set(general.value?.instruments.map(\.symbol) ?? []) : []
        if let r = risk.value {
            if let h = hours.value, hours.clean { loader.crossCheck(risk) { r.validate(&$0, against: h) } }
            if !instruments.isEmpty {
                loader.crossCheck(risk) { v in
                    for (i, group) in r.correlation.groups.enumerated() {
                        for (j, symbol) in group.symbols.enumerated() {
                            v.check(instruments.contains(symbol), "correlation.groups[\(i)].symbols[\(j)]",
                                    GeneralConfig.unknownSymbol(symbol, known: instruments))
                        }
                    }
                }
            }
        }
        if let r = risk.value, r.strategies != nil, strategiesClean {
            loader.crossCheck(risk) { r.validate(&$0, strategyNames: strategyNames) }
        }
        for strategy in strategies where strategy.value != nil {
            loader.crossCheck(strategy) { strategy.value!.validate(&$0, instruments: instruments, hours: hours.clean ? hours.value : nil) }
        }
        var seenNames: [String: String] = [:]
        for strategy in strategies {
            guard let value = strategy.value, let outcome = strategy.outcome else { continue }
            if let other = seenNames[value.name] {
                loader.crossCheck(strategy) { $0.error("name", "strategy '\(value.name)' is also defined in \(other)") }
            } else {
                seenNames[value.name] = outcome.file
            }
        }
        if settings.enableRealTrading, broker.value?.activeBroker == .paper {
            findings.append(ConfigFinding(file: "config/\(BrokerConfig.fileName)",
                                          message: "ENABLE_REAL_TRADING is true but active_broker is paper: no real order will be sent"))
        }

        let secrets = loader.secrets.filter { !$0.isEmpty }.sorted { ($0.count, $0) > ($1.count, $1) }
        if !loader.issues.isEmpty {
            let scrubbable = secrets.filter { $0.count >= 3 }
            throw ConfigError(issues: loader.sortedIssues.map { issue in
                var issue = issue
                issue.message = SecretNames.redact(issue.message, secrets: scrubbable)
                return issue
            }, findings: findings)
        }
        return AlphaPrimeConfiguration(
            home: home, environment: settings, general: general.value!, riskPreset: riskPreset ?? "default",
            riskFile: "config/\(riskFileName)", risk: risk.value!, broker: broker.value!, tradingHours: hours.value!,
            strategies: strategies.compactMap(\.value), findings: findings, secretValues: secrets)
    }

    /// Loads only `config/trading_hours.yaml` (with `${VAR}` expanded from `environment`), validated.
    public static func loadTradingHours(
        home: AlphaPrimeHome, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> TradingHoursConfig {
        var loader = ConfigLoader(home: home)
        loader.variables = environment
        let hours = loader.load(TradingHoursConfig.self, TradingHoursConfig.fileName) { $0.validate(&$1) }
        guard loader.issues.isEmpty, let value = hours.value else { throw ConfigError(issues: loader.sortedIssues) }
        return value
    }
}

/// Reads the files of one home, collecting issues and secrets as it goes.
struct ConfigLoader {
    struct Loaded<T> {
        var value: T?
        /// Decoded and validated without a single issue.
        var clean: Bool
        var outcome: StrictYAMLDecoder.Outcome<T>?
    }

    let home: AlphaPrimeHome
    var variables: [String: String] = [:]
    var issues: [ConfigIssue] = []
    var secrets: Set<String> = []

    init(home: AlphaPrimeHome) { self.home = home }

    /// Issues grouped by file (in the order files were read), each file's by line.
    var sortedIssues: [ConfigIssue] {
        var order: [String: Int] = [:]
        for issue in issues where order[issue.file] == nil { order[issue.file] = order.count }
        return issues.enumerated().sorted { a, b in
            (order[a.element.file]!, a.element.line ?? .max, a.offset) < (order[b.element.file]!, b.element.line ?? .max, b.offset)
        }.map(\.element)
    }

    func url(_ relative: String) -> URL { home.configDirectory.appending(path: relative) }

    mutating func load<T: Decodable>(_ type: T.Type, _ relative: String,
                                     validate: (T, inout ConfigValidator) -> Void) -> Loaded<T> {
        let file = "config/\(relative)"
        let url = url(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            issues.append(ConfigIssue(file: file, line: nil, keyPath: "", message: "the file is missing (looked in \(home.configDirectory.path))"))
            return Loaded(value: nil, clean: false, outcome: nil)
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            issues.append(ConfigIssue(file: file, line: nil, keyPath: "", message: "cannot be read as UTF-8 text: \(error.localizedDescription)"))
            return Loaded(value: nil, clean: false, outcome: nil)
        }
        let outcome = StrictYAMLDecoder.decode(T.self, yaml: text, file: file, environment: variables)
        var fileIssues = outcome.issues
        secrets.formUnion(outcome.secretValues)
        if let value = outcome.value {
            var validator = outcome.validator()
            validate(value, &validator)
            fileIssues += validator.issues
        }
        issues += fileIssues
        return Loaded(value: outcome.value, clean: fileIssues.isEmpty && outcome.value != nil, outcome: outcome)
    }

    /// Runs checks that involve other files against `loaded`'s lines.
    mutating func crossCheck<T>(_ loaded: Loaded<T>, _ body: (inout ConfigValidator) -> Void) {
        guard let outcome = loaded.outcome else { return }
        var validator = outcome.validator()
        body(&validator)
        issues += validator.issues
    }

    /// Preset names found in `config/` (`prop_challenge` for `risk_config_prop_challenge.yaml`).
    func riskPresets() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: home.configDirectory.path)) ?? []
        return names.filter { $0.hasPrefix("risk_config_") && $0.hasSuffix(".yaml") }
            .map { String($0.dropFirst("risk_config_".count).dropLast(".yaml".count)) }
            .sorted()
    }

    mutating func loadStrategies() -> [Loaded<StrategyConfig>] {
        let directory = home.configDirectory.appending(path: StrategyConfig.directoryName, directoryHint: .isDirectory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            issues.append(ConfigIssue(file: "config/\(StrategyConfig.directoryName)/", line: nil, keyPath: "",
                                      message: "the strategies directory is missing"))
            return []
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { name in
            load(StrategyConfig.self, "\(StrategyConfig.directoryName)/\(name)") { $0.validate(&$1) }
        }
    }
}
