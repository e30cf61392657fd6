import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeKite
import Foundation
import Synchronization
import Testing

/// The client-side limits, on a clock the test moves: a request that does not fit its windows
/// waits exactly until it does; the daily order cap refuses.
@Suite struct KiteRateLimiterTests {
    static let limits = BrokerConfig.RateLimits(
        requestsPerSecond: 10, quoteRequestsPerSecond: 1, historicalRequestsPerSecond: 3, ordersPerSecond: 10,
        ordersPerMinute: 400, ordersPerDay: 5000, modificationsPerOrder: 25)

    /// A clock that never waits: `acquire` sleeping means the test's clock did not advance, so the
    /// clock jumps forward by what the limiter would have slept (read back as `waited`).
    final class Clock: Sendable {
        let state = Mutex((seconds: 0.0, day: 0, calls: 0))
        func now() -> (seconds: Double, day: Int) { state.withLock { ($0.seconds, $0.day) } }
        func advance(_ seconds: Double) { state.withLock { $0.seconds += seconds } }
    }

    @Test func windowsCountWhatWentInTheirLastSpan() {
        var second = KiteRateLimiter.Window(limit: 3, seconds: 1)
        for t in [0.0, 0.1, 0.2] {
            #expect(second.nextSlot(at: t) == t)
            second.record(t)
        }
        #expect(second.nextSlot(at: 0.3) == 1.0, "the fourth waits for the first to leave the window")
        #expect(second.nextSlot(at: 1.05) == 1.05)
    }

    @Test func quotesGoOncePerSecondAndOrdersTenPerSecond() throws {
        let clock = Clock()
        let limiter = KiteRateLimiter(Self.limits, now: { clock.now() })
        try limiter.acquire(.quote)
        // The second quote would wait: measured without sleeping by asking for it a second later.
        clock.advance(1.0)
        try limiter.acquire(.quote)
        for _ in 0..<8 { try limiter.acquire(.order) }
        #expect(limiter.ordersToday == 8)
    }

    @Test func theDailyOrderCapRefusesInsteadOfWaiting() throws {
        var limits = Self.limits
        limits.ordersPerDay = 3
        limits.ordersPerMinute = 3
        let clock = Clock()
        let limiter = KiteRateLimiter(limits, now: { clock.now() })
        for _ in 0..<3 {
            try limiter.acquire(.order)
            clock.advance(61)
        }
        #expect(throws: KiteRateLimiter.DailyCapReached.self) { try limiter.acquire(.order) }
        clock.state.withLock { $0.day += 1 }
        try limiter.acquire(.order)
        #expect(limiter.ordersToday == 1, "a new IST day starts the count again")
    }

    @Test func aRequestThatDoesNotFitWaitsUntilItDoes() throws {
        var limits = Self.limits
        limits.requestsPerSecond = 50
        limits.quoteRequestsPerSecond = 20
        let limiter = KiteRateLimiter(limits)
        let started = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<25 { try limiter.acquire(.quote) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        #expect(seconds >= 0.2, "25 quotes at 20/s take at least a quarter second, took \(seconds)")
    }
}
