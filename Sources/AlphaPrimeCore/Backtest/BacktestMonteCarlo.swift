import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// `backtest --monte-carlo`: the run's trades and daily returns resampled into many paths, judged
/// against the risk file's limits — "how likely am I to fail the challenge with this strategy and this
/// risk?" Prop-firm limits are used when the risk file has them, else its daily max loss and drawdown.
public enum BacktestMonteCarlo {
    public static func limits(from risk: RiskConfig) -> MonteCarloLimits {
        if let firm = risk.propFirm {
            return MonteCarloLimits(dailyLossPercent: firm.dailyLossLimitPct, maxDrawdownPercent: firm.maxDrawdownPct,
                                    drawdownKind: firm.drawdownMode == .trailing ? .trailing : .static,
                                    profitTargetPercent: firm.profitTargetPct, profitTargetDays: firm.profitTargetDays)
        }
        return MonteCarloLimits(dailyLossPercent: risk.risk.dailyMaxLossPct, maxDrawdownPercent: risk.risk.maxDrawdownPct,
                                drawdownKind: risk.risk.drawdownMode == .trailing ? .trailing : .static)
    }

    /// Trade bootstrap (when there are trades) and daily-return bootstrap, same seed and limits.
    public static func run(outcome: BacktestOutcome<AnyStrategy>, risk: RiskConfig, simulations: Int, seed: UInt64) throws -> [MonteCarloResult] {
        let options = MonteCarloOptions(simulations: simulations, seed: seed, startingCapital: outcome.ledger.startingCapital,
                                        limits: limits(from: risk))
        var results: [MonteCarloResult] = []
        if !outcome.trades.isEmpty {
            results.append(try MonteCarlo.tradeBootstrap(trades: outcome.trades, options: options))
        }
        if outcome.dailyEquity.count >= 2 {
            results.append(try MonteCarlo.dailyReturnBootstrap(dailyEquity: outcome.dailyEquity, options: options))
        }
        return results
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// Writes `monte_carlo.json` into the run directory (atomically).
    public static func write(_ results: [MonteCarloResult], to directory: String) throws {
        let data = try encoder().encode(results)
        try AtomicFile.write(Array(data), to: URL(filePath: directory).appending(path: "monte_carlo.json"))
    }

    /// The run's summary with the Monte Carlo results beside it, as one JSON document.
    /// The summary JSON with `monte_carlo` (when resampled) and `regimes` (with `--by-regime`) added.
    public static func json(summary: BacktestSummary, results: [MonteCarloResult]?, regimes: [RegimeMetrics]? = nil,
                            timings: PhaseTimings? = nil) throws -> String {
        let summaryBytes = Data(try BacktestReport.summaryJSON(summary))
        if results == nil && regimes == nil && timings == nil { return String(decoding: summaryBytes, as: UTF8.self) }
        guard var dict = try JSONSerialization.jsonObject(with: summaryBytes) as? [String: Any] else { return "" }
        if let results { dict["monte_carlo"] = try JSONSerialization.jsonObject(with: encoder().encode(results)) }
        if let regimes { dict["regimes"] = try JSONSerialization.jsonObject(with: encoder().encode(regimes)) }
        if let timings {
            dict["timings"] = ["phases": timings.phases.map { ["name": $0.name, "seconds": $0.seconds] as [String: Any] },
                               "total_seconds": timings.total] as [String: Any]
        }
        let data = try JSONSerialization.data(withJSONObject: dict, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    public static func text(_ r: MonteCarloResult) -> String {
        func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "–" }
        func pp(_ x: Double) -> String { String(format: "%.2f%%", x) }
        let f = r.finalReturnPercent, d = r.maxDrawdownPercent
        var lines = ["Monte Carlo (\(r.method.rawValue), \(r.simulations) paths, seed \(r.seed))"]
        lines.append("  final return   p5 \(pp(f.p5))  p25 \(pp(f.p25))  median \(pp(f.p50))  p75 \(pp(f.p75))  p95 \(pp(f.p95))")
        lines.append("  max drawdown   p5 \(pp(d.p5))  p25 \(pp(d.p25))  median \(pp(d.p50))  p75 \(pp(d.p75))  p95 \(pp(d.p95))")
        lines.append("  chance of a loss \(pct(r.probabilityOfLoss)); daily-loss breach \(pct(r.dailyLossBreachProbability)); "
                     + "drawdown breach \(pct(r.drawdownBreachProbability)); any breach \(pct(r.anyBreachProbability))")
        if let hit = r.profitTargetBeforeBreachProbability {
            lines.append("  profit target reached before any breach \(pct(hit))")
        }
        return lines.joined(separator: "\n")
    }
}
