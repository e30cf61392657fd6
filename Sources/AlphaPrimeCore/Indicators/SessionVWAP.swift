import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Session-anchored volume-weighted average price.
///
/// `VWAP = Σ(typical · volume) / Σ volume` over the bars of the current session, with
/// `typical = (high + low + close) / 3`. The caller says when a session starts (the engine knows the
/// trading calendar; this type does not): pass `startsSession: true` with the session's first bar, or
/// call `beginSession()` before it. The very first bar ever fed starts a session by itself.
///
/// Warm-up: nil until the session has traded some volume. An index (NIFTY 50, BANKNIFTY) reports no
/// volume, so its VWAP stays nil: use futures or constituents' volume. O(1), no allocation.
public struct SessionVWAP: Sendable {
    @usableFromInline var priceVolume: Double = 0
    @usableFromInline var volume: Double = 0
    @usableFromInline var inSession = false

    @inlinable
    public init() {}

    /// Whether the current session has traded volume, so that `value` is defined.
    @inlinable public var isReady: Bool { volume > 0 }

    /// Starts a new session: the next bar is its first.
    @inlinable
    public mutating func beginSession() {
        priceVolume = 0
        volume = 0
        inSession = true
    }

    /// Feeds one bar; `startsSession` marks the first bar of a session.
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double, volume barVolume: Double,
                                startsSession: Bool = false) {
        if startsSession || !inSession { beginSession() }
        let typical = (high + low + close) / 3.0
        priceVolume += typical * barVolume
        volume += barVolume
    }

    /// The session VWAP, or nil before the session has traded volume.
    @inlinable public var value: Double? { volume > 0 ? priceVolume / volume : nil }

    /// Volume traded so far in the session.
    @inlinable public var sessionVolume: Double { volume }

    @inlinable
    public mutating func reset() {
        priceVolume = 0
        volume = 0
        inSession = false
    }
}
