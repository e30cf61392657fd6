import AlphaPrimeSupport
import Foundation
import Logging

/// `config/general_config.yaml`: the application, capital, paths, logging, default symbols and
/// the instruments the platform trades.
public struct GeneralConfig: Codable, Sendable, Equatable {
    public struct App: Codable, Sendable, Equatable {
        public var name: String
        /// Market logic runs in this zone; NSE is `Asia/Kolkata`.
        public var timezone: String
    }

    public struct Capital: Codable, Sendable, Equatable {
        /// Written in rupees, held in paise.
        public var startingCapital: Rupees
        public var currency: String

        enum CodingKeys: String, CodingKey { case startingCapital = "starting_capital", currency }
    }

    /// Directories, relative to the home unless absolute.
    public struct Paths: Codable, Sendable, Equatable {
        public var data: String
        public var marketData: String
        public var logs: String
        public var reports: String
        public var backups: String
        public var state: String

        enum CodingKeys: String, CodingKey {
            case data, marketData = "market_data", logs, reports, backups, state
        }
    }

    public enum LogFormat: String, Codable, Sendable, CaseIterable, ConfigChoice { case json, logfmt }

    public struct LogSettings: Codable, Sendable, Equatable {
        public var level: Logger.Level
        public var format: LogFormat
        /// File names under the logs directory, by concern.
        public var files: LogFiles
        /// `cleanup-logs` rotates a file larger than this many MiB; a fraction is allowed (`0.5`).
        public var maxFileSizeMB: Double
        /// `cleanup-logs` deletes compressed logs rotated more than this many days ago.
        public var retentionDays: Int

        /// ``maxFileSizeMB`` in bytes (1 MB = 1,048,576 bytes).
        public var maxFileSizeBytes: Int64 { Int64((maxFileSizeMB * 1_048_576).rounded(.up)) }

        enum CodingKeys: String, CodingKey {
            case level, format, files, maxFileSizeMB = "max_file_size_mb", retentionDays = "retention_days"
        }
    }

    public struct LogFiles: Codable, Sendable, Equatable {
        public var all: String
        public var trades: String
        public var risk: String
        public var errors: String
    }

    public struct Portfolio: Codable, Sendable, Equatable {
        /// How often the engine writes a `portfolio_history` snapshot while the market is open.
        public var snapshotIntervalSeconds: Int

        enum CodingKeys: String, CodingKey { case snapshotIntervalSeconds = "snapshot_interval_seconds" }
    }

    public struct Trading: Codable, Sendable, Equatable {
        public var defaultSymbols: [String]
        public var defaultProduct: ProductType

        enum CodingKeys: String, CodingKey { case defaultSymbols = "default_symbols", defaultProduct = "default_product" }
    }

    /// What `backup` keeps and how hard it compresses (`backups:`; optional, with these defaults).
    public struct Backups: Codable, Sendable, Equatable {
        /// zstd level, 1 (fast) to 19 (small).
        public var compressionLevel: Int
        /// How many backups of each kind `backup prune` keeps.
        public var keepDaily: Int
        public var keepWeekly: Int
        public var keepMonthly: Int

        public static let defaults = Backups(compressionLevel: 10, keepDaily: 7, keepWeekly: 4, keepMonthly: 12)

        public init(compressionLevel: Int, keepDaily: Int, keepWeekly: Int, keepMonthly: Int) {
            self.compressionLevel = compressionLevel
            self.keepDaily = keepDaily
            self.keepWeekly = keepWeekly
            self.keepMonthly = keepMonthly
        }

        enum CodingKeys: String, CodingKey {
            case compressionLevel = "compression_level", keepDaily = "keep_daily", keepWeekly = "keep_weekly"
            case keepMonthly = "keep_monthly"
        }
    }

    /// How alerts are sent (`alerts:`; optional, with these defaults). The channels and their
    /// credentials come from `.env` (`SMTP_*`, `TELEGRAM_*`).
    public struct Alerts: Codable, Sendable, Equatable {
        public enum MailSecurity: String, Codable, Sendable, CaseIterable, ConfigChoice { case starttls, ssl, none }

        /// The same alert (kind and key) is sent at most once in this many minutes.
        public var dedupMinutes: Double
        /// `starttls` (port 587), `ssl` (port 465) or `none` (a relay on this machine).
        public var smtpSecurity: MailSecurity
        /// The Telegram Bot API's address.
        public var telegramAPIURL: String

        public static let defaults = Alerts(dedupMinutes: 15, smtpSecurity: .starttls, telegramAPIURL: "https://api.telegram.org")

        public init(dedupMinutes: Double, smtpSecurity: MailSecurity, telegramAPIURL: String) {
            self.dedupMinutes = dedupMinutes
            self.smtpSecurity = smtpSecurity
            self.telegramAPIURL = telegramAPIURL
        }

        enum CodingKeys: String, CodingKey {
            case dedupMinutes = "dedup_minutes", smtpSecurity = "smtp_security", telegramAPIURL = "telegram_api_url"
        }
    }

    /// The web dashboard (`dashboard:`; optional, with these defaults). Its control token comes from
    /// `.env` (`DASHBOARD_TOKEN`).
    public struct Dashboard: Codable, Sendable, Equatable {
        /// The address it listens on: `127.0.0.1` unless told otherwise (another address needs
        /// `DASHBOARD_TOKEN`, and then every page asks for it).
        public var host: String
        public var port: Int
        /// While the market is open the pages reload themselves this often.
        public var refreshSeconds: Int

        public static let defaults = Dashboard(host: "127.0.0.1", port: 8050, refreshSeconds: 5)

        public init(host: String, port: Int, refreshSeconds: Int) {
            self.host = host
            self.port = port
            self.refreshSeconds = refreshSeconds
        }

        /// Whether `host` is this machine only.
        public var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host) }

        enum CodingKeys: String, CodingKey {
            case host, port, refreshSeconds = "refresh_seconds"
        }
    }

    public var app: App
    public var capital: Capital
    public var paths: Paths
    public var logging: LogSettings
    public var portfolio: Portfolio
    public var trading: Trading
    public var instruments: [InstrumentConfig]
    public var backups: Backups?
    public var alerts: Alerts?
    public var dashboard: Dashboard?
    public var regimes: Regimes?
    public var lifecycle: Lifecycle?

    /// `dashboard:` as configured, or the defaults.
    public var dashboardSettings: Dashboard { dashboard ?? .defaults }

    /// `alerts:` as configured, or the defaults.
    public var alertSettings: Alerts { alerts ?? .defaults }

    /// `backups:` as configured, or the defaults.
    public var backupSettings: Backups { backups ?? .defaults }

    public static let fileName = "general_config.yaml"

    /// The instrument with this symbol.
    public func instrument(_ symbol: String) -> InstrumentConfig? { instruments.first { $0.symbol == symbol } }

    public func validate(_ v: inout ConfigValidator) {
        v.nonEmpty(app.name, "app.name")
        if TimeZone(identifier: app.timezone) == nil {
            v.error("app.timezone", "'\(app.timezone)' is not a time zone; NSE trades in Asia/Kolkata")
        } else {
            v.check(app.timezone == "Asia/Kolkata", "app.timezone",
                    "NSE trades in Asia/Kolkata (IST); market logic cannot run in '\(app.timezone)'")
        }
        v.check(capital.startingCapital.paise > .zero, "capital.starting_capital",
                "must be greater than 0 rupees, got \(capital.startingCapital)")
        v.check(capital.currency == "INR", "capital.currency", "NSE trades in INR, got '\(capital.currency)'")
        for (key, value) in [("data", paths.data), ("market_data", paths.marketData), ("logs", paths.logs),
                             ("reports", paths.reports), ("backups", paths.backups), ("state", paths.state)] {
            v.nonEmpty(value, "paths.\(key)")
        }
        for (key, value) in [("all", logging.files.all), ("trades", logging.files.trades),
                             ("risk", logging.files.risk), ("errors", logging.files.errors)] {
            v.nonEmpty(value, "logging.files.\(key)")
            v.check(!value.contains("/"), "logging.files.\(key)", "a file name inside the logs directory, not a path")
        }
        v.check(logging.maxFileSizeMB.isFinite && logging.maxFileSizeMB >= 0.001 && logging.maxFileSizeMB <= 1_048_576,
                "logging.max_file_size_mb",
                "a size in MB from 0.001 (1 KB) to 1048576 (1 TB), got \(ConfigValidator.format(logging.maxFileSizeMB))")
        v.positive(logging.retentionDays, "logging.retention_days")
        v.positive(portfolio.snapshotIntervalSeconds, "portfolio.snapshot_interval_seconds")
        v.check(portfolio.snapshotIntervalSeconds <= 3_600, "portfolio.snapshot_interval_seconds",
                "at most 3600 seconds (one hour), got \(portfolio.snapshotIntervalSeconds)")

        if let b = backups {
            v.check((1...19).contains(b.compressionLevel), "backups.compression_level",
                    "a zstd level from 1 (fast) to 19 (small), got \(b.compressionLevel)")
            for (key, value) in [("keep_daily", b.keepDaily), ("keep_weekly", b.keepWeekly), ("keep_monthly", b.keepMonthly)] {
                v.check((1...1_000).contains(value), "backups.\(key)", "keep 1 to 1000 backups of the kind, got \(value)")
            }
        }
        if let a = alerts {
            v.check(a.dedupMinutes >= 0 && a.dedupMinutes <= 1_440, "alerts.dedup_minutes",
                    "0 to 1440 minutes (a day), got \(a.dedupMinutes)")
            v.check(a.telegramAPIURL.hasPrefix("https://") || a.telegramAPIURL.hasPrefix("http://"), "alerts.telegram_api_url",
                    "an http:// or https:// address, got '\(a.telegramAPIURL)'")
        }
        if let d = dashboard {
            v.nonEmpty(d.host, "dashboard.host")
            v.check((0...65_535).contains(d.port), "dashboard.port", "a TCP port from 1 to 65535 (0: any free port), got \(d.port)")
            v.check((1...3_600).contains(d.refreshSeconds), "dashboard.refresh_seconds", "1 to 3600 seconds, got \(d.refreshSeconds)")
        }
        regimes?.validate(&v)
        lifecycle?.validate(&v)
        v.check(!instruments.isEmpty, "instruments", "list at least one instrument")
        v.unique(instruments.map(\.symbol), path: { "instruments[\($0)].symbol" }, describe: { "symbol '\($0)'" })
        for (i, instrument) in instruments.enumerated() {
            instrument.validate(&v, at: "instruments[\(i)]")
        }
        let known = Set(instruments.map(\.symbol))
        v.check(!trading.defaultSymbols.isEmpty, "trading.default_symbols", "list at least one symbol")
        for (i, symbol) in trading.defaultSymbols.enumerated() {
            v.check(known.contains(symbol), "trading.default_symbols[\(i)]",
                    Self.unknownSymbol(symbol, known: known), involving: ["instruments"])
        }
    }

    package static func unknownSymbol(_ symbol: String, known: Set<String>) -> String {
        var message = "'\(symbol)' is not one of the instruments in general_config.yaml (\(known.sorted().joined(separator: ", ")))"
        if let suggestion = ConfigSuggestion.closest(to: symbol, among: known) { message += "; did you mean '\(suggestion)'?" }
        return message
    }
}

/// An instrument as configured: how it is named, where it trades, its lot, tick and freeze quantity.
public struct InstrumentConfig: Codable, Sendable, Equatable {
    public enum Exchange: String, Codable, Sendable, CaseIterable, ConfigChoice { case NSE, BSE, NFO }

    /// Kite's segment names: the index itself, equity cash, index/stock futures and options.
    public enum Segment: String, Codable, Sendable, CaseIterable, ConfigChoice {
        case indices = "INDICES", equity = "NSE", futures = "NFO-FUT", options = "NFO-OPT"
    }

    /// The name the trader uses and the data is filed under: `NIFTY 50`, `BANKNIFTY`.
    public var symbol: String
    /// The underlying's name in the exchange's derivative contracts: `NIFTY`, `BANKNIFTY`.
    public var tradingSymbol: String
    public var exchange: Exchange
    public var segment: Segment
    /// Units per lot of the derivative contract (1 for cash equity).
    public var lotSize: Int
    /// Price step in paise: 5 = ₹0.05.
    public var tickSizePaise: Int
    /// Largest quantity the exchange accepts in one order; bigger orders are sliced.
    public var freezeQuantity: Int

    enum CodingKeys: String, CodingKey {
        case symbol, tradingSymbol = "trading_symbol", exchange, segment, lotSize = "lot_size"
        case tickSizePaise = "tick_size_paise", freezeQuantity = "freeze_quantity"
    }

    func validate(_ v: inout ConfigValidator, at path: String) {
        v.nonEmpty(symbol, path + ".symbol")
        v.nonEmpty(tradingSymbol, path + ".trading_symbol")
        v.positive(lotSize, path + ".lot_size")
        v.positive(tickSizePaise, path + ".tick_size_paise")
        v.positive(freezeQuantity, path + ".freeze_quantity")
        if lotSize > 0, freezeQuantity > 0 {
            v.check(freezeQuantity >= lotSize, path + ".freeze_quantity",
                    "must be at least one lot (\(lotSize)), got \(freezeQuantity)", involving: [path + ".lot_size"])
        }
    }
}
