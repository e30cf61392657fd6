import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// The walk-forward files of a backtest run directory: `walk_forward.json` (windows, chosen
/// parameters, stitched out-of-sample and hindsight in-sample metrics) and `walk_forward.html`.
/// The stitched out-of-sample run itself is written by ``BacktestReport`` beside them.
public enum WalkForwardReport {
    public static let jsonFile = "walk_forward.json"
    public static let htmlFile = "walk_forward.html"

    /// What the report needs besides the result.
    public struct Search: Sendable {
        public var space: ParameterSpace
        public var method: SearchMethod
        public var refusedDraws: Int

        public init(space: ParameterSpace, method: SearchMethod, refusedDraws: Int = 0) {
            self.space = space; self.method = method; self.refusedDraws = refusedDraws
        }
    }

    /// Writes `walk_forward.json`, and `walk_forward.html` when `html` is true.
    public static func write(to directory: String, run: BacktestRunInfo, result: WalkForwardResult, search: Search,
                             html: Bool = true) throws(BacktestReportError) {
        guard BacktestRunInfo.isValidRunID(run.runID) else {
            throw BacktestReportError(path: run.runID, kind: .invalidRunID)
        }
        try AtomicReportFile.makeDirectories(directory)
        if html { try AtomicReportFile.write(page(run: run, result: result, search: search), to: "\(directory)/\(htmlFile)") }
        try AtomicReportFile.write(json(run: run, result: result, search: search), to: "\(directory)/\(jsonFile)")
    }

    // MARK: - walk_forward.json

    typealias Ratio = OptimizationReport.Ratio

    struct WindowJSON: Encodable {
        struct Side: Encodable { var objective: Ratio, trades: Int, net_pnl_paise: Int64, total_return: Ratio, trading_days: Int }
        var window: Int, train_first: LocalDate, train_last: LocalDate, train_days: Int
        var test_first: LocalDate, test_last: LocalDate, test_days: Int
        var parameters: [String: Double], chosen_by: String
        var in_sample: Side, out_of_sample: Side, gap: Ratio
        var test_final_equity_paise: Int64, sets_evaluated: Int, sets_refused: Int, seconds: Ratio

        init(_ w: WalkForwardWindowResult) {
            window = w.window.index + 1
            train_first = w.trainFirstDay; train_last = w.trainLastDay; train_days = w.window.trainDays
            test_first = w.testFirstDay; test_last = w.testLastDay; test_days = w.window.testDays
            parameters = w.chosen.overrides
            chosen_by = w.chosenByObjective ? "in_sample_objective" : "configured_values"
            let i = w.inSample.metrics, o = w.outOfSample.metrics
            in_sample = Side(objective: Ratio(w.inSample.objective), trades: i.trades.trades, net_pnl_paise: i.equityChange,
                             total_return: Ratio(i.totalReturn), trading_days: i.tradingDays)
            out_of_sample = Side(objective: Ratio(w.outOfSampleObjective), trades: o.trades.trades, net_pnl_paise: o.equityChange,
                                 total_return: Ratio(o.totalReturn), trading_days: o.tradingDays)
            gap = Ratio(w.gap)
            test_final_equity_paise = w.outOfSample.finalEquity
            sets_evaluated = w.setsEvaluated; sets_refused = w.setsRefused; seconds = Ratio(w.seconds)
        }
    }

    struct FileJSON: Encodable {
        struct SearchJSON: Encodable {
            var method: String, parameters: [ParameterDimension], sets: Int, samples: Int?, seed: UInt64?, refused_draws: Int
        }
        struct Schedule: Encodable { var train_days: Int, test_days: Int, step_days: Int, warm_up_days: Int, trading_days: Int, windows: Int }
        struct Result: Encodable {
            var description: String, parameters: [String: Double]?, first_day: LocalDate?, last_day: LocalDate?
            var trading_days: Int, trades: Int, metrics: PerformanceMetrics
        }
        struct Comparison: Encodable {
            var mean_in_sample_objective: Ratio, mean_out_of_sample_objective: Ratio, walk_forward_efficiency: Ratio
            var efficiency_meaning: String
        }

        var format_version = 1
        var software = "ALPHA-PRIME \(AlphaPrimeVersion.string)"
        var run: BacktestRunInfo
        var strategy: String
        var objective: String
        var search: SearchJSON
        var schedule: Schedule
        var windows: [WindowJSON]
        var out_of_sample: Result
        var in_sample: Result
        var comparison: Comparison
        var wall_seconds: Ratio
    }

    public static func json(run: BacktestRunInfo, result r: WalkForwardResult, search: Search) throws(BacktestReportError) -> [UInt8] {
        var samples: Int?, seed: UInt64?
        if case let .random(n, s) = search.method { samples = n; seed = s }
        let file = FileJSON(
            run: run, strategy: search.space.strategy, objective: r.objective.rawValue,
            search: .init(method: search.method.name, parameters: search.space.dimensions, sets: r.sets, samples: samples,
                          seed: seed, refused_draws: search.refusedDraws),
            schedule: .init(train_days: r.schedule.trainDays, test_days: r.schedule.testDays, step_days: r.schedule.stepDays,
                            warm_up_days: r.warmUpDays, trading_days: r.days.count, windows: r.windows.count),
            windows: r.windows.map(WindowJSON.init),
            out_of_sample: .init(description: "the test windows one after the other, each trading the set chosen on its train window",
                                 parameters: nil, first_day: r.outOfSample.dailyEquity.first?.date,
                                 last_day: r.outOfSample.dailyEquity.last?.date, trading_days: r.outOfSample.metrics.tradingDays,
                                 trades: r.outOfSample.trades.count, metrics: r.outOfSample.metrics),
            in_sample: .init(description: "the set with the best objective over the same span, chosen with hindsight",
                             parameters: r.hindsightSet.overrides, first_day: r.inSample.dailyEquity.first?.date,
                             last_day: r.inSample.dailyEquity.last?.date, trading_days: r.inSample.metrics.tradingDays,
                             trades: r.inSample.trades.count, metrics: r.inSample.metrics),
            comparison: .init(mean_in_sample_objective: Ratio(r.meanInSampleObjective),
                              mean_out_of_sample_objective: Ratio(r.meanOutOfSampleObjective),
                              walk_forward_efficiency: Ratio(r.efficiency),
                              efficiency_meaning: "out-of-sample annual return / in-sample (hindsight) annual return; null unless the in-sample return is a gain"),
            wall_seconds: Ratio(r.wallSeconds))
        return try AtomicReportFile.json(file, file: "walk_forward.json")
    }

    // MARK: - walk_forward.html

    static func page(run: BacktestRunInfo, result r: WalkForwardResult, search: Search) -> String {
        let e = ReportFormat.escape
        let o = r.outOfSample.metrics, i = r.inSample.metrics
        let objective = r.objective
        let oosChart = SVGLineChart(
            title: "Out-of-sample equity: test windows stitched (₹, day-end)", dates: r.outOfSample.dailyEquity.map(\.date),
            values: r.outOfSample.dailyEquity.map { Double($0.equity) / 100 }, color: "#1f6feb",
            reference: (Double(o.startingCapital) / 100, "starting capital \(ReportFormat.inr(o.startingCapital))"),
            format: BacktestReportHTML.axisRupees)
        let isChart = SVGLineChart(
            title: "In-sample equity: best set with hindsight (\(r.hindsightSet.description))", dates: r.inSample.dailyEquity.map(\.date),
            values: r.inSample.dailyEquity.map { Double($0.equity) / 100 }, color: "#8250df",
            reference: (Double(i.startingCapital) / 100, "starting capital \(ReportFormat.inr(i.startingCapital))"),
            format: BacktestReportHTML.axisRupees)
        var html = ReportPage.open(kind: "Walk-forward", runID: run.runID, subtitle: subtitle(run, r, search), extraCSS: ReportPage.rankedTableCSS)
        html += "<section class=\"cards\">\n"
        html += BacktestReportHTML.card("OOS total return", ReportFormat.percent(o.totalReturn), sign: o.totalReturn, note: "stitched test windows")
        html += BacktestReportHTML.card("IS total return", ReportFormat.percent(i.totalReturn), sign: i.totalReturn, note: "hindsight, same span")
        html += BacktestReportHTML.card("OOS \(objective.title)", OptimizationHeatmap.value(objective.value(of: o), objective), sign: nil)
        html += BacktestReportHTML.card("IS \(objective.title)", OptimizationHeatmap.value(objective.value(of: i), objective), sign: nil)
        html += BacktestReportHTML.card("OOS net P&L", ReportFormat.inr(o.equityChange), sign: o.equityChange)
        html += BacktestReportHTML.card("Efficiency", ReportFormat.percent(r.efficiency, digits: 0), sign: nil, note: "OOS / IS annual return")
        html += "</section>\n"
        html += "<section class=\"chart\">\n\(oosChart.render())</section>\n"
        html += "<section class=\"chart\">\n\(isChart.render())</section>\n"

        html += "<section class=\"chart\">\n<table class=\"ranked\"><caption>Windows: parameters chosen on the train days by in-sample "
            + "\(e(objective.title)), then traded on the test days</caption>\n<thead><tr>"
        html += "<th>#</th><th>train</th><th>test</th><th style=\"text-align:left\">chosen</th><th>IS</th><th>OOS</th><th>gap</th>"
        html += "<th>OOS trades</th><th>OOS net P&amp;L</th><th>OOS return</th></tr></thead>\n<tbody>\n"
        for w in r.windows {
            let m = w.outOfSample.metrics
            html += "<tr><td>\(w.window.index + 1)</td><td>\(span(w.trainFirstDay, w.trainLastDay))</td><td>\(span(w.testFirstDay, w.testLastDay))</td>"
            html += "<td class=\"params\">\(e(w.chosen.description))\(w.chosenByObjective ? "" : " (configured)")</td>"
            html += "<td>\(e(OptimizationHeatmap.value(w.inSample.objective, objective)))</td>"
            html += "<td>\(e(OptimizationHeatmap.value(w.outOfSampleObjective, objective)))</td>"
            html += "<td>\(e(OptimizationHeatmap.value(w.gap, objective)))</td><td>\(m.trades.trades)</td>"
            html += "<td>\(e(ReportFormat.inr(m.equityChange)))</td><td>\(e(ReportFormat.percent(m.totalReturn)))</td></tr>\n"
        }
        html += "</tbody></table>\n</section>\n"

        let rows: [(String, String, Double?)] = [
            ("Out-of-sample (stitched)", "\(r.outOfSample.trades.count) trades, Sharpe \(ReportFormat.ratio(o.sharpeRatio)), "
                + "max drawdown \(ReportFormat.percent(o.maxDrawdown)), \(o.tradingDays) days", nil),
            ("In-sample (hindsight)", "\(r.inSample.trades.count) trades, Sharpe \(ReportFormat.ratio(i.sharpeRatio)), "
                + "max drawdown \(ReportFormat.percent(i.maxDrawdown)), \(i.tradingDays) days", nil),
            ("Mean \(objective.title) of the windows", "in-sample \(OptimizationHeatmap.value(r.meanInSampleObjective, objective)), "
                + "out-of-sample \(OptimizationHeatmap.value(r.meanOutOfSampleObjective, objective))", nil),
            ("Schedule", "train \(r.schedule.trainDays), test \(r.schedule.testDays), step \(r.schedule.stepDays) trading days; "
                + "warm-up \(r.warmUpDays) days; \(r.windows.count) windows over \(r.days.count) days", nil),
            ("Search", searchText(r, search), nil),
            ("Elapsed", String(format: "%.3f s", r.wallSeconds), nil),
        ]
        html += "<section class=\"tables\">\n" + BacktestReportHTML.table("Walk-forward", rows, wide: true) + "</section>\n"
        html += ReportPage.close(footer: """
        Each train window's bars end before its test window begins, so \
        the choice of parameters never sees the days it is tested on. Each test window starts with the equity the previous \
        one ended with; its indicators are warmed up on the days just before it, without trading. The in-sample run is the \
        set that did best over the same span, chosen knowing those days: the gap between the two is what optimising on \
        the past costs. The stitched run's full report: <a href="report.html">report.html</a> (summary.json, trades.csv, \
        daily_equity.csv); every window: walk_forward.json.
        """)
        return html
    }

    /// `2021-01-01 → 03-30` (the year once when both days share it).
    static func span(_ first: LocalDate, _ last: LocalDate) -> String {
        first.year == last.year ? "\(first) → \(String(last.description.dropFirst(5)))" : "\(first) → \(last)"
    }

    static func subtitle(_ run: BacktestRunInfo, _ r: WalkForwardResult, _ search: Search) -> String {
        var parts = [search.space.strategy, run.symbols.joined(separator: ", ")]
        if let first = r.outOfSample.dailyEquity.first?.date, let last = r.outOfSample.dailyEquity.last?.date {
            parts.append("out-of-sample \(first) → \(last)")
        }
        parts.append("\(r.windows.count) windows")
        parts.append("objective \(r.objective.rawValue)")
        return parts.joined(separator: " · ")
    }

    static func searchText(_ r: WalkForwardResult, _ search: Search) -> String {
        let over = search.space.names.joined(separator: ", ")
        switch search.method {
        case .grid: return "grid over \(over): \(r.sets) sets per window"
        case .random(let n, let seed): return "random over \(over): \(n) sets asked, \(r.sets) drawn, seed \(seed)"
        }
    }

    // MARK: - Text

    /// What `backtest --walk-forward` prints.
    public static func text(run: BacktestRunInfo, result r: WalkForwardResult, search: Search, directory: String?) -> String {
        let objective = r.objective
        var lines: [String] = []
        lines.append("walk-forward \(run.runID): \(search.space.strategy) on \(run.symbols.joined(separator: ", "))")
        lines.append("\(r.windows.count) windows (train \(r.schedule.trainDays), test \(r.schedule.testDays), step \(r.schedule.stepDays) "
                     + "trading days), \(searchText(r, search)), objective \(objective.rawValue)")
        lines.append("")
        lines.append("  #  " + "train".padding(toLength: 23, withPad: " ", startingAt: 0) + "  "
                     + "test".padding(toLength: 23, withPad: " ", startingAt: 0) + "  " + "IS".leftPad(9) + "  " + "OOS".leftPad(9)
                     + "  " + "OOS net P&L".leftPad(14) + "  chosen")
        for w in r.windows {
            var line = String(w.window.index + 1).leftPad(3) + "  "
            line += "\(w.trainFirstDay) → \(w.trainLastDay)  \(w.testFirstDay) → \(w.testLastDay)  "
            line += OptimizationHeatmap.value(w.inSample.objective, objective).leftPad(9) + "  "
            line += OptimizationHeatmap.value(w.outOfSampleObjective, objective).leftPad(9) + "  "
            line += ("₹" + Paise(w.outOfSample.metrics.equityChange).description).leftPad(14) + "  "
            line += w.chosen.description + (w.chosenByObjective ? "" : " (configured: no finite objective on the train days)")
            lines.append(line)
        }
        let o = r.outOfSample.metrics, i = r.inSample.metrics
        func pct(_ x: Double) -> String { x.isFinite ? String(format: "%.2f%%", x * 100) : "–" }
        lines.append("")
        lines.append("".padding(toLength: 20, withPad: " ", startingAt: 0) + "out-of-sample".leftPad(16) + "in-sample".leftPad(16))
        lines.append("".padding(toLength: 20, withPad: " ", startingAt: 0) + "(stitched)".leftPad(16) + "(hindsight)".leftPad(16))
        func row(_ name: String, _ a: String, _ b: String) {
            lines.append(name.padding(toLength: 20, withPad: " ", startingAt: 0) + a.leftPad(16) + b.leftPad(16))
        }
        row("trades", String(o.trades.trades), String(i.trades.trades))
        row("net P&L", "₹" + Paise(o.equityChange).description, "₹" + Paise(i.equityChange).description)
        row("total return", pct(o.totalReturn), pct(i.totalReturn))
        row("max drawdown", pct(o.maxDrawdown), pct(i.maxDrawdown))
        row(objective.title, OptimizationHeatmap.value(objective.value(of: o), objective),
            OptimizationHeatmap.value(objective.value(of: i), objective))
        lines.append("in-sample set: \(r.hindsightSet.description); efficiency (OOS / IS annual return) \(pct(r.efficiency))")
        if let directory { lines.append(""); lines.append("report: \(directory)") }
        return lines.joined(separator: "\n")
    }
}
