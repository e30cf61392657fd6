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

@Suite struct DotEnvFileTests {
    @Test func parsesCommentsExportsAndQuotes() {
        let text = """
            # a comment
            ENVIRONMENT=paper

            export LOG_LEVEL=debug
            KITE_API_KEY = abc123   # inline comment
            SMTP_PASSWORD="p#ss \\"word\\"\\n"
            TELEGRAM_CHAT_ID='-100 $HOME'
            HASH=a#b
            EMPTY=
            """
        let env = DotEnvFile.parse(text)
        #expect(env.issues.isEmpty)
        #expect(env.values == [
            "ENVIRONMENT": "paper", "LOG_LEVEL": "debug", "KITE_API_KEY": "abc123",
            "SMTP_PASSWORD": "p#ss \"word\"\n", "TELEGRAM_CHAT_ID": "-100 $HOME", "HASH": "a#b", "EMPTY": "",
        ])
        #expect(env.lines["KITE_API_KEY"] == 5)
    }

    @Test func errorsNameTheLineAndNeverTheValue() {
        let text = """
            GOOD=1
            no equals sign here
            1BAD=x
            OPEN="secret-value
            GOOD=2
            TRAIL='x' extra
            """
        let env = DotEnvFile.parse(text)
        #expect(env.issues.map(\.description) == [
            ".env:2: expected KEY=VALUE",
            ".env:3: '1BAD' is not a valid variable name (letters, digits and _, not starting with a digit)",
            ".env:4: OPEN: the value's double quote is not closed on this line",
            ".env:5: GOOD: GOOD is set twice (first on line 1); keep one",
            ".env:6: TRAIL: unexpected text after the closing quote",
        ])
        #expect(!env.issues.map(\.description).joined().contains("secret-value"))
        #expect(env.values == ["GOOD": "1"])
    }

    @Test func groupOrWorldReadableFileIsReported() throws {
        let home = try ConfigTestHome()
        try home.writeDotEnv("ENVIRONMENT=development\n", mode: 0o644)
        let url = home.root.appending(path: ".env")
        let finding = try #require(DotEnvFile.permissionFinding(url))
        #expect(finding.message.contains("mode 0644"))
        #expect(try home.load().findings.map(\.file) == [".env"])

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        #expect(DotEnvFile.permissionFinding(url) == nil)
        #expect(try home.load().findings.isEmpty)
    }
}

@Suite struct EnvironmentSettingsTests {
    @Test func defaultsWhenNothingIsSet() {
        let (settings, issues) = EnvironmentSettings.resolve(environment: [:])
        #expect(issues.isEmpty)
        #expect(settings.environment == .development)
        #expect(settings.logLevel == .info)
        #expect(settings.enablePaperTrading)
        #expect(!settings.enableRealTrading)
        #expect(settings.databaseURL == "sqlite:var/alpha_prime.db")
        #expect(settings.kite.apiKey == nil)
    }

    @Test func booleansAreStrictAndErrorsNameTheDotEnvLine() {
        let env = ["ENABLE_PAPER_TRADING": "yes", "ENVIRONMENT": "staging", "SMTP_PORT": "70000", "LOG_LEVEL": "loud"]
        let lines = ["ENABLE_PAPER_TRADING": 3, "ENVIRONMENT": 1, "SMTP_PORT": 9]
        let (_, issues) = EnvironmentSettings.resolve(environment: env, dotEnvLines: lines, processEnvironment: ["LOG_LEVEL": "loud"])
        #expect(issues.map(\.description) == [
            ".env:1: ENVIRONMENT: expected development, paper or live (production), got 'staging'",
            "environment: LOG_LEVEL: expected one of trace, debug, info, notice, warning, error, critical, got 'loud'",
            ".env:3: ENABLE_PAPER_TRADING: expected true or false, got 'yes'",
            ".env:9: SMTP_PORT: expected a port number from 1 to 65535, got '70000'",
        ])
    }

    @Test func realTradingNeedsLiveEnvironment() {
        let (_, issues) = EnvironmentSettings.resolve(environment: ["ENABLE_REAL_TRADING": "true", "ENVIRONMENT": "paper"],
                                                      dotEnvLines: ["ENABLE_REAL_TRADING": 4])
        #expect(issues.map(\.description) == [".env:4: ENABLE_REAL_TRADING: real trading can only be enabled when ENVIRONMENT is live (it is paper)"])
        let (live, none) = EnvironmentSettings.resolve(environment: ["ENABLE_REAL_TRADING": "TRUE", "ENVIRONMENT": "production"])
        #expect(none.isEmpty)
        #expect(live.environment == .live && live.enableRealTrading)
    }

    @Test func secretValuesIncludeTheDatabasePassword() {
        let (settings, issues) = EnvironmentSettings.resolve(environment: [
            "DATABASE_URL": "postgres://trader:s3cretpw@db.local:5432/alpha", "KITE_API_KEY": "kitekey1",
            "TELEGRAM_BOT_TOKEN": "123:bot-token", "TELEGRAM_CHAT_ID": "-1001", "SMTP_TO": "a@x.in, b@x.in",
        ])
        #expect(issues.isEmpty)
        #expect(Set(settings.secretValues) == ["s3cretpw", "kitekey1", "123:bot-token"])
        #expect(settings.smtp.to == ["a@x.in", "b@x.in"])
        let (_, bad) = EnvironmentSettings.resolve(environment: ["DATABASE_URL": "mysql://u:hunter2@h/db"])
        #expect(bad.count == 1)
        #expect(!bad[0].message.contains("hunter2"))
    }

    @Test func masksURLPasswords() {
        #expect(SecretNames.maskingURLPassword("postgres://trader:pw@h:5432/db") == "postgres://trader:********@h:5432/db")
        #expect(SecretNames.maskingURLPassword("postgresql://h/db?user=u&password=pw&x=1") == "postgresql://h/db?user=u&password=********&x=1")
        #expect(SecretNames.maskingURLPassword("sqlite:var/alpha_prime.db") == "sqlite:var/alpha_prime.db")
        #expect(SecretNames.isSecretKey("api_key") && SecretNames.isSecretKey("KITE_ACCESS_TOKEN") && SecretNames.isSecretKey("smtp_password"))
        #expect(!SecretNames.isSecretKey("max_instruments_per_connection") && !SecretNames.isSecretKey("instrument_token"))
        // The shell's working directories are paths, not passwords: redacting them would cut every path logged.
        #expect(!SecretNames.isSecretKey("PWD") && !SecretNames.isSecretKey("OLDPWD") && SecretNames.isSecretKey("DB_PWD"))
    }
}
