import AlphaPrimeSupport
import Logging

/// Where the platform is running: development (no orders leave the machine), paper (simulated
/// fills), live (real orders, still gated by `ENABLE_REAL_TRADING` and a confirm flag).
public enum DeploymentEnvironment: String, Codable, Sendable, CaseIterable, ConfigChoice {
    case development, paper, live

    public init(configText text: String) throws {
        switch text.lowercased() {
        case "development", "dev": self = .development
        case "paper": self = .paper
        case "live", "production", "prod": self = .live
        default:
            throw ConfigValueError("expected development, paper or live (production), got '\(text)'")
        }
    }
}

/// The settings that come from the environment and `.env` (see `.env.example`), typed.
public struct EnvironmentSettings: Sendable, Codable, Equatable {
    public struct BrokerCredentials: Sendable, Codable, Equatable {
        public var apiKey: String?
        public var apiSecret: String?
        public var accessToken: String?

        enum CodingKeys: String, CodingKey {
            case apiKey = "api_key", apiSecret = "api_secret", accessToken = "access_token"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(apiKey, forKey: .apiKey)
            try c.encode(apiSecret, forKey: .apiSecret)
            try c.encode(accessToken, forKey: .accessToken)
        }
    }

    public struct SMTP: Sendable, Codable, Equatable {
        public var host: String?
        public var port: Int
        public var user: String?
        public var password: String?
        public var from: String?
        /// Recipients, from a comma-separated `SMTP_TO`.
        public var to: [String]

        public var isConfigured: Bool { host != nil && !to.isEmpty }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(host, forKey: .host)
            try c.encode(port, forKey: .port)
            try c.encode(user, forKey: .user)
            try c.encode(password, forKey: .password)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
        }
    }

    public struct Telegram: Sendable, Codable, Equatable {
        public var botToken: String?
        public var chatID: String?

        public var isConfigured: Bool { botToken != nil && chatID != nil }

        enum CodingKeys: String, CodingKey {
            case botToken = "bot_token", chatID = "chat_id"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(botToken, forKey: .botToken)
            try c.encode(chatID, forKey: .chatID)
        }
    }

    public var environment: DeploymentEnvironment
    public var logLevel: Logger.Level
    public var enablePaperTrading: Bool
    public var enableRealTrading: Bool
    /// `sqlite:var/alpha_prime.db` (relative to the home) or `postgres://…`.
    public var databaseURL: String
    public var redisURL: String?
    public var alphaPrimeHome: String?
    public var kite: BrokerCredentials
    public var upstox: BrokerCredentials
    public var smtp: SMTP
    public var telegram: Telegram
    /// `ALPHA_PRIME_BACKUP_PASSPHRASE`: `backup create` encrypts `.env` under a key derived from it;
    /// without it `.env` is left out of backups.
    public var backupPassphrase: String? = nil
    /// `DASHBOARD_TOKEN`: what the dashboard's controls (and, off loopback, its pages) ask for;
    /// without it the dashboard is read-only.
    public var dashboardToken: String? = nil

    public static let defaultDatabaseURL = "sqlite:var/alpha_prime.db"

    /// Every variable the platform reads, in the order `.env.example` documents them.
    public static let variableNames = [
        "ENVIRONMENT", "LOG_LEVEL", "ENABLE_PAPER_TRADING", "ENABLE_REAL_TRADING", "DATABASE_URL", "REDIS_URL",
        "ALPHA_PRIME_HOME", "KITE_API_KEY", "KITE_API_SECRET", "KITE_ACCESS_TOKEN", "UPSTOX_API_KEY",
        "UPSTOX_API_SECRET", "UPSTOX_ACCESS_TOKEN", "SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD",
        "SMTP_FROM", "SMTP_TO", "TELEGRAM_BOT_TOKEN", "TELEGRAM_CHAT_ID", "ALPHA_PRIME_BACKUP_PASSPHRASE",
        "DASHBOARD_TOKEN",
    ]

    enum CodingKeys: String, CodingKey {
        case environment, logLevel = "log_level", enablePaperTrading = "enable_paper_trading"
        case enableRealTrading = "enable_real_trading", databaseURL = "database_url", redisURL = "redis_url"
        case alphaPrimeHome = "alpha_prime_home", kite, upstox, smtp, telegram, backupPassphrase = "backup_passphrase"
        case dashboardToken = "dashboard_token"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(environment, forKey: .environment)
        try c.encode(logLevel, forKey: .logLevel)
        try c.encode(enablePaperTrading, forKey: .enablePaperTrading)
        try c.encode(enableRealTrading, forKey: .enableRealTrading)
        try c.encode(databaseURL, forKey: .databaseURL)
        try c.encode(redisURL, forKey: .redisURL)
        try c.encode(alphaPrimeHome, forKey: .alphaPrimeHome)
        try c.encode(kite, forKey: .kite)
        try c.encode(upstox, forKey: .upstox)
        try c.encode(smtp, forKey: .smtp)
        try c.encode(telegram, forKey: .telegram)
        try c.encode(backupPassphrase, forKey: .backupPassphrase)
        try c.encode(dashboardToken, forKey: .dashboardToken)
    }

    /// Reads the settings from `environment` (the process environment merged with `.env`).
    /// A problem names the `.env` line the value came from (`dotEnvLines`), or the variable in the
    /// process environment.
    public static func resolve(
        environment: [String: String], dotEnvLines: [String: Int] = [:], dotEnvFile: String = ".env",
        processEnvironment: [String: String] = [:]
    ) -> (settings: EnvironmentSettings, issues: [ConfigIssue]) {
        var reader = Reader(environment: environment, dotEnvLines: dotEnvLines, dotEnvFile: dotEnvFile,
                            processEnvironment: processEnvironment)
        let settings = EnvironmentSettings(
            environment: reader.choice("ENVIRONMENT", default: .development),
            logLevel: reader.choice("LOG_LEVEL", default: .info),
            enablePaperTrading: reader.bool("ENABLE_PAPER_TRADING", default: true),
            enableRealTrading: reader.bool("ENABLE_REAL_TRADING", default: false),
            databaseURL: reader.text("DATABASE_URL") ?? defaultDatabaseURL,
            redisURL: reader.text("REDIS_URL"),
            alphaPrimeHome: reader.text("ALPHA_PRIME_HOME"),
            kite: BrokerCredentials(apiKey: reader.text("KITE_API_KEY"), apiSecret: reader.text("KITE_API_SECRET"),
                                    accessToken: reader.text("KITE_ACCESS_TOKEN")),
            upstox: BrokerCredentials(apiKey: reader.text("UPSTOX_API_KEY"), apiSecret: reader.text("UPSTOX_API_SECRET"),
                                      accessToken: reader.text("UPSTOX_ACCESS_TOKEN")),
            smtp: SMTP(host: reader.text("SMTP_HOST"), port: reader.port("SMTP_PORT", default: 587),
                       user: reader.text("SMTP_USER"), password: reader.text("SMTP_PASSWORD"),
                       from: reader.text("SMTP_FROM"),
                       to: (reader.text("SMTP_TO") ?? "").split(separator: ",")
                           .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }),
            telegram: Telegram(botToken: reader.text("TELEGRAM_BOT_TOKEN"), chatID: reader.text("TELEGRAM_CHAT_ID")),
            backupPassphrase: reader.text("ALPHA_PRIME_BACKUP_PASSPHRASE"),
            dashboardToken: reader.text("DASHBOARD_TOKEN"))
        settings.check(&reader)
        return (settings, reader.issues)
    }

    private func check(_ reader: inout Reader) {
        if enableRealTrading && environment != .live {
            reader.problem("ENABLE_REAL_TRADING",
                           "real trading can only be enabled when ENVIRONMENT is live (it is \(environment.rawValue))")
        }
        let url = databaseURL
        if !(url.hasPrefix("sqlite:") || url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
            // Never echoed: a key-value conninfo or a mistyped URL may hold a password anywhere.
            reader.problem("DATABASE_URL", "expected sqlite:PATH or postgres://user:password@host:port/database, "
                + "got \(SecretNames.schemeDescription(url)) (the value is not shown: it may hold a password)")
        } else if SecretNames.hasRawAtInUserInfo(url) {
            reader.problem("DATABASE_URL", "the user or password holds a raw '@': write it as %40 "
                + "(postgres://user:p%40ss@host/db); the value is not shown")
        } else if url == "sqlite:" {
            reader.problem("DATABASE_URL", "sqlite: needs a file path, e.g. sqlite:var/alpha_prime.db")
        }
        if let redis = redisURL, !(redis.hasPrefix("redis://") || redis.hasPrefix("rediss://")) {
            reader.problem("REDIS_URL", "expected redis://HOST:PORT or rediss://…")
        }
        if smtp.host != nil, smtp.to.isEmpty {
            reader.problem("SMTP_TO", "SMTP_HOST is set but SMTP_TO names no recipient")
        }
        if (telegram.botToken == nil) != (telegram.chatID == nil) {
            reader.problem(telegram.botToken == nil ? "TELEGRAM_BOT_TOKEN" : "TELEGRAM_CHAT_ID",
                           "TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID go together; set both or neither")
        }
    }

    /// Values of every secret setting (broker keys, tokens, passwords, a URL's password), for
    /// redaction.
    public var secretValues: [String] {
        var values = [kite.apiKey, kite.apiSecret, kite.accessToken, upstox.apiKey, upstox.apiSecret,
                      upstox.accessToken, smtp.password, telegram.botToken, backupPassphrase, dashboardToken].compactMap { $0 }
        values += [databaseURL, redisURL].compactMap { $0 }.flatMap(SecretNames.urlPasswords)
        // A value that is not a URL (a key-value conninfo, a typo) is kept out of the logs whole.
        if !databaseURL.contains("://") && !databaseURL.hasPrefix("sqlite:") { values.append(databaseURL) }
        return values.filter { !$0.isEmpty }
    }

    private struct Reader {
        let environment: [String: String]
        let dotEnvLines: [String: Int]
        let dotEnvFile: String
        let processEnvironment: [String: String]
        var issues: [ConfigIssue] = []

        /// A problem with a variable, located at its `.env` line unless the process environment set it.
        mutating func problem(_ name: String, _ message: String) {
            if processEnvironment[name] == nil, let line = dotEnvLines[name] {
                issues.append(ConfigIssue(file: dotEnvFile, line: line, keyPath: name, message: message))
            } else {
                issues.append(ConfigIssue(file: "environment", line: nil, keyPath: name, message: message))
            }
        }

        /// The variable's value, or nil when unset or empty.
        func text(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }

        mutating func bool(_ name: String, default value: Bool) -> Bool {
            guard let text = text(name) else { return value }
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default:
                problem(name, "expected true or false, got '\(text.prefix(40))'")
                return value
            }
        }

        mutating func choice<T: ConfigScalarDecodable>(_ name: String, default value: T) -> T {
            guard let text = text(name) else { return value }
            do {
                return try T(configText: text.lowercased())
            } catch {
                problem(name, ConfigValueError.message(of: error))
                return value
            }
        }

        mutating func port(_ name: String, default value: Int) -> Int {
            guard let text = text(name) else { return value }
            guard let port = Int(text), (1...65_535).contains(port) else {
                problem(name, "expected a port number from 1 to 65535, got '\(text.prefix(20))'")
                return value
            }
            return port
        }
    }
}

import Foundation
