import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The daily-return bootstrap, ready to run: growth factors (1 + return) and the limits as fractions.
/// Equity is compounded in units of the starting capital (1.0 = starting capital).
struct DailyBootstrapPlan: PathSimulation, Sendable {
    let growth: [Double]
    let seed: UInt64
    /// A day whose growth factor is at or below this breaches the daily-loss limit (−∞ when unset).
    let dailyGrowthFloor: Double
    let drawdownFraction: Double?
    let trailing: Bool
    let targetEquity: Double?
    /// Days within which the target counts (`Int.max` without a window).
    let targetDays: Int

    init(returns: [Double], options: MonteCarloOptions) throws {
        try MonteCarlo.validate(options)
        guard !returns.isEmpty else { throw MonteCarloError.nothingToResample(what: "days") }
        for (i, r) in returns.enumerated() where !r.isFinite || r <= -1 {
            throw MonteCarloError.invalidDailyReturn(index: i, value: r)
        }
        growth = returns.map { 1 + $0 }
        seed = options.seed
        let limits = options.limits
        dailyGrowthFloor = limits.dailyLossPercent.map { 1 - $0 / 100 } ?? -.infinity
        drawdownFraction = limits.maxDrawdownPercent.map { $0 / 100 }
        trailing = limits.drawdownKind == .trailing
        targetEquity = limits.profitTargetPercent.map { 1 + $0 / 100 }
        targetDays = limits.profitTargetDays ?? .max
    }

    func run(_ a: Int, _ b: Int) -> (PathOutcome, PathOutcome) {
        growth.withUnsafeBufferPointer { (runPath(a, growth: $0), runPath(b, growth: $0)) }
    }

    @inline(__always)
    private func runPath(_ index: Int, growth: UnsafeBufferPointer<Double>) -> PathOutcome {
        var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(index))
        let bound = UInt64(growth.count)
        var equity = 1.0
        var peak = 1.0
        var maxDrawdown = 0.0
        var flags: UInt8 = 0
        let keep = 1 - (drawdownFraction ?? 0)
        var drawdownFloor = drawdownFraction == nil ? -Double.infinity : keep
        var undecided = targetEquity != nil
        let target = targetEquity ?? .infinity
        for day in 0..<growth.count {
            if undecided && day == targetDays { undecided = false }   // the window closed undecided: the target was missed
            let g = growth[Int(truncatingIfNeeded: rng.next(below: bound))]
            equity *= g
            if equity > peak {
                peak = equity
                if trailing && drawdownFraction != nil { drawdownFloor = peak * keep }
            } else {
                maxDrawdown = Swift.max(maxDrawdown, (peak - equity) / peak)
            }
            let dailyBreach = g <= dailyGrowthFloor
            let drawdownBreach = equity <= drawdownFloor
            if dailyBreach { flags |= PathFlag.dailyLossBreach }
            if drawdownBreach { flags |= PathFlag.drawdownBreach }
            if undecided {
                if dailyBreach || drawdownBreach {
                    flags |= PathFlag.breachFirst
                    undecided = false
                } else if equity >= target {
                    flags |= PathFlag.profitTargetFirst
                    undecided = false
                }
            }
        }
        return PathOutcome(finalReturn: equity - 1, maxDrawdown: maxDrawdown, flags: flags)
    }
}
