import AlphaPrimeSupport
import Dispatch
import Foundation
import Synchronization

/// Time as the trading core reads it. The core never reads the wall clock itself: a replay paced
/// at any speed, a live day on the wall clock and a test that decides what time it is all run the
/// same code with a different clock.
///
/// Market time is not the clock's: it comes with the market data (a bar's time). The clock gives
/// the wall time records are stamped with (a heartbeat, when a session started), a monotonic time
/// for intervals (flushing, polling, pacing) and the wait between them.
public protocol EngineClock: Sendable {
    /// The wall time now.
    func now() -> UTCTimestamp
    /// Monotonic time since an origin of the clock's choosing; never goes back.
    func monotonic() -> Duration
    /// Waits `duration` (a test clock moves on by it instead).
    func sleep(for duration: Duration)
    /// Seconds of ``now()`` per second of ``monotonic()``: 1, except on a rehearsal's accelerated clock.
    var rate: Double { get }
}

extension EngineClock {
    public var rate: Double { 1 }
}

/// A rehearsal's wall clock: the market time of a local exchange simulator (kite-sim's ticker),
/// running `rate` times faster than real time from the reading it was anchored at. Intervals
/// (flushing, polling, the heartbeat) stay real: only ``now()`` runs fast.
public struct AcceleratedClock: EngineClock {
    public let anchor: UTCTimestamp
    public let rate: Double
    private let origin: Duration
    private let system = SystemClock()

    /// - Parameters:
    ///   - now: the simulated time at this instant.
    ///   - rate: simulated seconds per real second (1 or more).
    public init(now: UTCTimestamp, rate: Double) {
        anchor = now
        self.rate = rate
        origin = system.monotonic()
    }

    public func now() -> UTCTimestamp {
        let (seconds, attoseconds) = (system.monotonic() - origin).components
        let elapsed = Double(seconds) + Double(attoseconds) / 1e18
        return anchor.adding(microseconds: Int64((elapsed * rate * 1_000_000).rounded(.down)))
    }

    public func monotonic() -> Duration { system.monotonic() }

    public func sleep(for duration: Duration) { system.sleep(for: duration) }
}

/// The operating system's clocks: `Date` for the wall time, the monotonic uptime, a real sleep.
public struct SystemClock: EngineClock {
    public init() {}

    public func now() -> UTCTimestamp { .now() }

    public func monotonic() -> Duration { .nanoseconds(Int64(bitPattern: DispatchTime.now().uptimeNanoseconds)) }

    public func sleep(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let interval = Double(seconds) + Double(attoseconds) / 1e18
        if interval > 0 { Thread.sleep(forTimeInterval: interval) }
    }
}

/// A clock a test sets: it stands still until told to move, and a sleep moves it on at once.
public final class ManualClock: EngineClock {
    private let state: Mutex<(wall: UTCTimestamp, monotonic: Duration)>

    public init(now: UTCTimestamp) {
        state = Mutex((now, .zero))
    }

    public func now() -> UTCTimestamp { state.withLock { $0.wall } }

    public func monotonic() -> Duration { state.withLock { $0.monotonic } }

    public func sleep(for duration: Duration) { advance(by: duration) }

    /// Moves the wall and the monotonic time on by `duration`.
    public func advance(by duration: Duration) {
        guard duration > .zero else { return }
        let (seconds, attoseconds) = duration.components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        state.withLock { s in
            s.wall = s.wall.adding(microseconds: microseconds)
            s.monotonic += duration
        }
    }
}
