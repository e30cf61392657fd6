import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// How fast a replay runs against the wall clock: `max` (no waiting) or a multiple of real time.
public enum ReplaySpeed: Sendable, Equatable, CustomStringConvertible {
    case max
    /// Market seconds per wall second: 1 = real time, 60 = a minute bar every second.
    case times(Int)

    /// Parses `max`, `1x`, `10x`, `60x` (any whole `Nx`).
    public init?(_ text: String) {
        let t = text.lowercased()
        if t == "max" { self = .max; return }
        guard t.hasSuffix("x"), let n = Int(t.dropLast()), n > 0 else { return nil }
        self = .times(n)
    }

    public var description: String {
        switch self {
        case .max: "max"
        case .times(let n): "\(n)x"
        }
    }
}

/// Paces a replay: a bar becomes available when the replay clock reaches its close. The replay
/// clock is anchored at the first bar it is asked about and runs on the engine's clock; waits are cut
/// into short slices so a stop request is seen within a fraction of a second.
struct ReplayClock {
    let speed: ReplaySpeed
    let clock: any EngineClock
    private var anchor: (wall: Duration, market: Int64)?

    init(speed: ReplaySpeed, clock: any EngineClock) {
        self.speed = speed
        self.clock = clock
    }

    /// Waits until the market time `time` (UTC epoch seconds) is reached on the replay clock, or
    /// until `interrupted` answers true (checked at least every `slice`). Returns false when interrupted.
    mutating func wait(untilMarketTime time: Int64, slice: Duration = .milliseconds(100), interrupted: () throws -> Bool) rethrows -> Bool {
        guard case .times(let factor) = speed else { return true }
        guard let anchor else {
            anchor = (clock.monotonic(), time)
            return true
        }
        let offset = Duration.seconds(Double(time - anchor.market) / Double(factor))
        let target = anchor.wall + offset
        while true {
            if try interrupted() { return false }
            let now = clock.monotonic()
            if now >= target { return true }
            clock.sleep(for: min(target - now, slice))
        }
    }
}
