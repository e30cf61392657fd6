import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeOps
import AlphaPrimeKite
import AlphaPrimeUpstox

/// health-check's broker line: when the configuration trades live (`ENABLE_REAL_TRADING=true` and
/// `active_broker: kite` or `upstox`), today's access token of that broker must exist and be good on a trading day —
/// missing or expired is critical, since the engine cannot place or close anything without it.
enum BrokerHealth {
    static func check(configuration: AlphaPrimeConfiguration?, home: AlphaPrimeHome, now: UTCTimestamp, tradingDay: Bool?) -> [HealthFinding] {
        guard let configuration else { return [] }
        let broker = configuration.broker
        guard configuration.environment.enableRealTrading else {
            return [.ok("broker", "\(broker.activeBroker == .paper ? "paper broker" : "live trading disabled"): no broker login needed")]
        }
        if broker.activeBroker == .upstox { return upstox(configuration: configuration, home: home, now: now, tradingDay: tradingDay) }
        guard broker.activeBroker == .kite else {
            return [.failure("broker", "ENABLE_REAL_TRADING is true but active_broker is \(broker.activeBroker.rawValue): live trading goes through kite or upstox")]
        }
        let stored: KiteStoredSession?
        do {
            stored = try KiteSessionFile.load(home: home)
        } catch {
            return [.failure("broker", "\(error)")]
        }
        if let stored, stored.isValid(at: now) {
            return [.ok("broker", "Kite access token of \(stored.userID) good until \(stored.expiresAt)")]
        }
        if !broker.kite.accessToken.isEmpty, stored == nil {
            return [.warning("broker", "Kite access token from KITE_ACCESS_TOKEN in .env: its expiry is not known (log in with broker login)")]
        }
        let what = stored.map { "the Kite access token expired at \($0.expiresAt)" } ?? "no Kite access token"
        guard tradingDay != false else {
            return [.info("broker", "\(what); not needed today (the exchange is closed)")]
        }
        return [.failure("broker", "\(what): live trading cannot place or close orders; log in with: broker login")]
    }

    /// The same line for the Upstox login (`var/upstox-session.json`, tokens good until 03:30 IST).
    static func upstox(configuration: AlphaPrimeConfiguration, home: AlphaPrimeHome, now: UTCTimestamp, tradingDay: Bool?) -> [HealthFinding] {
        let stored: UpstoxStoredSession?
        do {
            stored = try UpstoxSessionFile.load(home: home)
        } catch {
            return [.failure("broker", "\(error)")]
        }
        if let stored, stored.isValid(at: now) {
            return [.ok("broker", "Upstox access token of \(stored.userID) good until \(stored.expiresAt)")]
        }
        if !configuration.broker.upstox.accessToken.isEmpty, stored == nil {
            return [.warning("broker", "Upstox access token from UPSTOX_ACCESS_TOKEN in .env: its expiry is not known (log in with broker login --broker upstox)")]
        }
        let what = stored.map { "the Upstox access token expired at \($0.expiresAt)" } ?? "no Upstox access token"
        guard tradingDay != false else {
            return [.info("broker", "\(what); not needed today (the exchange is closed)")]
        }
        return [.failure("broker", "\(what): live trading cannot place or close orders; log in with: broker login --broker upstox")]
    }
}
