import Foundation
import Testing

/// `alert test` and `alert send` through the built executable, against a local SMTP server and a
/// local stand-in for Telegram's Bot API: one message per channel with the configured sender,
/// recipients and chat, the same alert sent once per interval, a dead channel reported (exit 69)
/// without the tool hanging, and no password or bot token in any output or log.
@Suite struct AlertToolTests {
    static let password = "smtp-pass-4471"
    static let botToken = "123456:bot-token-9q8w"

    static func home(smtp: SMTPStub?, telegram: TelegramStub?, telegramPort: Int? = nil) throws -> TestHome {
        let home = try TestHome()
        var env = "ENVIRONMENT=development\n"
        if let smtp {
            env += "SMTP_HOST=127.0.0.1\nSMTP_PORT=\(smtp.port)\nSMTP_USER=alerts@example.com\nSMTP_PASSWORD=\(password)\n"
            env += "SMTP_FROM=alerts@example.com\nSMTP_TO=trader@example.com,desk@example.com\n"
        }
        if telegram != nil || telegramPort != nil {
            env += "TELEGRAM_BOT_TOKEN=\(botToken)\nTELEGRAM_CHAT_ID=4242\n"
        }
        try home.writeDotEnv(env)
        let port = telegram?.port ?? telegramPort ?? 9
        try home.edit("config/general_config.yaml", replacing: "\nbackups:", with: """

            alerts:
              dedup_minutes: 15
              smtp_security: none
              telegram_api_url: http://127.0.0.1:\(port)

            backups:
            """)
        return home
    }

    static func noSecrets(_ home: TestHome, _ outputs: [String]) throws {
        for text in outputs + Array(try home.logFiles().values) {
            #expect(!text.contains(password) && !text.contains(botToken) && !text.contains("bot-token-9q8w"))
        }
    }

    @Test func aTestAlertReachesEachChannelOnce() async throws {
        let smtp = try SMTPStub()
        let telegram = try await TelegramStub()
        defer { smtp.stop(); telegram.stop() }
        let home = try Self.home(smtp: smtp, telegram: telegram)
        let result = try home.run("alert", ["test"])
        #expect(result.status == 0, "\(result.stdout.replacingOccurrences(of: "\n", with: " | ")) \(result.stderr)")
        #expect(result.stdout.contains("sent by email") && result.stdout.contains("sent by telegram"), "\(result.stdout)")

        let mail = try #require(smtp.messages.first)
        #expect(smtp.messages.count == 1)
        #expect(mail.from == "alerts@example.com" && mail.recipients == ["trader@example.com", "desk@example.com"])
        #expect(mail.authenticated == "alerts@example.com:\(Self.password)", "the credentials from .env")
        #expect(mail.data.contains("Subject: ALPHA-PRIME INFO: test alert"))
        #expect(mail.data.contains("To: trader@example.com, desk@example.com") && mail.data.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(mail.data.contains("if you read this, the channel works"))
        let message = try #require(telegram.messages.first)
        #expect(telegram.messages.count == 1 && message.token == Self.botToken && message.form["chat_id"] == "4242")
        #expect(message.form["text"]?.hasPrefix("ALPHA-PRIME INFO: test alert") == true)
        try Self.noSecrets(home, [result.stdout, result.stderr])
    }

    @Test func theSameAlertGoesOutOncePerIntervalAndADeadChannelSaysSo() async throws {
        let smtp = try SMTPStub()
        let telegram = try await TelegramStub()
        defer { smtp.stop(); telegram.stop() }
        let home = try Self.home(smtp: smtp, telegram: telegram)
        let arguments = ["send", "--kind", "backup_failed", "--severity", "critical", "--title", "backup failed",
                         "--message", "backup create exited 69: the database is unreachable"]
        let first = try home.run("alert", arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let again = try home.run("alert", arguments)
        #expect(again.status == 0 && again.stdout.contains("not sent again"), "\(again.stdout)")
        #expect(smtp.messages.count == 1 && telegram.messages.count == 1, "one alert, however often it is raised")
        #expect(smtp.messages.first?.data.contains("Subject: ALPHA-PRIME CRITICAL: backup failed") == true)
        #expect(telegram.messages.first?.form["text"]?.contains("the database is unreachable") == true)
        // Another key is another alert.
        let other = try home.run("alert", ["send", "--kind", "runbook_failed", "--title", "daily runbook: report failed"])
        #expect(other.status == 0 && smtp.messages.count == 2 && telegram.messages.count == 2, "\(other.stderr)")

        // Telegram down: its retries end, the failure is said, e-mail still goes.
        telegram.fail(true)
        let started = Date()
        let down = try home.run("alert", ["send", "--kind", "feed_stale", "--title", "feed stale", "--json"])
        #expect(down.status == 69, "\(down.stdout) \(down.stderr)")
        #expect(Date().timeIntervalSince(started) < 30, "bounded retries")
        #expect(down.stdout.contains("\"channel\" : \"telegram\"") && down.stdout.contains("HTTP 502"), "\(down.stdout)")
        #expect(smtp.messages.count == 3)
        let log = try home.logFiles().values.joined(separator: "\n")
        #expect(log.contains("alert could not be sent") && log.contains("alert sent"))
        try Self.noSecrets(home, [first.stdout, first.stderr, again.stdout, down.stdout, down.stderr])
    }

    /// Cron's `health-check --fast --alert`: each failed check mailed once (the broker's missing token
    /// as `broker_token`), not again on the next run within the interval; the exit status unchanged.
    @Test func healthCheckAlertsEachFailedCheckOnce() throws {
        let smtp = try SMTPStub()
        defer { smtp.stop() }
        let home = try Self.home(smtp: smtp, telegram: nil)
        let env = try String(contentsOf: home.path(".env"), encoding: .utf8)
        try home.writeDotEnv(env.replacingOccurrences(of: "ENVIRONMENT=development", with: "ENVIRONMENT=live\nENABLE_REAL_TRADING=true"))
        let day = ["ALPHA_PRIME_NOW": "2021-02-23T09:00:00+05:30"]
        let first = try home.run("health-check", ["--fast", "--alert"], environment: day)
        #expect(first.status == 1 && first.stdout.contains("[FAIL] broker"), "\(first.stdout)")
        let subjects = smtp.messages.compactMap { $0.data.components(separatedBy: "\n").first { $0.hasPrefix("Subject: ") } }
        #expect(subjects.contains("Subject: ALPHA-PRIME CRITICAL: health-check: broker FAILED"), "\(subjects) \(first.stderr)")
        #expect(subjects.count == first.stdout.components(separatedBy: "[FAIL]").count - 1, "one mail per failed check")
        let again = try home.run("health-check", ["--fast", "--alert"], environment: day)
        #expect(again.status == 1 && smtp.messages.count == subjects.count, "not again within alerts.dedup_minutes")
        try Self.noSecrets(home, [first.stdout, first.stderr, again.stdout, again.stderr])
    }

    @Test func withoutChannelsTestIsAConfigErrorAndSendSaysNothingWasSent() throws {
        let home = try Self.home(smtp: nil, telegram: nil)
        let test = try home.run("alert", ["test"])
        #expect(test.status == 78 && test.stderr.contains("no alert channel is configured"), "\(test.stderr)")
        let send = try home.run("alert", ["send", "--kind", "test", "--title", "hello"])
        #expect(send.status == 0 && send.stderr.contains("nothing sent"), "\(send.stderr)")
        let bad = try home.run("alert", ["send", "--kind", "nonsense", "--title", "x"])
        #expect(bad.status == 64 && bad.stderr.contains("kill_switch"), "\(bad.stderr)")
    }

    @Test func aMailServerThatIsNotThereFailsFastWithExit69() throws {
        // A port nothing listens on: refused at once.
        let home = try TestHome()
        try home.writeDotEnv("ENVIRONMENT=development\nSMTP_HOST=127.0.0.1\nSMTP_PORT=9\nSMTP_TO=trader@example.com\nSMTP_PASSWORD=\(Self.password)\nSMTP_USER=u\n")
        try home.edit("config/general_config.yaml", replacing: "\nbackups:", with: "\nalerts:\n  dedup_minutes: 15\n  smtp_security: none\n  telegram_api_url: https://api.telegram.org\n\nbackups:")
        let result = try home.run("alert", ["test"])
        #expect(result.status == 69 && result.stdout.contains("email FAILED"), "\(result.stdout) \(result.stderr)")
        try Self.noSecrets(home, [result.stdout, result.stderr])
    }
}
