import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeOps
import AlphaPrimeRedis
import Foundation

extension HealthCheckRegistry {
    /// The probes `health-check` runs, in the order of their lines. A service that needs watching
    /// (the broker's access token, a cache server, an alert channel) registers its ``HealthProbe``
    /// here; nothing else changes.
    public static func standard(setup: ToolSetup, calendar: Result<TradingCalendar, any Error>?) -> HealthCheckRegistry {
        let home = setup.home
        let database = HealthDatabase(url: Result { try setup.databaseURL() })
        var registry = HealthCheckRegistry()
        registry.register("directories") { _ in SystemHealth.directories(home: home) }
        registry.register("disk space") { _ in [SystemHealth.diskSpace(home: home)] }
        registry.register("memory") { _ in [ResourceHealth.memory(meminfo: try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8))] }
        registry.register("clock") { context in [SystemHealth.clock(now: context.now.date)] }
        if let calendar {
            registry.register("configuration") { _ in HealthCheckCommand.configuration(setup) }
            registry.register("calendar") { context in
                switch calendar {
                case .success(let calendar):
                    return CalendarHealth.check(calendar, today: IST.dateTime(epochSeconds: context.marketTime).date)
                case .failure(let error as ConfigError):
                    return [.failure("calendar", "config/\(TradingHoursConfig.fileName) has \(error.issues.count) error(s) (above); no calendar")]
                case .failure(let error):
                    return [.failure("calendar", "\(error)")]
                }
            }
        }
        registry.register("state database") { context in
            switch database.url {
            case .success(let url): StateHealth.check(url: url, open: database.open, now: context.now)
            case .failure(let error): [.failure("database", "\(error)")]
            }
        }
        registry.register("integrity", runsWhenFast: false) { _ in StateHealth.integrity(database.openedIfPresent()) }
        registry.register("database size") { _ in database.sizeFinding() }
        registry.register("engine") { context in database.engineFinding(context) }
        registry.register("backups") { context in
            // The days the exchange was closed since the last trading day before today.
            let today = IST.dateTime(epochSeconds: context.marketTime).date
            var closed = 0
            while closed < 14, let calendar = context.calendar, !calendar.isTradingDay(today.adding(days: -(closed + 1))) { closed += 1 }
            return BackupHealth.check(backupsDirectory: home.backupsDirectory, databaseExists: database.exists, now: context.now,
                                      closedDays: closed)
        }
        registry.register("broker") { context in
            let today = IST.dateTime(epochSeconds: context.marketTime).date
            return BrokerHealth.check(configuration: setup.loadedConfiguration, home: home, now: context.now,
                                      tradingDay: context.calendar?.isTradingDay(today))
        }
        registry.register("instruments") { context in
            let today = IST.dateTime(epochSeconds: context.marketTime).date
            return InstrumentHealth.check(configuration: setup.loadedConfiguration, database: database.openedIfPresent(), today: today,
                                          tradingDay: context.calendar?.isTradingDay(today))
        }
        registry.register("india vix") { context in
            VIXHealth.check(configuration: setup.loadedConfiguration, home: home,
                            today: IST.dateTime(epochSeconds: context.marketTime).date, calendar: context.calendar)
        }
        if let redis = setup.environment.variables["REDIS_URL"], !redis.isEmpty {
            registry.register("live-state cache") { _ in [Self.liveStateCache(redis)] }
        }
        registry.register("log directory") { _ in [ResourceHealth.logDirectory(home: home)] }
        return registry
    }
}

extension HealthCheckRegistry {
    /// Redis (`REDIS_URL`) answering `PING`; down is a warning: the engine trades on without it and
    /// the screens read the database.
    static func liveStateCache(_ text: String) -> HealthFinding {
        do {
            let url = try RedisURL(text)
            do {
                try RedisLiveState.ping(url)
                return .ok("live-state cache", "Redis at \(url) answers")
            } catch {
                return .warning("live-state cache", "\(error): the engine trades on without it; the dashboard and engine status read the database")
            }
        } catch {
            return .warning("live-state cache", "\(error)")
        }
    }
}

/// The state database as the health probes see it: its URL, and one connection opened on first
/// use and shared. A SQLite file that does not exist is never created.
// @unchecked: `opened` changes only under `lock`.
final class HealthDatabase: @unchecked Sendable {
    let url: Result<DatabaseURL, any Error>
    private let lock = NSLock()
    private var opened: Result<any SQLDatabase, any Error>?

    init(url: Result<DatabaseURL, any Error>) { self.url = url }

    /// A SQLite file that is there, or a PostgreSQL database (whose existence the connection tells).
    var exists: Bool {
        guard case .success(let url) = url else { return false }
        if case .sqlite(let path) = url { return path == ":memory:" || FileManager.default.fileExists(atPath: path) }
        return true
    }

    /// The shared connection, opened on first use.
    func open() throws -> any SQLDatabase {
        lock.lock()
        defer { lock.unlock() }
        if let opened { return try opened.get() }
        let result = Result { try url.get().open() }
        opened = result
        return try result.get()
    }

    /// The connection when the database exists and opens; nil otherwise (the database line says why).
    func openedIfPresent() -> (any SQLDatabase)? {
        exists ? try? open() : nil
    }

    /// SQLite: the file and its write-ahead log, from the file system; PostgreSQL: the schema's tables.
    func sizeFinding() -> [HealthFinding] {
        guard exists, case .success(let url) = url else { return [] }
        if case .sqlite(let path) = url {
            guard path != ":memory:" else { return [] }
            let files = DatabaseMaintenance.fileSizes(sqlitePath: path)
            return [ResourceHealth.databaseSize(databaseBytes: files.database, walBytes: files.wal)]
        }
        guard let database = openedIfPresent() else { return [] }
        do {
            let sizes = try DatabaseMaintenance.sizes(database)
            return [ResourceHealth.databaseSize(databaseBytes: sizes.database, walBytes: sizes.wal)]
        } catch {
            return [.warning("database size", "cannot be read: \(error)")]
        }
    }

    /// Who holds the engine lock and the heartbeat of the mode it runs in, judged against market hours.
    func engineFinding(_ context: HealthCheckContext) -> [HealthFinding] {
        guard case .success(let url) = url, let database = openedIfPresent() else { return [] }
        do {
            let repository = StateRepository(database: database, url: url)
            let holder = try repository.engineLockHolder()
            var heartbeat: UTCTimestamp?
            if let holder, try database.tableExists("engine_state") {
                let mode = EngineMode(rawValue: holder.mode ?? "")?.tradingMode ?? .paper
                heartbeat = try repository.engineState(mode: mode)?.heartbeatAt
            }
            return [EngineHealth.check(holder: holder, heartbeat: heartbeat, calendar: context.calendar,
                                       marketTime: context.marketTime, now: context.now)]
        } catch {
            return [.failure("engine", "cannot read the engine lock or state: \(error)")]
        }
    }
}
