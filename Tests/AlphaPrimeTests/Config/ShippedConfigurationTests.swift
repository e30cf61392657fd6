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

/// The files in the repository's `config/` load cleanly and say what the issues ask of them.
@Suite struct ShippedConfigurationTests {
    /// Loads a copy of the repository's config/ (so a developer's own .env cannot interfere).
    private func load(preset: String? = nil) throws -> AlphaPrimeConfiguration {
        let copy = try ConfigTestHome()
        return try copy.load(environment: [:], riskPreset: preset)
    }

    @Test(arguments: [nil, "prop_challenge", "funded_conservative", "dev", "reference"])
    func everyFileAndPresetLoadsCleanly(preset: String?) throws {
        let config = try load(preset: preset)
        #expect(config.riskPreset == preset ?? "default")
        #expect(config.risk.name == preset ?? "default")
        #expect(config.strategies.map(\.name) == ["bollinger_reference", "breakout_scalper", "mean_reversion", "momentum"])
        // The prop-challenge preset keeps momentum out.
        #expect(config.enabledStrategies.map(\.name)
                == (preset == "prop_challenge" ? ["breakout_scalper", "mean_reversion"] : ["breakout_scalper", "mean_reversion", "momentum"]))
    }

    @Test func unknownPresetListsTheAvailableOnes() throws {
        let home = try ConfigTestHome()
        let issues = home.issues(riskPreset: "yolo")
        #expect(issues.count == 1)
        #expect(issues.first?.file == "config/risk_config_yolo.yaml")
        #expect(issues.first?.message == "no risk preset 'yolo' (available: 'dev', 'funded_conservative', 'prop_challenge', 'reference')")
    }

    @Test func presetsCarryTheNumbersTheIssueStates() throws {
        let challenge = try load(preset: "prop_challenge").risk
        #expect(challenge.risk.perTradeRiskPct == 0.25)
        #expect(challenge.risk.dailyMaxLossPct == 2)
        #expect(challenge.risk.maxDrawdownPct == 4)
        let firm = try #require(challenge.propFirm)
        #expect(challenge.killSwitch.dailyLossPct < firm.dailyLossLimitPct)
        #expect(challenge.killSwitch.drawdownPct < firm.maxDrawdownPct)
        #expect(firm.profitTargetPct != nil && firm.minTradingDays != nil)
        // The kill switch just inside the firm's limits, above the preset's own; momentum kept out.
        #expect(challenge.killSwitch.dailyLossPct == 4.5 && challenge.killSwitch.drawdownPct == 9)
        #expect(firm.profitTargetDays == 21)
        #expect(challenge.disables(strategy: "momentum") && !challenge.disables(strategy: "mean_reversion"))

        let funded = try load(preset: "funded_conservative").risk
        #expect(funded.propFirm != nil)
        #expect(funded.risk.perTradeRiskPct < 0.5 && funded.sizing.method == .kelly)

        let dev = try load(preset: "dev").risk
        #expect(dev.sizing.method == .fixedQuantity && dev.sizing.fixedQuantityLots == 1)
        #expect(!dev.vixFilter.enabled)

        let reference = try load(preset: "reference").risk
        #expect(reference.sizing.method == .fixedQuantity)
        #expect(!reference.vixFilter.enabled && reference.correlation.groups.isEmpty)
        #expect(reference.timeFilters.noEntryFirstMinutes == 0 && reference.timeFilters.noEntryLastMinutes == 0)

        let standard = try load().risk
        #expect(standard.timeFilters.squareOffTime == TimeOfDay("15:20"))
        #expect(standard.propFirm == nil)
    }

    @Test func generalConfigHoldsCapitalInPaiseAndTheInstruments() throws {
        let general = try load().general
        #expect(general.capital.startingCapital.paise == Paise(100_000_000))
        #expect(general.app.timezone == "Asia/Kolkata")
        let nifty = try #require(general.instrument("NIFTY 50"))
        #expect(nifty.tickSizePaise == 5)
        #expect(nifty.lotSize > 0 && nifty.freezeQuantity >= nifty.lotSize)
        #expect(general.instrument("BANKNIFTY") != nil)
        #expect(general.trading.defaultSymbols == ["NIFTY 50", "BANKNIFTY"])
    }

    @Test func tradingHoursCarryTheNSETimetable() throws {
        let hours = try load().tradingHours
        #expect(hours.sessions.normal == .init(open: TimeOfDay("09:15")!, close: TimeOfDay("15:30")!))
        #expect(hours.sessions.preOpen == .init(open: TimeOfDay("09:00")!, close: TimeOfDay("09:08")!))
        #expect(hours.weeklyOff == [.saturday, .sunday])

        let holidays = Set(hours.holidays.map(\.date))
        #expect(holidays.count == hours.holidays.count)
        // 2021, from the data: the weekdays with no bars, plus the Muhurat day (evening session only).
        let weekdays2021 = hours.holidays.map(\.date).filter { $0.year == 2021 && !$0.isWeekend }.map(\.description)
        #expect(weekdays2021 == ["2021-01-26", "2021-03-11", "2021-03-29", "2021-04-02", "2021-04-14", "2021-04-21",
                                 "2021-05-13", "2021-07-21", "2021-08-19", "2021-09-10", "2021-10-15", "2021-11-04",
                                 "2021-11-05", "2021-11-19"])
        #expect(!holidays.contains(LocalDate("2021-02-24")!), "the 2021-02-24 outage was not a holiday")
        #expect(hours.holidays.filter { $0.date.year == 2025 }.count == 18)
        #expect(hours.holidays.filter { $0.date.year == 2026 }.count == 20)
        #expect(holidays.contains(LocalDate("2024-11-01")!) && holidays.contains(LocalDate("2025-10-21")!))

        let specials = Dictionary(uniqueKeysWithValues: hours.specialSessions.map { ($0.date.description, $0) })
        #expect(specials["2021-11-04"]?.normal == .init(open: TimeOfDay("18:15")!, close: TimeOfDay("19:15")!))
        #expect(specials["2024-11-01"]?.normal == .init(open: TimeOfDay("18:00")!, close: TimeOfDay("19:00")!))
        #expect(specials["2025-10-21"]?.normal == .init(open: TimeOfDay("13:45")!, close: TimeOfDay("14:45")!))
        #expect(specials["2021-02-24"]?.breaks?.count == 1)

        let change = try #require(hours.sessionChanges.first)
        #expect(change.effectiveFrom == LocalDate("2026-08-03"))
        #expect(hours.sessionHours(on: LocalDate("2026-07-31")!).closingAuction == nil)
        let after = hours.sessionHours(on: LocalDate("2026-08-03")!)
        #expect(after.closingAuction == .init(open: TimeOfDay("15:15")!, close: TimeOfDay("15:35")!))
        #expect(after.normal == hours.sessions.normal)
    }

    @Test func strategiesAreGenericParameterMaps() throws {
        let config = try load()
        let meanReversion = try #require(config.strategy(named: "mean_reversion"))
        #expect(meanReversion.symbols == ["NIFTY 50", "BANKNIFTY"])
        #expect(meanReversion.product == .mis)
        #expect(meanReversion.parameters.entries.first?.name == "lookback")
        let lookback = try #require(meanReversion.parameters["lookback"])
        #expect(lookback.value == .integer(20))
        #expect(lookback.range?.values.first == 10 && lookback.range?.values.last == 60)
        #expect(meanReversion.parameters.value("entry_z") == 2.0)
        #expect(config.enabledStrategies.count == 3)
    }

    @Test func tradingHoursLoadOnTheirOwn() throws {
        let copy = try ConfigTestHome()
        let hours = try withExtendedLifetime(copy) {
            try AlphaPrimeConfiguration.loadTradingHours(home: copy.home, environment: [:])
        }
        #expect(hours.exchange == "NSE")
    }
}

@Suite struct EnvExampleTests {
    @Test func listsEveryVariableAndParsesCleanly() throws {
        let url = ConfigTestHome.repositoryRoot.appending(path: ".env.example")
        let file = try #require(try DotEnvFile.load(url, file: ".env.example"))
        #expect(file.issues.isEmpty)
        #expect(file.entries.map(\.key) == EnvironmentSettings.variableNames)
        let (settings, issues) = EnvironmentSettings.resolve(environment: file.values, dotEnvLines: file.lines)
        #expect(issues.isEmpty)
        #expect(settings.databaseURL == "sqlite:var/alpha_prime.db")
        #expect(settings.environment == .development && !settings.enableRealTrading)
    }
}
