import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeRedis
import Foundation

/// What `engine status` and the dashboard read from the live-state cache (Redis, when `REDIS_URL`
/// is set) for a running engine: its latest state, fresher than the database's last commit.
enum LiveCacheView {
    /// The cached state of each mode asked for, by mode; and why the cache could not be read, if it could not.
    static func read(_ context: ToolContext, modes: [TradingMode]) -> (states: [String: LiveStateSnapshot], problem: String?) {
        guard let text = context.configuration.environment.redisURL, !modes.isEmpty else { return ([:], nil) }
        var states: [String: LiveStateSnapshot] = [:]
        do {
            let url = try RedisURL(text)
            for mode in modes {
                if let state = try RedisLiveState.read(url, mode: mode) { states[mode.rawValue] = state }
            }
            return (states, nil)
        } catch {
            context.logger.warning("the live-state cache could not be read; the database's figures are shown", metadata: ["error": "\(error)"])
            return (states, "\(error)")
        }
    }

    /// `redis, 1 s old: trading, P&L 1234.50 (realized 1000.00, unrealized 234.50), 12 trades, 1 open position, last bar 11:02`
    static func line(_ s: LiveStateSnapshot, now: Int64 = Int64(Date().timeIntervalSince1970)) -> String {
        var line = "redis, \(max(0, now - s.heartbeatAt)) s old: \(s.status), P&L \(Paise(s.pnl)) (realized \(Paise(s.realizedPnL)), "
            + "unrealized \(Paise(s.unrealizedPnL))), \(s.trades) trade\(s.trades == 1 ? "" : "s"), "
            + "\(s.positions.count) open position\(s.positions.count == 1 ? "" : "s")"
        if let t = s.marketTime { line += ", last bar \(IST.dateTime(epochSeconds: t).time)" }
        return line
    }
}
