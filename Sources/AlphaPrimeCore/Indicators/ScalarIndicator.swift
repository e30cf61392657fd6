import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// An indicator fed one number per bar (usually the close): SMA, EMA, RSI, z-score, standard deviation.
///
/// Every indicator in this folder is a value type updated in place in O(1), allocates only in `init`,
/// and follows TA-Lib's warm-up: it has no value until `lookback + 1` inputs have been seen, where
/// `lookback` is TA-Lib's `TA_<FUNC>_Lookback` for the same period. Generic code (`some ScalarIndicator`)
/// is specialised by the compiler; no existential is needed on the hot path.
public protocol ScalarIndicator: Sendable {
    /// Feeds the next input.
    mutating func update(_ value: Double)
    /// The current value, or nil while warming up.
    var value: Double? { get }
    /// Whether the warm-up is over (`value != nil` for all but a few documented undefined cases).
    var isReady: Bool { get }
    /// TA-Lib's lookback: the number of inputs consumed before the first value.
    var lookback: Int { get }
}
