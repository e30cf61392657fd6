import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// How much a parameter moves the objective: the spread (highest − lowest) of the mean objective
/// over the sets sharing each of its values. NaN when fewer than two of its values have a finite mean.
public struct ParameterImportance: Sendable, Equatable {
    public var name: String
    public var spread: Double
}

/// The objective over two parameters as a grid of coloured cells, out-of-sample beside in-sample.
///
/// Each cell is the mean objective of the sets with those two values (over every value of the
/// other parameters that was searched); its tooltip gives the number of sets and the best one.
public enum OptimizationHeatmap {
    /// One cell: the finite objectives of the sets that fall in it.
    public struct Cell: Sendable, Equatable {
        public var sets = 0
        public var mean = Double.nan
        public var best = Double.nan
    }

    /// Parameters by importance for the out-of-sample objective, most important first (ties and
    /// NaN in the space's order).
    public static func importance(_ run: OptimizationRun, space: ParameterSpace) -> [ParameterImportance] {
        let measured = space.dimensions.indices.map { d -> ParameterImportance in
            var sums: [Double: (Double, Int)] = [:]
            for r in run.results where r.wasRun {
                guard let v = r.outOfSample?.objective, v.isFinite else { continue }
                let key = r.set.values[d]
                let (s, n) = sums[key] ?? (0, 0)
                sums[key] = (s + v, n + 1)
            }
            let means = sums.values.map { $0.0 / Double($0.1) }
            let spread = means.count >= 2 ? means.max()! - means.min()! : .nan
            return ParameterImportance(name: space.dimensions[d].name, spread: spread)
        }
        return measured.indices.sorted { a, b in
            OptimizationObjective.ranksBefore(measured[a].spread, measured[b].spread) ?? (a < b)
        }.map { measured[$0] }
    }

    /// The two axes (dimension indices into the space): the first two of `preferred` when given,
    /// else the two most important parameters; `y` is nil when only one parameter is searched.
    public static func axes(_ run: OptimizationRun, space: ParameterSpace, preferred: [String] = []) -> (x: Int, y: Int?) {
        let names = preferred.isEmpty ? importance(run, space: space).map(\.name) : preferred
        let order = names.compactMap { space.names.firstIndex(of: $0) }
        let x = order.first ?? 0
        let y = order.count > 1 ? order[1] : (space.dimensions.count > 1 ? (x == 0 ? 1 : 0) : nil)
        return (x, y)
    }

    /// Cells `[row (y value)][column (x value)]` of the objective in one period.
    public static func cells(_ run: OptimizationRun, space: ParameterSpace, x: Int, y: Int?,
                             period: OptimizationRun.Period) -> [[Cell]] {
        let xs = space.dimensions[x].values, ys = y.map { space.dimensions[$0].values } ?? [0]
        var sums = Array(repeating: Array(repeating: (sum: 0.0, finite: 0, sets: 0, best: Double.nan), count: xs.count),
                         count: ys.count)
        for r in run.results where r.wasRun {
            guard let i = xs.firstIndex(of: r.set.values[x]) else { continue }
            let j = y.flatMap { ys.firstIndex(of: r.set.values[$0]) } ?? 0
            let v = (period == .outOfSample ? r.outOfSample?.objective : r.inSample?.objective) ?? .nan
            sums[j][i].sets += 1
            guard v.isFinite else { continue }
            sums[j][i].sum += v
            sums[j][i].finite += 1
            if !(sums[j][i].best >= v) { sums[j][i].best = v }
        }
        return sums.map { row in
            row.map { Cell(sets: $0.sets, mean: $0.finite > 0 ? $0.sum / Double($0.finite) : .nan, best: $0.best) }
        }
    }

    /// The SVG: out-of-sample on the left, in-sample on the right, on one colour scale; the cell of
    /// `marked` (the top-ranked set) outlined in both.
    public static func svg(_ run: OptimizationRun, space: ParameterSpace, x: Int, y: Int?, marked: ParameterSet?) -> String {
        let objective = run.objective
        let oos = cells(run, space: space, x: x, y: y, period: .outOfSample)
        let ins = cells(run, space: space, x: x, y: y, period: .inSample)
        let deviations = (oos + ins).flatMap { $0 }.map(\.mean).filter(\.isFinite).map { abs($0 - objective.neutral) }
        let scale = max(deviations.max() ?? 0, 1e-12)
        let xs = space.dimensions[x].values, ys = y.map { space.dimensions[$0].values } ?? []
        let nx = xs.count, ny = max(ys.count, 1)
        let cellWidth = min(64, max(14, 560 / Double(nx))), cellHeight = min(30, max(12, 380 / Double(ny)))
        let left = 78.0, top = 42.0, gap = 36.0
        let panelWidth = left + Double(nx) * cellWidth + 14
        let gridHeight = Double(ny) * cellHeight
        let width = max(2 * panelWidth + gap, 720), height = top + gridHeight + 76
        let mark = marked.map { m in (xs.firstIndex(of: m.values[x]), y.flatMap { ys.firstIndex(of: m.values[$0]) } ?? 0) }

        let title = "\(objective.title): out-of-sample and in-sample"
        var svg = SVGText.open(width: width, height: height, title: title)
        for (p, (label, grid)) in [("Out-of-sample", oos), ("In-sample", ins)].enumerated() {
            let x0 = Double(p) * (panelWidth + gap)
            let gx = x0 + left
            svg += "<text x=\"\(SVGText.f(gx))\" y=\"18\" font-size=\"14\" font-weight=\"600\" fill=\"#222\">"
                + "\(e(label)) \(e(objective.title))</text>\n"
            // Column labels under the grid, thinned to about 12.
            let every = max(1, (nx + 11) / 12)
            for (i, v) in xs.enumerated() where i % every == 0 {
                let cx = gx + (Double(i) + 0.5) * cellWidth
                svg += "<text x=\"\(SVGText.f(cx))\" y=\"\(SVGText.f(top + gridHeight + 14))\" text-anchor=\"middle\" fill=\"#555\">\(ParameterSet.format(v))</text>"
            }
            svg += "<text x=\"\(SVGText.f(gx + Double(nx) * cellWidth / 2))\" y=\"\(SVGText.f(top + gridHeight + 32))\" "
                + "text-anchor=\"middle\" font-weight=\"600\" fill=\"#333\">\(e(space.dimensions[x].name))</text>\n"
            if let y {
                let rowEvery = max(1, Int((14 / cellHeight).rounded(.up)))
                for (j, v) in ys.enumerated() where j % rowEvery == 0 {
                    let cy = top + (Double(j) + 0.5) * cellHeight + 4
                    svg += "<text x=\"\(SVGText.f(gx - 6))\" y=\"\(SVGText.f(cy))\" text-anchor=\"end\" fill=\"#555\">\(ParameterSet.format(v))</text>"
                }
                let ly = top + gridHeight / 2
                svg += "<text x=\"\(SVGText.f(x0 + 14))\" y=\"\(SVGText.f(ly))\" text-anchor=\"middle\" font-weight=\"600\" fill=\"#333\" "
                    + "transform=\"rotate(-90 \(SVGText.f(x0 + 14)) \(SVGText.f(ly)))\">\(e(space.dimensions[y].name))</text>\n"
            }
            for j in 0..<ny {
                for i in 0..<nx {
                    let cell = grid[j][i]
                    let cx = gx + Double(i) * cellWidth, cy = top + Double(j) * cellHeight
                    let fill: String
                    if cell.sets == 0 {
                        fill = "#ffffff"
                    } else if !cell.mean.isFinite {
                        fill = "#e4e4e4"
                    } else {
                        let d = cell.mean - objective.neutral
                        fill = d == 0 ? "#eeeeee" : SVGText.heat(d, strength: min(abs(d) / scale, 1))
                    }
                    var tip = "\(space.dimensions[x].name)=\(ParameterSet.format(xs[i]))"
                    if let y { tip += ", \(space.dimensions[y].name)=\(ParameterSet.format(ys[j]))" }
                    tip += cell.sets == 0 ? ": not searched" : ": mean \(value(cell.mean, objective)) over \(cell.sets) set\(cell.sets == 1 ? "" : "s")"
                    if cell.sets > 1 && cell.best.isFinite { tip += ", best \(value(cell.best, objective))" }
                    svg += "<rect x=\"\(SVGText.f(cx))\" y=\"\(SVGText.f(cy))\" width=\"\(SVGText.f(cellWidth))\" height=\"\(SVGText.f(cellHeight))\" "
                        + "fill=\"\(fill)\" stroke=\"#fff\" stroke-width=\"1\"><title>\(e(tip))</title></rect>"
                    if cellWidth >= 34 && cellHeight >= 16 && cell.sets > 0 {
                        let strength = cell.mean.isFinite ? min(abs(cell.mean - objective.neutral) / scale, 1) : 0
                        svg += "<text x=\"\(SVGText.f(cx + cellWidth / 2))\" y=\"\(SVGText.f(cy + cellHeight / 2 + 4))\" text-anchor=\"middle\" "
                            + "font-size=\"10\" fill=\"\(strength > 0.6 ? "#fff" : "#222")\">\(e(value(cell.mean, objective)))</text>"
                    }
                }
                svg += "\n"
            }
            if let mark, let i = mark.0 {
                let j = mark.1
                svg += "<rect x=\"\(SVGText.f(gx + Double(i) * cellWidth + 1))\" y=\"\(SVGText.f(top + Double(j) * cellHeight + 1))\" "
                    + "width=\"\(SVGText.f(cellWidth - 2))\" height=\"\(SVGText.f(cellHeight - 2))\" fill=\"none\" stroke=\"#111\" stroke-width=\"2\"/>\n"
            }
        }
        let others = space.dimensions.indices.filter { $0 != x && $0 != y }.map { space.dimensions[$0].name }
        var note = "Cell: mean over the sets with those values"
        if !others.isEmpty { note += " (every searched \(others.joined(separator: ", ")))" }
        let colours = "Green above \(ParameterSet.format(objective.neutral)), red below, one scale for both panels; "
            + "outlined: the top-ranked set; blank: not searched."
        svg += "<text x=\"\(SVGText.f(left))\" y=\"\(SVGText.f(height - 22))\" fill=\"#666\">\(e(note))</text>\n"
        svg += "<text x=\"\(SVGText.f(left))\" y=\"\(SVGText.f(height - 8))\" fill=\"#666\">\(e(colours))</text>\n"
        return svg + "</svg>\n"
    }

    /// An objective value as a cell shows it.
    static func value(_ v: Double, _ objective: OptimizationObjective) -> String {
        guard v.isFinite else { return ReportFormat.nonFinite(v) }
        return objective == .netPnL ? BacktestReportHTML.axisRupees(v) : ReportFormat.ratio(v)
    }

    static func e(_ s: String) -> String { ReportFormat.escape(s) }
}
