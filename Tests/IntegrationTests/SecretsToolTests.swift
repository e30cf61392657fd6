import AlphaPrimeArchive
import Foundation
import Testing

/// Secrets from `.env` never reach a terminal, an error message or a log file, whatever the tool
/// does with them: prints the configuration, fails to reach the database, reports a broken file.
@Suite struct SecretsToolTests {
    static let secrets = ["sekr3t-value-123", "kite-key-abc-789", "tok-en-456-xyz", "mail-pa55-xyz", "pg-pa55word-456", "dash-b0ard-t0k"]

    static func dotEnv(databaseURL: String) -> String {
        """
        KITE_API_KEY=kite-key-abc-789
        KITE_API_SECRET=sekr3t-value-123
        KITE_ACCESS_TOKEN=tok-en-456-xyz
        SMTP_PASSWORD=mail-pa55-xyz
        DASHBOARD_TOKEN=dash-b0ard-t0k
        DATABASE_URL=\(databaseURL)

        """
    }

    static func expectNoSecret(_ result: ToolProcess.Result, _ what: String) {
        for secret in secrets {
            #expect(!result.output.contains(secret), "\(what) printed a secret: \(result.output)")
        }
    }

    static func expectNoSecretInLogs(_ home: TestHome) throws {
        let files = try home.logFiles()
        #expect(Set(files.keys).isSuperset(of: ["alpha_prime.log", "errors.log", "trades.log", "risk.log"]))
        #expect(!(files["alpha_prime.log"] ?? "").isEmpty, "the tools logged their events")
        for (name, text) in files {
            for secret in secrets {
                #expect(!text.contains(secret), "logs/\(name) holds a secret")
            }
        }
        _ = try home.logRecords()  // every line is a JSON object
    }

    /// Every built tool that does real work, run in a home whose `.env` holds secrets and whose
    /// database (with a password in its URL) cannot be reached.
    @Test func noToolPrintsOrLogsASecret() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.writeDotEnv(Self.dotEnv(databaseURL: "postgres://trader:pg-pa55word-456@127.0.0.1:1/alpha"))
        let trace = ["--log-level", "trace"]
        let runs: [(String, [String], Int32)] = [
            ("config-check", [], 0),
            ("config-check", ["--show"], 0),
            ("config-check", ["--show", "--json"], 0),
            ("config-check", ["--json"], 0),
            ("health-check", trace, 1),
            ("health-check", ["--json"], 1),
            ("db-maintenance", ["status"] + trace, 69),
            ("db-maintenance", ["migrate"], 69),
            ("db-maintenance", ["integrity-check", "--json"], 69),
            ("trading-calendar", ["is-trading-day", "2026-01-27"] + trace, 0),
        ]
        for (tool, arguments, status) in runs {
            let result = try home.run(tool, arguments)
            let what = ([tool] + arguments).joined(separator: " ")
            #expect(result.status == status, "\(what): \(result.output)")
            Self.expectNoSecret(result, what)
        }
        let show = try home.run("config-check", ["--show"])
        #expect(show.stdout.contains("api_secret: '********'"))
        #expect(show.stdout.contains("postgres://trader:********@127.0.0.1:1/alpha"))
        try Self.expectNoSecretInLogs(home)
        let errors = try home.logRecords("errors.log")
        #expect(errors.contains { $0["process"] as? String == "db-maintenance" }, "the failed db-maintenance runs are in errors.log")
    }

    /// A secret expanded into a value that is wrong: the error names file, line and key, not the value.
    @Test func configurationErrorsDoNotQuoteSecrets() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.writeDotEnv(Self.dotEnv(databaseURL: "sqlite:var/alpha_prime.db"))
        try home.edit("config/broker_config.yaml", replacing: "slippage_ticks: 1", with: "slippage_ticks: ${KITE_API_SECRET}")
        let check = try home.run("config-check")
        #expect(check.status == 78)
        #expect(check.stderr.contains("config/broker_config.yaml:11: paper.slippage_ticks: "), "\(check.stderr)")
        Self.expectNoSecret(check, "config-check")
        let json = try home.run("config-check", ["--json"])
        Self.expectNoSecret(json, "config-check --json")
        let health = try home.run("health-check", ["--fast"])
        #expect(health.status == 1)
        #expect(health.stdout.contains("[FAIL] configuration: config/broker_config.yaml:11: paper.slippage_ticks: "))
        Self.expectNoSecret(health, "health-check")
        let calendar = try home.run("trading-calendar", ["next", "2026-01-23"])
        #expect(calendar.status == 0)
        Self.expectNoSecret(calendar, "trading-calendar")
        try Self.expectNoSecretInLogs(home)
    }

    /// A reachable PostgreSQL with the password in DATABASE_URL: the URL is shown, the password never.
    @Test(.enabled(if: TestPostgres.enabled, TestPostgres.skipNote))
    func postgresPasswordNeverShows() throws {
        let schema = try TestPostgres.makeSchema()
        defer { schema.drop() }
        let home = try TestHome()
        defer { home.remove() }
        try home.writeDotEnv(Self.dotEnv(databaseURL: schema.url(password: "pg-pa55word-456")))
        for (tool, arguments) in [("db-maintenance", ["migrate"]), ("db-maintenance", ["status"]), ("db-maintenance", ["status", "--json"]),
                                  ("db-maintenance", ["integrity-check"]), ("health-check", ["--log-level", "trace"]),
                                  ("config-check", ["--show"])] {
            let result = try home.run(tool, arguments)
            #expect(result.status == 0, "\(tool) \(arguments): \(result.output)")
            Self.expectNoSecret(result, "\(tool) \(arguments)")
        }
        let status = try home.run("db-maintenance", ["status"])
        #expect(status.stdout.contains("database: postgres://postgres:***@"))
        try Self.expectNoSecretInLogs(home)
    }

    /// DATABASE_URL forms that used to leak: a raw `@` in the password (libpq took the rest for the
    /// host name and printed it), a key-value conninfo and a URL missing a `/` (echoed whole). Every
    /// tool that opens the database refuses them as a configuration problem without a piece of the
    /// password on its output or in the logs.
    @Test func malformedDatabaseURLsNeverShowThePassword() throws {
        let urls: [(url: String, pieces: [String])] = [
            ("postgres://alpha:pw1@ss_Xq9@127.0.0.1:1/alpha", ["pw1@", "ss_Xq9"]),
            ("host=127.0.0.1 port=1 dbname=alpha password=kvpa55-secret", ["kvpa55-secret"]),
            ("postgres:/u:slashpa55@h/db", ["slashpa55"]),
        ]
        for (url, pieces) in urls {
            let home = try TestHome()
            defer { home.remove() }
            try home.writeDotEnv("DATABASE_URL=\(url)\n")
            for (tool, arguments) in [("db-maintenance", ["status"]), ("health-check", ["--log-level", "trace"]),
                                      ("engine", ["status"]), ("config-check", ["--show"])] {
                let result = try home.run(tool, arguments)
                #expect(result.status != 0, "\(tool) accepted \(url)")
                #expect(result.stderr.contains("DATABASE_URL") || result.stdout.contains("DATABASE_URL"), "\(tool): \(result.output)")
                for piece in pieces { #expect(!result.output.contains(piece), "\(tool) showed \(piece): \(result.output)") }
            }
            for (name, text) in try home.logFiles() {
                for piece in pieces { #expect(!text.contains(piece), "logs/\(name) holds \(piece)") }
            }
        }
    }

    /// Fake secrets in `.env` (broker keys and tokens, SMTP and Redis passwords, the Telegram token),
    /// then a replayed paper day, `engine status`, a backtest with its report files, config-check,
    /// health-check and db-maintenance: no secret in any output, log, report file or the state
    /// database's bytes.
    @Test func aPaperDayAndABacktestLeaveNoSecretAnywhere() throws {
        let secrets = ["kite-key-abc-789", "sekr3t-value-123", "tok-en-456-xyz", "upstox-key-5511", "upstox-sekr3t-77",
                       "mail-pa55-xyz", "redis-pa55-991", "123456:tele-gram-token-xyz", "backup-pa55phrase-77"]
        let home = try EngineTestHome()
        try home.home.writeDotEnv("""
            KITE_API_KEY=kite-key-abc-789
            KITE_API_SECRET=sekr3t-value-123
            KITE_ACCESS_TOKEN=tok-en-456-xyz
            UPSTOX_API_KEY=upstox-key-5511
            UPSTOX_API_SECRET=upstox-sekr3t-77
            SMTP_HOST=127.0.0.1
            SMTP_USER=trader
            SMTP_PASSWORD=mail-pa55-xyz
            SMTP_TO=trader@example.com
            REDIS_URL=redis://:redis-pa55-991@127.0.0.1:6379/0
            TELEGRAM_BOT_TOKEN=123456:tele-gram-token-xyz
            TELEGRAM_CHAT_ID=42
            ALPHA_PRIME_BACKUP_PASSPHRASE=backup-pa55phrase-77

            """)
        var outputs: [(String, ToolProcess.Result)] = []
        for (tool, arguments) in [("config-check", ["--show"]), ("config-check", ["--show", "--json"]),
                                  ("health-check", ["--log-level", "trace"]), ("db-maintenance", ["status"]),
                                  ("engine", ["run", "--mode", "paper", "--replay", EngineToolTests.day, "--log-level", "trace"]),
                                  ("engine", ["status", "--json"]),
                                  ("backtest", ["--strategy", "mean_reversion,breakout_scalper,momentum", "--report", "detailed", "--log-level", "trace"]),
                                  ("report", ["daily", "--date", EngineToolTests.day, "--log-level", "trace"]),
                                  ("backup", ["create", "--log-level", "trace"]), ("analyze-logs", ["--json"]),
                                  ("archive", ["run", "--older-than", "30", "--dry-run"])] {
            outputs.append(("\(tool) \(arguments.joined(separator: " "))", try home.home.run(tool, arguments)))
        }
        #expect(outputs[4].1.status == 0, "\(outputs[4].1.output)")
        #expect(outputs[6].1.status == 0, "\(outputs[6].1.output)")
        for (what, result) in outputs {
            for secret in secrets { #expect(!result.output.contains(secret), "\(what) printed \(secret)") }
        }
        // Every file the runs wrote: logs, reports, the state database (and its WAL).
        var scanned = 0
        let root = home.home.root
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])?
            .compactMap { $0 as? URL }
            .filter { ["logs", "reports", "var"].contains($0.path.dropFirst(root.path.count + 1).split(separator: "/").first.map(String.init) ?? "") }
            ?? []
        for file in files where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let bytes = try Data(contentsOf: file)
            scanned += 1
            for secret in secrets { #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file.path) holds \(secret)") }
        }
        #expect(scanned >= 8, "logs, report files and the database were scanned (\(scanned) files)")
        // Every member of every backup, decompressed: .env is in it only sealed (env.enc).
        let backups = FileManager.default.enumerator(at: root.appending(path: "backups"), includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.lastPathComponent.hasSuffix(".tar.zst") } ?? []
        #expect(!backups.isEmpty, "a backup was taken")
        for file in backups {
            let manifest = try ArchiveReader.forEachMember(in: file) { member, bytes in
                for secret in secrets { #expect(Data(bytes).range(of: Data(secret.utf8)) == nil, "\(file.lastPathComponent): \(member.name) holds \(secret)") }
            }
            #expect(manifest.member(named: "env.enc") != nil, "the sealed .env is in the backup")
        }
    }
}
