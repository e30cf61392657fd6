import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// How the sets were chosen.
public enum SearchMethod: Sendable, Equatable {
    /// Every combination of the ranges.
    case grid
    /// `samples` distinct sets drawn from the ranges with `seed`.
    case random(samples: Int, seed: UInt64)

    public var name: String {
        switch self {
        case .grid: "grid"
        case .random: "random"
        }
    }
}

/// The days and bars of one period, as reports show it.
public struct PeriodInfo: Sendable, Equatable, Encodable {
    public var firstDay: LocalDate
    public var lastDay: LocalDate
    public var days: Int
    public var bars: Int
    public var warmUpFrom: LocalDate?

    public init(_ p: BacktestPeriod) {
        firstDay = p.firstDay; lastDay = p.lastDay; days = p.days; bars = p.bars; warmUpFrom = p.warmUpFrom
    }

    enum CodingKeys: String, CodingKey {
        case firstDay = "first_day", lastDay = "last_day", days, bars, warmUpFrom = "warm_up_from"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(firstDay, forKey: .firstDay)
        try c.encode(lastDay, forKey: .lastDay)
        try c.encode(days, forKey: .days)
        try c.encode(bars, forKey: .bars)
        try c.encode(warmUpFrom, forKey: .warmUpFrom)
    }

    var text: String { "\(firstDay) → \(lastDay) (\(days) day\(days == 1 ? "" : "s"))" }
}

/// What `optimize` knows about a run besides the results: written into `summary.json` and the page.
public struct OptimizationInfo: Sendable {
    public var runID: String
    public var strategy: String
    public var symbols: [String]
    public var method: SearchMethod
    public var space: ParameterSpace
    public var split: SampleSplit
    public var inSample: PeriodInfo
    public var outOfSample: PeriodInfo
    public var warmUpDays: Int
    /// Random draws refused by a constraint or the strategy (and replaced by another draw).
    public var refusedDraws: Int
    /// Parameters the heatmap should use, in order (from `--params`); empty = the most important.
    public var heatmapParameters: [String]
    /// How many of the best sets `summary.json` and the text list.
    public var top: Int
    public var startedAt: Int64
    /// Seconds spent loading configuration and bars.
    public var loadSeconds: Double
    public var dataSources: [String]
    public var settings: [String: String]

    public init(runID: String, strategy: String, symbols: [String], method: SearchMethod, space: ParameterSpace,
                split: SampleSplit, inSample: PeriodInfo, outOfSample: PeriodInfo, warmUpDays: Int, refusedDraws: Int = 0,
                heatmapParameters: [String] = [], top: Int = 10, startedAt: Int64, loadSeconds: Double = 0,
                dataSources: [String] = [], settings: [String: String] = [:]) {
        self.runID = runID; self.strategy = strategy; self.symbols = symbols; self.method = method; self.space = space
        self.split = split; self.inSample = inSample; self.outOfSample = outOfSample; self.warmUpDays = warmUpDays
        self.refusedDraws = refusedDraws; self.heatmapParameters = heatmapParameters; self.top = top
        self.startedAt = startedAt; self.loadSeconds = loadSeconds; self.dataSources = dataSources; self.settings = settings
    }
}

/// The files of one optimisation run, as written.
public struct OptimizationReportFiles: Sendable, Equatable {
    public var directory: String
    public var results: String
    public var summary: String
    public var heatmap: String
    public var html: String
}

/// Writes `reports/optimize/<run-id>/`: `results.csv` (one row per set), `heatmap.svg`,
/// `report.html` and `summary.json` (last: a run directory with a summary is complete).
public enum OptimizationReport {
    public static let resultsFile = "results.csv"
    public static let summaryFile = "summary.json"
    public static let heatmapFile = "heatmap.svg"
    public static let htmlFile = "report.html"

    /// `<reports root>/optimize/<run-id>`.
    public static func runDirectory(reportsRoot: String, runID: String) -> String {
        "\(reportsRoot)/optimize/\(runID)"
    }

    @discardableResult
    public static func write(to directory: String, info: OptimizationInfo, run: OptimizationRun) throws(BacktestReportError)
        -> OptimizationReportFiles {
        guard BacktestRunInfo.isValidRunID(info.runID) else {
            throw BacktestReportError(path: info.runID, kind: .invalidRunID)
        }
        try AtomicReportFile.makeDirectories(directory)
        let files = OptimizationReportFiles(
            directory: directory, results: "\(directory)/\(resultsFile)", summary: "\(directory)/\(summaryFile)",
            heatmap: "\(directory)/\(heatmapFile)", html: "\(directory)/\(htmlFile)")
        let ranking = run.ranking(by: .outOfSample)
        let axes = OptimizationHeatmap.axes(run, space: info.space, preferred: info.heatmapParameters)
        let marked = ranking.first.map { run.results[$0].set }
        let svg = OptimizationHeatmap.svg(run, space: info.space, x: axes.x, y: axes.y, marked: marked)
        try AtomicReportFile.write(csv(run, ranking: ranking), to: files.results)
        try AtomicReportFile.write(svg, to: files.heatmap)
        try AtomicReportFile.write(html(info: info, run: run, ranking: ranking, heatmap: svg), to: files.html)
        try AtomicReportFile.write(try summaryJSON(info: info, run: run), to: files.summary)
        return files
    }

    // MARK: - results.csv

    static let periodColumns = ["trades", "net_pnl", "total_return", "sharpe", "sortino", "calmar", "max_drawdown",
                                "profit_factor", "win_rate"]

    /// One row per set: ranked sets best first (by the out-of-sample objective), then the refused
    /// ones in set order. Money in rupees from exact paise; ratios as numbers (empty when undefined).
    public static func csv(_ run: OptimizationRun, ranking: [Int]) -> String {
        let names = run.results.first?.set.names ?? []
        var header = ["rank", "set"] + names + ["is_objective", "oos_objective", "gap"]
        header += periodColumns.map { "is_\($0)" } + periodColumns.map { "oos_\($0)" } + ["seconds", "refused"]
        var out = header.map(ReportFormat.csvField).joined(separator: ",") + "\n"
        func period(_ s: PeriodScore?) -> [String] {
            guard let m = s?.metrics else { return Array(repeating: "", count: periodColumns.count) }
            return [String(m.trades.trades), ReportFormat.rupees(m.equityChange), number(m.totalReturn), number(m.sharpeRatio),
                    number(m.sortinoRatio), number(m.calmarRatio), number(m.maxDrawdown), number(m.trades.profitFactor),
                    number(m.trades.winRate)]
        }
        let refused = run.results.indices.filter { !run.results[$0].wasRun }
        for (position, k) in (ranking + refused).enumerated() {
            let r = run.results[k]
            var row = [r.wasRun ? String(position + 1) : "", String(r.index + 1)] + r.set.values.map(ParameterSet.format)
            row += [number(r.inSample?.objective ?? .nan), number(r.outOfSample?.objective ?? .nan), number(r.gap)]
            row += period(r.inSample) + period(r.outOfSample)
            row += [String(format: "%.6f", r.seconds), ReportFormat.csvField(r.refusal ?? "")]
            out += row.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A ratio for CSV: the shortest exact text; `inf` / `-inf` for infinities; empty for NaN.
    static func number(_ x: Double) -> String {
        x.isNaN ? "" : (x.isInfinite ? (x > 0 ? "inf" : "-inf") : x.description)
    }

    // MARK: - summary.json

    public static func summaryJSON(info: OptimizationInfo, run: OptimizationRun) throws(BacktestReportError) -> [UInt8] {
        let ranking = run.ranking(by: .outOfSample)
        let axes = OptimizationHeatmap.axes(run, space: info.space, preferred: info.heatmapParameters)
        return try AtomicReportFile.json(SummaryJSON(info: info, run: run, ranking: ranking, axes: axes), file: "summary.json")
    }

    /// A number, or `null` for NaN and ±∞ (JSON has neither).
    struct Ratio: Encodable {
        var value: Double
        init(_ value: Double) { self.value = value }
        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            if value.isFinite { try c.encode(value) } else { try c.encodeNil() }
        }
    }

    struct PeriodJSON: Encodable {
        var objective: Ratio, trades: Int, net_pnl_paise: Int64, total_return: Ratio, sharpe: Ratio, sortino: Ratio
        var calmar: Ratio, max_drawdown: Ratio, profit_factor: Ratio, win_rate: Ratio, trading_days: Int
        /// Trades and net P&L by exit reason.
        var exit_reasons: [String: ExitReasonTotals]

        init(_ s: PeriodScore) {
            let m = s.metrics
            objective = Ratio(s.objective); trades = m.trades.trades; net_pnl_paise = m.equityChange
            total_return = Ratio(m.totalReturn); sharpe = Ratio(m.sharpeRatio); sortino = Ratio(m.sortinoRatio)
            calmar = Ratio(m.calmarRatio); max_drawdown = Ratio(m.maxDrawdown); profit_factor = Ratio(m.trades.profitFactor)
            win_rate = Ratio(m.trades.winRate); trading_days = m.tradingDays
            exit_reasons = m.trades.byExitReason
        }
    }

    struct RankedJSON: Encodable {
        var rank: Int, set: Int, parameters: [String: Double], in_sample: PeriodJSON?, out_of_sample: PeriodJSON?, gap: Ratio
    }

    struct SummaryJSON: Encodable {
        struct Run: Encodable {
            var run_id: String, strategy: String, symbols: [String], started_at: Int64, started_at_ist: String
            var load_seconds: Ratio, data_sources: [String], settings: [String: String]
        }
        struct Search: Encodable {
            var method: String, parameters: [ParameterDimension], grid_size: Int, samples: Int?, seed: UInt64?
            var sets: Int, evaluated: Int, refused: Int, refused_draws: Int, refusals: [Refusal]
        }
        struct Refusal: Encodable { var set: Int, parameters: [String: Double], reason: String }
        struct Periods: Encodable {
            var split: String, in_sample: PeriodInfo, out_of_sample: PeriodInfo, warm_up_days: Int
        }
        struct Timing: Encodable {
            var threads: Int, scheduling: String, wall_seconds: Ratio, cpu_seconds: Ratio, worker_cpu_seconds: [Ratio]
            var bars_per_set: Int, bars_per_second: Ratio, sets_per_second: Ratio
        }
        struct Heatmap: Encodable { var file: String, x: String, y: String?, period_left: String, period_right: String }
        struct Importance: Encodable { var name: String, spread: Ratio }

        var format_version = 1
        var software = "ALPHA-PRIME \(AlphaPrimeVersion.string)"
        var run: Run
        var objective: String
        var ranked_by: String
        var search: Search
        var periods: Periods
        var timing: Timing
        var heatmap: Heatmap
        var parameter_importance: [Importance]
        var best: [RankedJSON]
        var files: [String]

        init(info: OptimizationInfo, run r: OptimizationRun, ranking: [Int], axes: (x: Int, y: Int?)) {
            run = Run(run_id: info.runID, strategy: info.strategy, symbols: info.symbols, started_at: info.startedAt,
                      started_at_ist: ReportFormat.istISO8601(info.startedAt), load_seconds: Ratio(info.loadSeconds),
                      data_sources: info.dataSources, settings: info.settings)
            objective = r.objective.rawValue
            ranked_by = "out_of_sample \(r.objective.rawValue), best first; ties by in-sample, then set number"
            var samples: Int?, seed: UInt64?
            if case let .random(n, s) = info.method { samples = n; seed = s }
            let refusals = r.results.filter { !$0.wasRun }.prefix(50).map {
                Refusal(set: $0.index + 1, parameters: $0.set.overrides, reason: $0.refusal ?? "")
            }
            search = Search(method: info.method.name, parameters: info.space.dimensions, grid_size: info.space.gridSize,
                            samples: samples, seed: seed, sets: r.results.count, evaluated: r.evaluated, refused: r.refused,
                            refused_draws: info.refusedDraws, refusals: Array(refusals))
            periods = Periods(split: info.split.description, in_sample: info.inSample, out_of_sample: info.outOfSample,
                              warm_up_days: info.warmUpDays)
            timing = Timing(threads: r.threads, scheduling: r.balanced ? "sets handed out as cores free up" : "each worker takes every n-th set",
                            wall_seconds: Ratio(r.wallSeconds), cpu_seconds: Ratio(r.cpuSeconds),
                            worker_cpu_seconds: r.workerCPUSeconds.map(Ratio.init),
                            bars_per_set: r.barsPerSet, bars_per_second: Ratio(r.barsPerSecond),
                            sets_per_second: Ratio(r.wallSeconds > 0 ? Double(r.evaluated) / r.wallSeconds : .nan))
            heatmap = Heatmap(file: OptimizationReport.heatmapFile, x: info.space.dimensions[axes.x].name,
                              y: axes.y.map { info.space.dimensions[$0].name }, period_left: "out_of_sample", period_right: "in_sample")
            parameter_importance = OptimizationHeatmap.importance(r, space: info.space).map { Importance(name: $0.name, spread: Ratio($0.spread)) }
            best = ranking.prefix(max(0, info.top)).enumerated().map { position, k in
                let s = r.results[k]
                return RankedJSON(rank: position + 1, set: s.index + 1, parameters: s.set.overrides,
                                  in_sample: s.inSample.map(PeriodJSON.init), out_of_sample: s.outOfSample.map(PeriodJSON.init),
                                  gap: Ratio(s.gap))
            }
            files = [OptimizationReport.resultsFile, OptimizationReport.heatmapFile, OptimizationReport.htmlFile,
                     OptimizationReport.summaryFile]
        }
    }

    // MARK: - report.html

    static func html(info: OptimizationInfo, run: OptimizationRun, ranking: [Int], heatmap: String) -> String {
        let e = ReportFormat.escape
        let objective = run.objective
        let best = ranking.first.map { run.results[$0] }
        var html = ReportPage.open(kind: "Optimisation", runID: info.runID, subtitle: subtitle(info, run), extraCSS: ReportPage.rankedTableCSS)
        html += "<section class=\"cards\">\n"
        if let best {
            html += "<div class=\"card\"><div class=\"label\">Best out-of-sample set</div><div class=\"value params\">"
                + best.set.description.split(separator: " ").map { e(String($0)) }.joined(separator: "<br>")
                + "</div><div class=\"note\">set \(best.index + 1), ranked by out-of-sample \(e(objective.title))</div></div>\n"
            html += BacktestReportHTML.card("Out-of-sample \(objective.title)", cell(best.outOfSample?.objective, objective),
                                            sign: (best.outOfSample?.objective).map { $0 - objective.neutral })
            html += BacktestReportHTML.card("In-sample \(objective.title)", cell(best.inSample?.objective, objective),
                                            sign: (best.inSample?.objective).map { $0 - objective.neutral })
            html += BacktestReportHTML.card("Gap (IS − OOS)", cell(best.gap, objective), sign: nil)
        }
        html += BacktestReportHTML.card("Sets", "\(run.evaluated)", sign: nil,
                                        note: run.refused + info.refusedDraws > 0 ? "\(run.refused + info.refusedDraws) refused" : nil)
        html += BacktestReportHTML.card("Time", String(format: "%.2f s", run.wallSeconds), sign: nil, note: "\(run.threads) thread\(run.threads == 1 ? "" : "s")")
        html += "</section>\n"
        html += "<section class=\"chart\">\n\(heatmap)</section>\n"

        let names = info.space.names
        html += "<section class=\"chart\">\n<table class=\"ranked\"><caption>Best \(min(info.top, ranking.count)) of \(ranking.count) by out-of-sample \(e(objective.title))</caption>\n<thead><tr>"
        html += "<th>rank</th><th style=\"text-align:left\">parameters</th><th>IS</th><th>OOS</th><th>gap</th>"
        html += "<th>OOS trades</th><th>OOS net P&amp;L</th><th>OOS max DD</th><th>IS trades</th><th>IS net P&amp;L</th></tr></thead>\n<tbody>\n"
        for (position, k) in ranking.prefix(max(0, info.top)).enumerated() {
            let r = run.results[k]
            let params = zip(names, r.set.values).map { "\($0)=\(ParameterSet.format($1))" }.joined(separator: " ")
            html += "<tr><td>\(position + 1)</td><td class=\"params\">\(e(params))</td>"
            html += "<td>\(e(cell(r.inSample?.objective, objective)))</td><td>\(e(cell(r.outOfSample?.objective, objective)))</td>"
            html += "<td>\(e(cell(r.gap, objective)))</td>"
            html += "<td>\(r.outOfSample?.metrics.trades.trades ?? 0)</td><td>\(e(r.outOfSample.map { ReportFormat.inr($0.metrics.equityChange) } ?? "—"))</td>"
            html += "<td>\(e(r.outOfSample.map { ReportFormat.percent($0.metrics.maxDrawdown) } ?? "—"))</td>"
            html += "<td>\(r.inSample?.metrics.trades.trades ?? 0)</td><td>\(e(r.inSample.map { ReportFormat.inr($0.metrics.equityChange) } ?? "—"))</td></tr>\n"
        }
        html += "</tbody></table>\n</section>\n"

        var rows: [(String, String, Double?)] = [
            ("Run id", info.runID, nil),
            ("Strategy", info.strategy, nil),
            ("Symbols", info.symbols.joined(separator: ", "), nil),
            ("Search", searchText(info, run), nil),
            ("In-sample", info.inSample.text + ", \(info.inSample.bars) bars", nil),
            ("Out-of-sample", info.outOfSample.text + ", \(info.outOfSample.bars) bars"
                + (info.outOfSample.warmUpFrom.map { ", indicators warmed up from \($0)" } ?? ""), nil),
            ("Split", info.split.description, nil),
            ("Threads", "\(run.threads)" + (run.balanced ? " (sets handed out as cores free up)" : " (each takes every n-th set)"), nil),
            ("Sweep time", String(format: "%.3f s wall, %.3f s CPU (%.0f bars/s)", run.wallSeconds, run.cpuSeconds, run.barsPerSecond), nil),
            ("Started (IST)", ReportFormat.istISO8601(info.startedAt), nil),
        ]
        if !info.dataSources.isEmpty { rows.append(("Data", info.dataSources.joined(separator: ", "), nil)) }
        for key in info.settings.keys.sorted() { rows.append((key, info.settings[key]!, nil)) }
        html += "<section class=\"tables\">\n" + BacktestReportHTML.table("Run", rows, wide: true) + "</section>\n"
        html += ReportPage.close(footer: """
        Every set is backtested on the in-sample days and, separately, on the \
        out-of-sample days (its indicators warmed up on the days just before, without trading); sets are ranked by the \
        out-of-sample \(e(objective.title)). The gap is in-sample − out-of-sample: a large gap means the in-sample result \
        was fitted to noise. Files: results.csv (every set), heatmap.svg, summary.json.
        """)
        return html
    }

    static func cell(_ v: Double?, _ objective: OptimizationObjective) -> String {
        OptimizationHeatmap.value(v ?? .nan, objective)
    }

    static func subtitle(_ info: OptimizationInfo, _ run: OptimizationRun) -> String {
        [info.strategy, info.symbols.joined(separator: ", "), "\(info.inSample.firstDay) → \(info.outOfSample.lastDay)",
         "\(run.evaluated) sets", "objective \(run.objective.rawValue)"].joined(separator: " · ")
    }

    static func searchText(_ info: OptimizationInfo, _ run: OptimizationRun) -> String {
        let over = info.space.names.joined(separator: ", ")
        switch info.method {
        case .grid: return "grid over \(over): \(run.results.count) sets"
        case .random(let n, let seed): return "random over \(over): \(n) sets asked, \(run.results.count) drawn, seed \(seed)"
        }
    }

    // MARK: - Text

    /// What `optimize` prints: the run, the split, the timing and the best sets.
    public static func text(info: OptimizationInfo, run: OptimizationRun, directory: String?) -> String {
        let ranking = run.ranking(by: .outOfSample)
        let objective = run.objective
        var lines: [String] = []
        lines.append("optimize \(info.runID): \(info.strategy) on \(info.symbols.joined(separator: ", "))")
        var search = searchText(info, run) + ", objective \(objective.rawValue)"
        if run.refused + info.refusedDraws > 0 { search += " (\(run.refused + info.refusedDraws) refused by the strategy's rules)" }
        lines.append(search)
        lines.append("in-sample \(info.inSample.text), out-of-sample \(info.outOfSample.text)"
                     + (info.outOfSample.warmUpFrom.map { ", indicators warmed up from \($0)" } ?? ""))
        let on = run.balanced ? "on \(run.threads) core\(run.threads == 1 ? "" : "s") (sets handed out as cores free up)"
            : "on \(run.threads) thread\(run.threads == 1 ? "" : "s")"
        lines.append("\(run.evaluated) sets × \(run.barsPerSet) bars in " + String(format: "%.3f s ", run.wallSeconds) + on
                     + String(format: ", %.1fM bars/s, %.3f s CPU", run.barsPerSecond / 1e6, run.cpuSeconds))
        lines.append("")
        let names = info.space.names
        let widths = names.map { max($0.count, 6) }
        var header = "rank".leftPad(4)
        for (n, w) in zip(names, widths) { header += "  " + n.leftPad(w) }
        header += "  " + "IS".leftPad(9) + "  " + "OOS".leftPad(9) + "  " + "gap".leftPad(9) + "  " + "OOS trades".leftPad(10)
            + "  " + "OOS net P&L".leftPad(14)
        lines.append(header)
        for (position, k) in ranking.prefix(max(0, info.top)).enumerated() {
            let r = run.results[k]
            var line = String(position + 1).leftPad(4)
            for (v, w) in zip(r.set.values, widths) { line += "  " + ParameterSet.format(v).leftPad(w) }
            line += "  " + cell(r.inSample?.objective, objective).leftPad(9) + "  " + cell(r.outOfSample?.objective, objective).leftPad(9)
            line += "  " + cell(r.gap, objective).leftPad(9) + "  " + String(r.outOfSample?.metrics.trades.trades ?? 0).leftPad(10)
            line += "  " + ("₹" + Paise(r.outOfSample?.metrics.equityChange ?? 0).description).leftPad(14)
            lines.append(line)
        }
        if ranking.isEmpty { lines.append("(no set could be run)") }
        if let directory { lines.append(""); lines.append("report: \(directory)") }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// Right-aligned in `width` characters (never cut).
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
