import AlphaPrimeSupport
import Foundation

/// A histogram of amounts (the daily P&L of a period) as an inline SVG: equal-width bins over the
/// range, losses red and gains green (a bin holding zero is grey), the count above each bar.
struct SVGHistogram {
    var title: String
    /// The amounts, in rupees.
    var values: [Double]
    var bins = 12
    var width = 960.0
    var height = 260.0

    private let left = 40.0, right = 18.0, top = 34.0, bottom = 40.0

    func render() -> String {
        var svg = SVGText.open(width: width, height: height, title: title)
        svg += "<text x=\"\(left)\" y=\"20\" font-size=\"14\" font-weight=\"600\" fill=\"#222\">\(ReportFormat.escape(title))</text>\n"
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else {
            return svg + "<text x=\"\(left)\" y=\"\(SVGText.f(height / 2))\" fill=\"#5b6470\">No trading day in the range.</text></svg>\n"
        }
        let count = low == high ? 1 : max(1, min(bins, finite.count))
        let span = high - low
        var counts = Array(repeating: 0, count: count)
        for v in finite {
            let i = span == 0 ? 0 : min(count - 1, Int(((v - low) / span * Double(count)).rounded(.down)))
            counts[i] += 1
        }
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let most = Double(counts.max() ?? 1)
        let barWidth = plotWidth / Double(count)
        for (i, n) in counts.enumerated() {
            let from = low + span * Double(i) / Double(count), to = low + span * Double(i + 1) / Double(count)
            let color = to <= 0 && from < 0 ? "#d73027" : from >= 0 && to > 0 ? "#1a9850" : "#8c959f"
            let h = plotHeight * Double(n) / most
            let x = left + barWidth * Double(i)
            svg += "<rect x=\"\(SVGText.f(x + 2))\" y=\"\(SVGText.f(top + plotHeight - h))\" width=\"\(SVGText.f(max(1, barWidth - 4)))\" "
                + "height=\"\(SVGText.f(h))\" fill=\"\(color)\"><title>\(ReportFormat.escape(BacktestReportHTML.axisRupees(from))) to "
                + "\(ReportFormat.escape(BacktestReportHTML.axisRupees(to))): \(n) day\(n == 1 ? "" : "s")</title></rect>\n"
            if n > 0 {
                svg += "<text x=\"\(SVGText.f(x + barWidth / 2))\" y=\"\(SVGText.f(top + plotHeight - h - 4))\" text-anchor=\"middle\" fill=\"#444\">\(n)</text>\n"
            }
        }
        let baseline = top + plotHeight
        svg += "<line x1=\"\(left)\" y1=\"\(SVGText.f(baseline))\" x2=\"\(SVGText.f(width - right))\" y2=\"\(SVGText.f(baseline))\" stroke=\"#8c959f\"/>\n"
        for (x, label) in [(left, BacktestReportHTML.axisRupees(low)), (width - right, BacktestReportHTML.axisRupees(high))] {
            svg += "<text x=\"\(SVGText.f(x))\" y=\"\(SVGText.f(baseline + 16))\" text-anchor=\"\(x == left ? "start" : "end")\" fill=\"#5b6470\">\(ReportFormat.escape(label))</text>\n"
        }
        svg += "<text x=\"\(SVGText.f(left + plotWidth / 2))\" y=\"\(SVGText.f(baseline + 32))\" text-anchor=\"middle\" fill=\"#5b6470\">net P&amp;L of a day (\(finite.count) day\(finite.count == 1 ? "" : "s"))</text>\n"
        return svg + "</svg>\n"
    }
}
