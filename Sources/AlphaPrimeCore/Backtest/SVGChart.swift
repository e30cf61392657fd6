import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// A line (or area) chart over trading days, as a self-contained inline SVG: no script, no external
/// font or stylesheet. Days are evenly spaced (weekends and holidays take no room).
struct SVGLineChart {
    var title: String
    var dates: [LocalDate]
    var values: [Double]
    var color: String
    /// Fill between the line and zero (the drawdown chart).
    var fillToZero = false
    /// A dashed horizontal line, e.g. the starting capital.
    var reference: (value: Double, label: String)?
    /// Labels of the value axis.
    var format: (Double) -> String
    /// Labels of the time axis at point indexes; nil for one per month (or year) of `dates`.
    var marks: [(Int, String)]? = nil
    var width = 960.0
    var height = 300.0

    private let left = 86.0, right = 18.0, top = 34.0, bottom = 30.0

    func render() -> String {
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        var svg = SVGText.open(width: width, height: height, title: title)
        svg += "<text x=\"\(left)\" y=\"20\" class=\"chart-title\" font-size=\"14\" font-weight=\"600\" fill=\"#222\">\(ReportFormat.escape(title))</text>\n"
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else {
            svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"#fafafa\" stroke=\"#ddd\"/>\n"
            svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(top + plotHeight / 2)\" text-anchor=\"middle\" fill=\"#888\">No trading days</text>\n"
            return svg + "</svg>\n"
        }

        // Value axis: nice round ticks covering the data (and zero for an area, the reference line).
        var low = finite.min()!, high = finite.max()!
        if fillToZero { low = min(low, 0); high = max(high, 0) }
        if let reference { low = min(low, reference.value); high = max(high, reference.value) }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.01
            low -= pad; high += pad
        }
        let step = SVGText.niceStep((high - low) / 5)
        low = (low / step).rounded(.down) * step
        high = (high / step).rounded(.up) * step
        func y(_ v: Double) -> Double { top + plotHeight * (high - v) / (high - low) }
        let n = values.count
        func x(_ i: Int) -> Double { n == 1 ? left + plotWidth / 2 : left + plotWidth * Double(i) / Double(n - 1) }

        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"#fff\" stroke=\"#ccc\"/>\n"
        var tick = low
        while tick <= high + step / 2 {
            let ty = SVGText.f(y(tick))
            svg += "<line x1=\"\(left)\" y1=\"\(ty)\" x2=\"\(left + plotWidth)\" y2=\"\(ty)\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(ty)\" dy=\"4\" text-anchor=\"end\" fill=\"#555\">\(ReportFormat.escape(format(abs(tick) < step / 1e6 ? 0 : tick)))</text>\n"
            tick += step
        }

        // Date axis: one label per month, or per year for long runs, at most about 12.
        for (i, label) in marks ?? dateMarks() {
            let tx = SVGText.f(x(i))
            svg += "<line x1=\"\(tx)\" y1=\"\(top + plotHeight)\" x2=\"\(tx)\" y2=\"\(top + plotHeight + 4)\" stroke=\"#999\"/>"
            svg += "<text x=\"\(tx)\" y=\"\(top + plotHeight + 17)\" text-anchor=\"middle\" fill=\"#555\">\(label)</text>\n"
        }

        if let reference {
            let ry = SVGText.f(y(reference.value))
            svg += "<line x1=\"\(left)\" y1=\"\(ry)\" x2=\"\(left + plotWidth)\" y2=\"\(ry)\" stroke=\"#888\" stroke-dasharray=\"5 4\"/>"
            svg += "<text x=\"\(left + plotWidth - 4)\" y=\"\(ry)\" dy=\"-5\" text-anchor=\"end\" fill=\"#777\">\(ReportFormat.escape(reference.label))</text>\n"
        }

        var line = ""
        line.reserveCapacity(n * 16)
        for i in 0..<n where values[i].isFinite {
            line += line.isEmpty ? "M" : " L"
            line += "\(SVGText.f(x(i))),\(SVGText.f(y(values[i])))"
        }
        if n == 1 {
            svg += "<circle cx=\"\(SVGText.f(x(0)))\" cy=\"\(SVGText.f(y(values[0])))\" r=\"3\" fill=\"\(color)\"/>\n"
        } else {
            if fillToZero {
                let zero = SVGText.f(y(0))
                svg += "<path d=\"\(line) L\(SVGText.f(x(n - 1))),\(zero) L\(SVGText.f(x(0))),\(zero) Z\" fill=\"\(color)\" fill-opacity=\"0.25\" stroke=\"none\"/>\n"
            }
            svg += "<path d=\"\(line)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\" stroke-linejoin=\"round\"/>\n"
        }
        return svg + "</svg>\n"
    }

    /// (day index, label) where a new month (or year) starts.
    private func dateMarks() -> [(Int, String)] {
        guard let first = dates.first, let last = dates.last else { return [] }
        let months = (last.year - first.year) * 12 + last.month - first.month + 1
        let byYear = months > 24
        var marks: [(Int, String)] = []
        for (i, d) in dates.enumerated() {
            let previous = i == 0 ? nil : dates[i - 1]
            if byYear {
                if previous?.year != d.year { marks.append((i, String(d.year))) }
            } else if previous?.month != d.month || previous?.year != d.year {
                let name = ReportFormat.monthNames[d.month - 1]
                marks.append((i, i == 0 || d.month == 1 ? "\(name) \(d.year)" : name))
            }
        }
        let stride = max(1, (marks.count + 11) / 12)
        return marks.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
    }
}

/// Monthly returns as a years × months grid coloured by sign and size, with a column for the year.
struct SVGMonthlyHeatmap {
    var table: MonthlyReturns
    var title = "Monthly returns"

    func render() -> String {
        let labelWidth = 56.0, cellWidth = 62.0, yearWidth = 74.0, gap = 8.0, rowHeight = 26.0
        let top = 34.0, header = 22.0, left = 8.0
        let width = left + labelWidth + 12 * cellWidth + gap + yearWidth + 8
        let rows = max(table.years.count, 1)
        let height = top + header + Double(rows) * rowHeight + 10
        var svg = SVGText.open(width: width, height: height, title: title)
        svg += "<text x=\"\(left)\" y=\"20\" font-size=\"14\" font-weight=\"600\" fill=\"#222\">\(ReportFormat.escape(title))</text>\n"
        for (m, name) in ReportFormat.monthNames.enumerated() {
            let cx = left + labelWidth + (Double(m) + 0.5) * cellWidth
            svg += "<text x=\"\(SVGText.f(cx))\" y=\"\(top + 15)\" text-anchor=\"middle\" fill=\"#555\">\(name)</text>"
        }
        let yearX = left + labelWidth + 12 * cellWidth + gap
        svg += "<text x=\"\(SVGText.f(yearX + yearWidth / 2))\" y=\"\(top + 15)\" text-anchor=\"middle\" font-weight=\"600\" fill=\"#555\">Year</text>\n"

        guard !table.years.isEmpty else {
            svg += "<text x=\"\(left + labelWidth)\" y=\"\(top + header + 18)\" fill=\"#888\">No trading days</text>\n"
            return svg + "</svg>\n"
        }
        let monthScale = max(table.years.flatMap { $0.months.compactMap { $0.map(abs) } }.filter(\.isFinite).max() ?? 0, 1e-6)
        let yearScale = max(table.years.map { abs($0.total) }.filter(\.isFinite).max() ?? 0, 1e-6)
        for (row, year) in table.years.enumerated() {
            let ry = top + header + Double(row) * rowHeight
            svg += "<text x=\"\(left + labelWidth - 8)\" y=\"\(SVGText.f(ry + rowHeight / 2 + 4))\" text-anchor=\"end\" font-weight=\"600\" fill=\"#333\">\(year.year)</text>"
            for m in 0..<12 {
                let cx = left + labelWidth + Double(m) * cellWidth
                svg += cell(x: cx, y: ry, width: cellWidth, height: rowHeight, value: year.months[m], scale: monthScale)
            }
            svg += cell(x: yearX, y: ry, width: yearWidth, height: rowHeight, value: year.total, scale: yearScale, bold: true)
            svg += "\n"
        }
        return svg + "</svg>\n"
    }

    private func cell(x: Double, y: Double, width: Double, height: Double, value: Double?, scale: Double,
                      bold: Bool = false) -> String {
        let rect = "<rect x=\"\(SVGText.f(x + 1))\" y=\"\(SVGText.f(y + 1))\" width=\"\(SVGText.f(width - 2))\" height=\"\(SVGText.f(height - 2))\" rx=\"3\""
        guard let value, value.isFinite else { return rect + " fill=\"#f3f3f3\"/>" }
        let strength = min(abs(value) / scale, 1)
        let fill = value == 0 ? "#e9e9e9" : SVGText.heat(value, strength: strength)
        let text = strength > 0.6 ? "#fff" : "#222"
        return rect + " fill=\"\(fill)\"><title>\(ReportFormat.percent(value))</title></rect>"
            + "<text x=\"\(SVGText.f(x + width / 2))\" y=\"\(SVGText.f(y + height / 2 + 4))\" text-anchor=\"middle\" fill=\"\(text)\"\(bold ? " font-weight=\"600\"" : "")>\(ReportFormat.percent(value, digits: 1))</text>"
    }
}

/// Shared bits of the SVG charts.
enum SVGText {
    static func open(width: Double, height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(f(width)) \(f(height))\" "
            + "width=\"\(f(width))\" height=\"\(f(height))\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\" font-size=\"11\">"
            + "<title>\(ReportFormat.escape(title))</title>\n"
    }

    /// A coordinate with one decimal.
    static func f(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    /// 1, 2 or 5 × 10^k, the smallest not below `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for m in [1.0, 2.0, 5.0, 10.0] where m * magnitude >= raw * (1 - 1e-12) { return m * magnitude }
        return 10 * magnitude
    }

    /// White to green for gains, white to red for losses.
    static func heat(_ value: Double, strength: Double) -> String {
        let (r, g, b): (Double, Double, Double) = value >= 0 ? (26, 152, 80) : (215, 48, 39)
        let base = 247.0
        func mix(_ c: Double) -> Int { Int((base + (c - base) * (0.15 + 0.85 * strength)).rounded()) }
        return String(format: "#%02x%02x%02x", mix(r), mix(g), mix(b))
    }
}
