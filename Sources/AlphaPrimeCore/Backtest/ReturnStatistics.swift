import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// Statistics of a series of daily returns, with empyrical-reloaded's conventions, so that a
/// backtest's figures can be compared with the Python tools traders already trust.
///
/// The conventions, all from `empyrical.stats` (0.7.1), period `'daily'`:
/// - One year is 252 trading days (`annualization_factor('daily')`).
/// - Annual return is the CAGR: `ending ** (1 / (n / 252)) - 1`, `ending = Π(1 + r)`.
/// - Volatility is the sample standard deviation (ddof = 1) × 252^(1/2).
/// - Sharpe: mean(r − rf) / std(r − rf, ddof = 1) × √252. When every adjusted return is the same the
///   deviation is exactly 0, so the ratio is ±∞ (or NaN when the mean is 0 too).
/// - Sortino: mean(r − req) × 252 / downside risk, where the downside risk is
///   √(mean(min(r − req, 0)²)) × √252 over **all** days (not the deviation of the losing days only).
///   No losing day gives ±∞ (or NaN).
/// - Calmar: annual return / |max drawdown| when the max drawdown is below 0, otherwise NaN; an
///   infinite quotient is NaN too.
/// - Fewer than 2 returns: volatility, Sharpe and Sortino are NaN. No returns: everything is NaN.
/// - Means and deviations are plain running sums in order, as Bottleneck (which empyrical uses when
///   installed) computes them; the deviation is two-pass (mean first, then squared distances).
/// - An annual rate (risk-free or required return) becomes a daily one as empyrical's
///   `omega_ratio` converts its annual threshold: `(1 + annual) ** (1 / 252) - 1`.
public enum ReturnStatistics {
    /// Trading days per year (empyrical's `APPROX_BDAYS_PER_YEAR`).
    public static let periodsPerYear = 252.0

    /// r_t = E_t / E_(t−1) − 1 with E_0 = the starting capital; equity in paise.
    public static func dailyReturns(startingCapital: Int64, equity: [Int64]) -> [Double] {
        var returns: [Double] = []
        returns.reserveCapacity(equity.count)
        var previous = Double(startingCapital)
        for e in equity {
            let current = Double(e)
            returns.append(current / previous - 1)
            previous = current
        }
        return returns
    }

    /// The daily rate equivalent to an annual one: `(1 + annual)^(1/252) − 1`.
    public static func dailyRate(annual: Double) -> Double {
        pow(1 + annual, 1 / periodsPerYear) - 1
    }

    /// Π(1 + r) − 1 (`cum_returns_final`); NaN when there are no returns.
    public static func cumulativeReturn(_ returns: [Double]) -> Double {
        guard !returns.isEmpty else { return .nan }
        return growth(returns) - 1
    }

    /// CAGR over 252 trading days a year (`annual_return`); NaN when there are no returns.
    public static func annualReturn(_ returns: [Double]) -> Double {
        guard !returns.isEmpty else { return .nan }
        return annualReturn(growth: growth(returns), days: returns.count)
    }

    /// CAGR from the growth factor (ending value / starting value) over `days` trading days.
    public static func annualReturn(growth: Double, days: Int) -> Double {
        guard days > 0 else { return .nan }
        let years = Double(days) / periodsPerYear
        return pow(growth, 1 / years) - 1
    }

    /// Sample standard deviation × √252 (`annual_volatility`); NaN for fewer than 2 returns.
    public static func annualVolatility(_ returns: [Double]) -> Double {
        guard returns.count >= 2 else { return .nan }
        return standardDeviation(returns) * pow(periodsPerYear, 1.0 / 2.0)
    }

    /// Sharpe ratio with a constant daily risk-free return (`sharpe_ratio`).
    public static func sharpeRatio(_ returns: [Double], dailyRiskFree: Double = 0) -> Double {
        guard returns.count >= 2 else { return .nan }
        let adjusted = adjust(returns, by: dailyRiskFree)
        var std = standardDeviation(adjusted)
        if std.isFinite, adjusted.min() == adjusted.max() { std = 0 }
        return mean(adjusted) / std * periodsPerYear.squareRoot()
    }

    /// Sortino ratio against a constant daily required return (`sortino_ratio`).
    public static func sortinoRatio(_ returns: [Double], dailyRequiredReturn: Double = 0) -> Double {
        guard returns.count >= 2 else { return .nan }
        let adjusted = adjust(returns, by: dailyRequiredReturn)
        let averageAnnualReturn = mean(adjusted) * periodsPerYear
        return averageAnnualReturn / downsideRisk(returns, dailyRequiredReturn: dailyRequiredReturn)
    }

    /// Annualised downside deviation below a daily required return (`downside_risk`).
    public static func downsideRisk(_ returns: [Double], dailyRequiredReturn: Double = 0) -> Double {
        guard !returns.isEmpty else { return .nan }
        var sum = 0.0
        for r in adjust(returns, by: dailyRequiredReturn) {
            let d = min(r, 0)
            sum += d * d
        }
        return (sum / Double(returns.count)).squareRoot() * periodsPerYear.squareRoot()
    }

    /// The largest fall from a running peak, as a fraction ≤ 0 (`max_drawdown`), from returns.
    /// ``DrawdownAnalysis`` gives the same figure from exact equity, with its dates.
    public static func maxDrawdown(_ returns: [Double]) -> Double {
        guard !returns.isEmpty else { return .nan }
        var value = 100.0, peak = 100.0, worst = 0.0
        for r in returns {
            value *= 1 + r
            peak = max(peak, value)
            worst = min(worst, (value - peak) / peak)
        }
        return worst
    }

    /// Annual return / |max drawdown| (`calmar_ratio`); NaN without a drawdown or when infinite.
    public static func calmarRatio(annualReturn: Double, maxDrawdown: Double) -> Double {
        guard maxDrawdown < 0 else { return .nan }
        let ratio = annualReturn / abs(maxDrawdown)
        return ratio.isInfinite ? .nan : ratio
    }

    // MARK: - Building blocks

    /// Π(1 + r), in order.
    static func growth(_ returns: [Double]) -> Double {
        var product = 1.0
        for r in returns { product *= 1 + r }
        return product
    }

    /// Running sum in order, divided by the count.
    static func mean(_ values: [Double]) -> Double {
        var sum = 0.0
        for v in values { sum += v }
        return sum / Double(values.count)
    }

    /// Two-pass sample standard deviation (ddof = 1).
    static func standardDeviation(_ values: [Double]) -> Double {
        let m = mean(values)
        var sum = 0.0
        for v in values {
            let d = v - m
            sum += d * d
        }
        return (sum / Double(values.count - 1)).squareRoot()
    }

    static func adjust(_ returns: [Double], by rate: Double) -> [Double] {
        rate == 0 ? returns : returns.map { $0 - rate }
    }
}
