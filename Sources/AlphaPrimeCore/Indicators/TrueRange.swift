import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// True range of a bar against the previous close: the greatest of `high − low`,
/// `|previousClose − high|` and `|previousClose − low|` (TA-Lib `TRANGE`, compared in that order).
@inlinable
func barTrueRange(high: Double, low: Double, previousClose: Double) -> Double {
    var greatest = high - low
    let toHigh = abs(previousClose - high)
    if toHigh > greatest { greatest = toHigh }
    let toLow = abs(previousClose - low)
    if toLow > greatest { greatest = toLow }
    return greatest
}

/// TA-Lib's test for "zero" before a division (`TA_IS_ZERO`: |v| < 1e-14 in the TA-Lib C library
/// 0.6 and later).
@inlinable
func isEffectivelyZero(_ v: Double) -> Bool { v > -1e-14 && v < 1e-14 }
