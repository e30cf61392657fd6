import AlphaPrimeDomain
import Foundation
import Synchronization

/// A live broker's request limits (`broker_config.yaml`'s `rate_limits`), kept on our side so the
/// broker never has to answer 429 because of us: every request together, quotes, historical candles,
/// and orders per second, per minute and per day (placements, modifications and cancellations all
/// count as orders). The Kite and Upstox adapters both use it.
///
/// `acquire` waits (sleeps the calling thread) until the request fits every window it counts
/// against; the daily order cap is not waited for: past it, ``acquire(_:)`` throws, since waiting
/// for tomorrow is not an answer. Shared by every thread of one account (one instance per process).
public final class BrokerRequestLimiter: Sendable {
    public enum Kind: Sendable { case read, quote, historical, order }

    struct Window: Sendable {
        var limit: Int
        var seconds: Double
        var times: [Double] = []

        /// When one more request may go, given what went in the last `seconds`.
        mutating func nextSlot(at now: Double) -> Double {
            times.removeAll { $0 <= now - seconds }
            guard times.count >= limit else { return now }
            return times[times.count - limit] + seconds
        }

        mutating func record(_ time: Double) { times.append(time) }
    }

    struct Windows: Sendable {
        var all: Window
        var quote: Window
        var historical: Window
        var orderSecond: Window
        var orderMinute: Window
        var ordersToday: Int = 0
        var day: Int = -1
    }

    public struct DailyCapReached: Error, CustomStringConvertible {
        public var cap: Int
        public var description: String { "the daily order cap of \(cap) orders is reached; no more orders are sent today" }
    }

    private let state: Mutex<Windows>
    private let ordersPerDay: Int
    /// Monotonic seconds and the IST day number, replaceable for tests.
    private let now: @Sendable () -> (seconds: Double, day: Int)

    public init(_ limits: BrokerConfig.RateLimits,
                now: @escaping @Sendable () -> (seconds: Double, day: Int) = BrokerRequestLimiter.systemNow) {
        func window(_ perSecond: Double) -> Window {
            // 2.5/s becomes 5 per 2 s: whole requests in a window long enough to hold them.
            perSecond >= 1 ? Window(limit: Int(perSecond.rounded(.down)), seconds: 1)
                : Window(limit: 1, seconds: 1 / perSecond)
        }
        state = Mutex(Windows(all: window(limits.requestsPerSecond), quote: window(limits.quoteRequestsPerSecond),
                              historical: window(limits.historicalRequestsPerSecond),
                              orderSecond: window(limits.ordersPerSecond),
                              orderMinute: Window(limit: limits.ordersPerMinute, seconds: 60)))
        ordersPerDay = limits.ordersPerDay
        self.now = now
    }

    public static let systemNow: @Sendable () -> (seconds: Double, day: Int) = {
        let uptime = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        let istDay = Int((Date().timeIntervalSince1970 + 19_800) / 86_400)
        return (uptime, istDay)
    }

    /// Waits until a request of `kind` may go, and counts it.
    public func acquire(_ kind: Kind) throws {
        while true {
            let (t, day) = now()
            let wait: Double = try state.withLock { w in
                if w.day != day { w.day = day; w.ordersToday = 0 }
                if kind == .order, w.ordersToday >= ordersPerDay { throw DailyCapReached(cap: ordersPerDay) }
                var slot = w.all.nextSlot(at: t)
                switch kind {
                case .read: break
                case .quote: slot = max(slot, w.quote.nextSlot(at: t))
                case .historical: slot = max(slot, w.historical.nextSlot(at: t))
                case .order: slot = max(slot, w.orderSecond.nextSlot(at: t), w.orderMinute.nextSlot(at: t))
                }
                guard slot <= t else { return slot - t }
                w.all.record(t)
                switch kind {
                case .read: break
                case .quote: w.quote.record(t)
                case .historical: w.historical.record(t)
                case .order:
                    w.orderSecond.record(t)
                    w.orderMinute.record(t)
                    w.ordersToday += 1
                }
                return 0
            }
            if wait <= 0 { return }
            Thread.sleep(forTimeInterval: wait)
        }
    }

    /// Orders counted today.
    public var ordersToday: Int { state.withLock { $0.ordersToday } }
}
