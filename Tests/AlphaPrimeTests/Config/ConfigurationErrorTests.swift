import Foundation
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

/// A copy of `config/` broken on purpose reports exactly what is wrong, where.
@Suite struct ConfigurationErrorTests {
    @Test func misspeltKeyWrongTypeAndOutOfRangeInOneFile() throws {
        let home = try ConfigTestHome()
        let file = "risk_config.yaml"
        let negative = try home.replace(file, "per_trade_risk_pct: 0.5", with: "per_trade_risk_pct: -0.5")
        let wrongType = try home.replace(file, "max_drawdown_pct: 8.0", with: "max_drawdown_pct: eight")
        let misspelt = try home.replace(file, "max_open_positions: 2", with: "max_open_position: 2")

        let issues = home.issues()
        #expect(issues.map(\.description) == [
            "config/risk_config.yaml:\(negative): risk.per_trade_risk_pct: must be greater than 0, got -0.5",
            "config/risk_config.yaml:\(wrongType): risk.max_drawdown_pct: expected a number, got 'eight'",
            "config/risk_config.yaml:\(misspelt): risk.max_open_position: unknown key 'max_open_position'; did you mean 'max_open_positions'? (the required key 'max_open_positions' is missing)",
        ])
        #expect(issues.map(\.line) == [10, 12, 14])
    }

    @Test func misspeltKeyWrongTypeAndOutOfRangeSpreadOverFiles() throws {
        let home = try ConfigTestHome()
        let misspelt = try home.replace("general_config.yaml", "    tick_size_paise: 5           # 5 paise", with: "    tick_size_paisa: 5           # 5 paise")
        let wrongType = try home.replace("broker_config.yaml", "orders_per_minute: 400\n    orders_per_day: 5000             # per user",
                                         with: "orders_per_minute: many\n    orders_per_day: 5000             # per user")
        let outOfRange = try home.replace("risk_config.yaml", "daily_max_loss_pct: 2.0", with: "daily_max_loss_pct: 12.0")

        // A 12% daily max loss also puts the 3% kill switch below the limit it backs.
        let issues = home.issues()
        #expect(issues.map(\.file) == ["config/general_config.yaml", "config/broker_config.yaml", "config/risk_config.yaml",
                                        "config/risk_config.yaml"])
        #expect(issues.map(\.line) == [misspelt, wrongType, outOfRange, try home.line(of: "daily_loss_pct: 3.0", in: "risk_config.yaml")])
        #expect(issues.map(\.keyPath) == ["instruments[0].tick_size_paisa", "kite.rate_limits.orders_per_minute", "risk.daily_max_loss_pct",
                                           "kill_switch.daily_loss_pct"])
        #expect(issues.map(\.message) == [
            "unknown key 'tick_size_paisa'; did you mean 'tick_size_paise'? (the required key 'tick_size_paise' is missing)",
            "expected a whole number, got 'many'",
            "a daily max loss of 12% is above the max drawdown (8%)",
            "3% is below risk.daily_max_loss_pct (12%), the limit it backs: the kill switch would halt the run before the daily limit pauses it",
        ])
    }

    /// Every risk value is range-checked whether or not its feature is selected, and a kill switch
    /// below the soft limit it backs is refused, naming both keys.
    @Test func nonsenseRiskValuesAreRefusedEvenWhenTheirMethodIsNotSelected() throws {
        let home = try ConfigTestHome()
        let file = "risk_config.yaml"
        let kelly = try home.replace(file, "kelly_fraction: 0.25", with: "kelly_fraction: -0.25")
        let lookback = try home.replace(file, "kelly_lookback_trades: 50", with: "kelly_lookback_trades: -50")
        let lots = try home.replace(file, "fixed_quantity_lots: 1", with: "fixed_quantity_lots: -1")
        let window = try home.replace(file, "window_days: 60", with: "window_days: -60")
        let killDaily = try home.replace(file, "daily_loss_pct: 3.0", with: "daily_loss_pct: 0.01")
        let killDrawdown = try home.replace(file, "drawdown_pct: 10.0", with: "drawdown_pct: 5.0")

        let issues = home.issues()
        #expect(issues.map(\.keyPath) == [
            "sizing.kelly_fraction", "sizing.kelly_lookback_trades", "sizing.fixed_quantity_lots",
            "correlation.rolling.window_days", "kill_switch.daily_loss_pct", "kill_switch.drawdown_pct",
        ], "\(issues)")
        #expect(issues.map(\.line) == [kelly, lookback, lots, window, killDaily, killDrawdown])
        #expect(issues[0].message == "must be more than 0 and at most 1 (a fraction of full Kelly), got -0.25")
        #expect(issues[2].message == "must be greater than 0, got -1")
        #expect(issues[4].message.hasPrefix("0.01% is below risk.daily_max_loss_pct (2%), the limit it backs"))
        #expect(issues[5].message.hasPrefix("5% is below risk.max_drawdown_pct (8%)"))
    }

    /// A preset that disables a strategy config/strategies does not have, names it twice, or gives a
    /// profit-target window shorter than the firm's minimum days: each refused on its line.
    @Test func aPresetsStrategiesAndTargetWindowAreChecked() throws {
        let home = try ConfigTestHome()
        let file = "risk_config_prop_challenge.yaml"
        let unknown = try home.replace(file, "disabled: [momentum]", with: "disabled: [momentum, momentun, momentum]")
        let window = try home.replace(file, "profit_target_days: 21", with: "profit_target_days: 3")
        let issues = home.issues()
        #expect(issues.map(\.keyPath) == ["strategies.disabled[2]", "strategies.disabled[1]", "prop_firm.profit_target_days"], "\(issues)")
        #expect(issues.map(\.line) == [unknown, unknown, window])
        #expect(issues[0].message == "strategy 'momentum' is listed twice (also at line \(unknown))")
        #expect(issues[1].message.hasPrefix("no strategy named 'momentun' in config/strategies (known: bollinger_reference, "))
        #expect(issues[2].message == "a 3-day window is shorter than min_trading_days (5)")
    }

    @Test func theRegimeRuleIsRangeChecked() throws {
        let home = try ConfigTestHome()
        let slow = try home.replace("general_config.yaml", "slow_days: 200", with: "slow_days: 40")
        let band = try home.replace("general_config.yaml", "band_volatility_multiple: 1.0", with: "band_volatility_multiple: -1")
        let issues = home.issues()
        #expect(issues.map(\.keyPath) == ["regimes.slow_days", "regimes.band_volatility_multiple"], "\(issues)")
        #expect(issues.map(\.line) == [slow, band])
        #expect(issues.first?.message == "more than fast_days (50) and at most 1000 trading days, got 40")
    }

    @Test func errorsAreOneLinePerIssueAndExitWith78() throws {
        let home = try ConfigTestHome()
        try home.replace("risk_config.yaml", "per_trade_risk_pct: 0.5", with: "per_trade_risk_pct: -1")
        do {
            _ = try home.load()
            Issue.record("expected a ConfigError")
        } catch let error as ConfigError {
            #expect(error.exitStatus == .configError)
            #expect(ExitStatus.configError.rawValue == 78)
            #expect("\(error)" == "config/risk_config.yaml:10: risk.per_trade_risk_pct: must be greater than 0, got -1")
        }
    }

    @Test func squareOffOutsideTheSessionIsReported() throws {
        let home = try ConfigTestHome()
        let line = try home.replace("risk_config.yaml", #"square_off_time: "15:20""#, with: #"square_off_time: "16:10""#)
        let issues = home.issues()
        #expect(issues.count == 1)
        #expect(issues.first?.line == line)
        #expect(issues.first?.keyPath == "time_filters.square_off_time")
        #expect(issues.first?.message.hasPrefix("16:10 is outside the session in trading_hours.yaml (ordinary session 09:15–15:30") == true)
    }

    @Test func tradingHoursProblems() throws {
        let home = try ConfigTestHome()
        let file = "trading_hours.yaml"
        let notReal = try home.replace(file, "{date: 2025-02-26, name: Mahashivratri}", with: "{date: 2025-02-30, name: Mahashivratri}")
        let duplicate = try home.replace(file, "{date: 2025-03-14, name: Holi}", with: "{date: 2025-03-31, name: Holi}")
        let backwards = try home.replace(file, #"normal: {open: "18:15", close: "19:15"}"#, with: #"normal: {open: "19:15", close: "19:15"}"#)
        let issues = home.issues()
        #expect(issues.map(\.description) == [
            "config/trading_hours.yaml:\(notReal): holidays[41].date: '2025-02-30' is not a real date",
            "config/trading_hours.yaml:\(duplicate + 1): holidays[43].date: holiday 2025-03-31 is listed twice (also at line \(duplicate))",
            "config/trading_hours.yaml:\(backwards): special_sessions[1].normal: opens at 19:15 but closes at 19:15: the open must be before the close",
        ])
    }

    @Test func unknownNestedKeysInAStrategy() throws {
        let home = try ConfigTestHome()
        let line = try home.replace("strategies/momentum.yaml", "  stop_loss: {method: atr_multiple, parameter: stop_atr_multiple, trailing: true}",
                                    with: "  stop_loss: {method: atr_multiple, parameter: stop_atr_multiple, trailng: true}")
        let issues = home.issues()
        #expect(issues.map(\.description) == [
            "config/strategies/momentum.yaml:\(line): exits.stop_loss.trailng: unknown key 'trailng'; did you mean 'trailing'?",
        ])
    }

    @Test func strategyChecksAgainstOtherFiles() throws {
        let home = try ConfigTestHome()
        let symbol = try home.line(of: "symbols: [NIFTY 50, BANKNIFTY]", in: "strategies/breakout_scalper.yaml")
        try home.replace("strategies/breakout_scalper.yaml", "symbols: [NIFTY 50, BANKNIFTY]", with: "symbols: [NIFTY 50, BANKNIFY]")
        try home.replace("strategies/breakout_scalper.yaml", "take_profit: {method: r_multiple, parameter: target_r}",
                         with: "take_profit: {method: r_multiple, parameter: targt_r}")
        let issues = home.issues()
        #expect(issues.map(\.keyPath) == ["symbols[1]", "exits.take_profit.parameter"])
        #expect(issues.first?.line == symbol)
        #expect(issues.first?.message.contains("did you mean 'BANKNIFTY'?") == true)
        #expect(issues.last?.message == "'targt_r' is not one of this strategy's parameters; did you mean 'target_r'?")
    }

    @Test func missingFileIsReported() throws {
        let home = try ConfigTestHome()
        try FileManager.default.removeItem(at: home.url("broker_config.yaml"))
        let issues = home.issues()
        #expect(issues.count == 1)
        #expect(issues.first?.file == "config/broker_config.yaml")
        #expect(issues.first?.message.hasPrefix("the file is missing") == true)
    }

    // MARK: Variables

    @Test func variablesExpandFromEnvironmentAndDotEnvWithTheEnvironmentWinning() throws {
        let home = try ConfigTestHome()
        try home.replace("general_config.yaml", "name: ALPHA-PRIME", with: "name: ${DESK_NAME}")
        #expect(try home.load(environment: ["DESK_NAME": "from-environment"]).general.app.name == "from-environment")

        try home.writeDotEnv("DESK_NAME=from-dotenv\nLOG_LEVEL=debug\n")
        let fromFile = try home.load()
        #expect(fromFile.general.app.name == "from-dotenv")
        #expect(fromFile.general.logging.level == .debug)
        #expect(fromFile.environment.logLevel == .debug)
        #expect(try home.load(environment: ["DESK_NAME": "from-environment"]).general.app.name == "from-environment")
    }

    @Test func undefinedVariableNamesFileLineAndKey() throws {
        let home = try ConfigTestHome()
        let line = try home.replace("general_config.yaml", "name: ALPHA-PRIME", with: "name: ${DESK_NAME}")
        let issues = home.issues()
        #expect(issues.map(\.description) == [
            "config/general_config.yaml:\(line): app.name: environment variable 'DESK_NAME' is not set (set it in the environment or in .env, or write ${NAME:-default})",
        ])
    }

    // MARK: Secrets

    @Test func secretsAreMaskedInTheEffectiveConfiguration() throws {
        let home = try ConfigTestHome()
        try home.replace("broker_config.yaml", "active_broker: paper", with: "active_broker: kite")
        try home.writeDotEnv("""
            KITE_API_KEY=kitekey-0123456789
            KITE_API_SECRET="kitesecret-abcdef"
            KITE_ACCESS_TOKEN=accesstoken-zyxw
            SMTP_PASSWORD='smtp-pass-word'
            TELEGRAM_BOT_TOKEN=12345:telegram-bot-token
            TELEGRAM_CHAT_ID=-100200300
            DATABASE_URL=postgres://trader:db-pass-word@localhost:5432/alpha
            """)
        let config = try home.load()
        let secrets = ["kitekey-0123456789", "kitesecret-abcdef", "accesstoken-zyxw", "smtp-pass-word",
                       "12345:telegram-bot-token", "db-pass-word"]
        #expect(Set(secrets).isSubset(of: Set(config.secretValues)))
        #expect(config.broker.kite.apiKey == "kitekey-0123456789")
        #expect(config.environment.kite.accessToken == "accesstoken-zyxw")

        for text in [try config.effectiveYAML(), try config.effectiveJSON()] {
            for secret in secrets { #expect(!text.contains(secret), "\(secret) leaked") }
            #expect(text.contains(SecretNames.mask))
            #expect(text.contains("postgres://trader:********@localhost:5432/alpha"))
            #expect(text.contains("-100200300"), "a chat id is not a secret")
        }
        let json = try JSONSerialization.jsonObject(with: Data(try config.effectiveJSON().utf8)) as? [String: Any]
        let broker = json?["broker"] as? [String: Any], kite = broker?["kite"] as? [String: Any]
        #expect(kite?["api_key"] as? String == SecretNames.mask)
        #expect(kite?["base_url"] as? String == "https://api.kite.trade")
    }

    @Test func secretsNeverAppearInErrorMessages() throws {
        let home = try ConfigTestHome()
        try home.replace("broker_config.yaml", "request_seconds: 10\n  retries:\n    max_attempts: 3\n    backoff_ms: 500\n    max_backoff_ms: 4000\n    placement_lookup_seconds",
                         with: "request_seconds: ${KITE_API_SECRET}\n  retries:\n    max_attempts: 3\n    backoff_ms: 500\n    max_backoff_ms: 4000\n    placement_lookup_seconds")
        try home.writeDotEnv("KITE_API_SECRET=not-a-number-secret\nDATABASE_URL=mysql://u:dbpassword@h/x\n")
        let issues = home.issues()
        #expect(issues.map(\.keyPath) == ["DATABASE_URL", "kite.timeouts.request_seconds"])
        let text = issues.map(\.description).joined(separator: "\n")
        #expect(!text.contains("not-a-number-secret"))
        #expect(!text.contains("dbpassword"))
        #expect(text.contains("expected a number, got '********'"))
    }

    @Test func activeLiveBrokerNeedsItsKeys() throws {
        let home = try ConfigTestHome()
        try home.replace("broker_config.yaml", "active_broker: paper", with: "active_broker: upstox")
        let issues = home.issues()
        #expect(issues.map(\.keyPath) == ["upstox.api_key", "upstox.api_secret"])
        #expect(issues.first?.message == "required when active_broker is upstox; set UPSTOX_API_KEY in .env")
    }
}
