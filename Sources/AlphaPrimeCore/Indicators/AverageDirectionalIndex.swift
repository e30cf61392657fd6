import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Average directional index with +DI and −DI, Wilder's smoothing exactly as TA-Lib
/// (`ADX`, `PLUS_DI`, `MINUS_DI` with the same period).
///
/// Per bar after the first: `up = high − previousHigh`, `down = previousLow − low`;
/// `+DM = up` when `up > 0` and `up > down`, `−DM = down` when `down > 0` and `down > up`, else 0;
/// `TR` the true range. The first `N − 1` of each are summed; from then on
/// `S = S − S / N + today` (Wilder). `+DI = 100 · (+DM / TR)`, `−DI = 100 · (−DM / TR)` (0 when TR is 0),
/// `DX = 100 · |−DI − +DI| / (−DI + +DI)`. The first ADX is the sum of the first `N` DX divided by `N`,
/// then `ADX = (ADX · (N − 1) + DX) / N`; a bar whose DX is undefined (TR or the DI sum is 0) leaves the
/// ADX unchanged, as in TA-Lib.
///
/// Warm-up: `plusDI` / `minusDI` after `period + 1` bars (lookback `period`); `value` (the ADX) after
/// `2 · period` bars (lookback `2 · period − 1`). O(1), no allocation.
public struct AverageDirectionalIndex: Sendable {
    public let period: Int
    @usableFromInline var bars: Int = 0
    @usableFromInline var previousHigh: Double = 0
    @usableFromInline var previousLow: Double = 0
    @usableFromInline var previousClose: Double = 0
    @usableFromInline var plusDM: Double = 0
    @usableFromInline var minusDM: Double = 0
    @usableFromInline var smoothedTrueRange: Double = 0
    @usableFromInline var plusDIValue: Double = 0
    @usableFromInline var minusDIValue: Double = 0
    /// The sum of the first DX values, then the ADX itself.
    @usableFromInline var adx: Double = 0

    /// - Parameter period: at least 2 (TA-Lib's range for ADX).
    @inlinable
    public init(period: Int = 14) {
        precondition(period >= 2, "ADX period must be at least 2")
        self.period = period
    }

    /// TA-Lib's lookback of ADX: `2 · period − 1`.
    @inlinable public var lookback: Int { 2 * period - 1 }
    /// TA-Lib's lookback of PLUS_DI / MINUS_DI: `period`.
    @inlinable public var directionalLookback: Int { period }
    /// Whether the ADX has a value.
    @inlinable public var isReady: Bool { bars >= 2 * period }

    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) {
        let up = high - previousHigh
        let down = previousLow - low
        let range = barTrueRange(high: high, low: low, previousClose: previousClose)
        previousHigh = high
        previousLow = low
        previousClose = close
        // Bars seen, saturating at 2N + 1: 1 = the first bar (only a reference), 2...N = summing the
        // first N − 1 DM and TR, N + 1...2N = smoothing and summing the first N DX, then steady state.
        if bars <= 2 * period { bars += 1 }
        guard bars > 1 else { return }
        if bars <= period {
            if down > 0 && up < down {
                minusDM += down
            } else if up > 0 && up > down {
                plusDM += up
            }
            smoothedTrueRange += range
            return
        }
        let n = Double(period)
        minusDM -= minusDM / n
        plusDM -= plusDM / n
        if down > 0 && up < down {
            minusDM += down
        } else if up > 0 && up > down {
            plusDM += up
        }
        smoothedTrueRange = smoothedTrueRange - smoothedTrueRange / n + range

        var dx = Double.nan  // undefined when TR or the DI sum is zero
        if isEffectivelyZero(smoothedTrueRange) {
            minusDIValue = 0
            plusDIValue = 0
        } else {
            minusDIValue = 100.0 * (minusDM / smoothedTrueRange)
            plusDIValue = 100.0 * (plusDM / smoothedTrueRange)
            let sum = minusDIValue + plusDIValue
            if !isEffectivelyZero(sum) { dx = 100.0 * (abs(minusDIValue - plusDIValue) / sum) }
        }
        if bars <= 2 * period {
            if !dx.isNaN { adx += dx }  // summing the first N DX
            if bars == 2 * period { adx /= n }
        } else if !dx.isNaN {
            adx = (adx * (n - 1) + dx) / n
        }
    }

    /// The ADX, or nil while warming up.
    @inlinable public var value: Double? { bars >= 2 * period ? adx : nil }

    /// +DI, or nil before `period + 1` bars.
    @inlinable public var plusDI: Double? { bars > period ? plusDIValue : nil }

    /// −DI, or nil before `period + 1` bars.
    @inlinable public var minusDI: Double? { bars > period ? minusDIValue : nil }

    @inlinable
    public mutating func reset() { self = AverageDirectionalIndex(period: period) }
}
