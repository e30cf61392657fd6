import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeLogs
import Foundation

/// The tables `analyze-logs` prints for a person; times in IST.
enum AnalyzeLogsText {
    static func render(_ r: LogAnalysisReport, directory: String) -> String {
        var out: [String] = []
        let copies = r.files.filter { LogFileName($0.file)?.isLive == false }.count
        let period = switch (r.period.since, r.period.until) {
        case (nil, nil): "every day"
        case (let s?, nil): "from \(s)"
        case (nil, let u?): "up to \(u)"
        case (let s?, let u?): "\(s) to \(u)"
        }
        out.append("logs: \(directory) (\(r.files.count - copies) files, \(copies) rotated copies); period: \(period) (IST days of each line's timestamp)")
        out.append("lines: \(r.lines.counted) counted of \(r.lines.read) read (\(r.lines.duplicates) also in another file, "
            + "\(r.lines.outsidePeriod) outside the period, \(r.lines.malformed) malformed)"
            + (r.lines.byLevel.isEmpty ? "" : "; " + r.lines.byLevel.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))

        out.append("")
        out.append("Errors and warnings, by kind")
        out += table(["count", "level", "component", "kind (numbers as #)", "first", "last"], rightAligned: [0],
                     r.problems.map { ["\($0.count)", $0.level, $0.component, clip($0.kind, 70), ist($0.first), ist($0.last)] },
                     empty: "none")

        out.append("")
        out.append("Risk rejections, by rule")
        out += table(["count", "rule", "first", "last"], rightAligned: [0],
                     r.riskRejections.map { ["\($0.count)", $0.rule, ist($0.first), ist($0.last)] }, empty: "none")

        out.append("")
        out.append("Risk warnings (limits near or reached), by rule")
        out += table(["count", "rule", "action", "first", "last", "example"], rightAligned: [0],
                     r.riskWarnings.map { ["\($0.count)", clip($0.rule, 40), $0.action, ist($0.first), ist($0.last), clip($0.example, 60)] },
                     empty: "none")

        out.append("")
        out.append("Strategies")
        out += table(["strategy", "signals", "orders", "fills", "trades", "net P&L"], rightAligned: [1, 2, 3, 4, 5],
                     r.strategies.map { [$0.strategy, "\($0.signals)", "\($0.orders)", "\($0.fills)", "\($0.trades)", $0.netPnl] },
                     empty: "no signals, orders or trades logged")

        out.append("")
        out.append("Order latency: \(r.orderLatency.note)")
        out.append("")
        out.append("Heartbeats: \(r.heartbeats.note)")
        out += table(["seconds", "session", "pid", "from", "to"], rightAligned: [0, 2],
                     r.heartbeats.largestEngineGaps.map { [String(format: "%.3f", $0.seconds), $0.session, "\($0.pid)", ist($0.from, milliseconds: true),
                                                                 ist($0.to, milliseconds: true)] },
                     empty: "no engine session in the logs")

        out.append("")
        if r.malformed.count == 0 {
            out.append("Malformed lines: none")
        } else {
            let more = r.malformed.count > r.malformed.first.count ? ", …" : ""
            out.append("Malformed lines: \(r.malformed.count) (\(r.malformed.first.joined(separator: ", "))\(more))")
        }
        for file in r.files where file.error != nil {
            out.append("Unreadable: \(file.file): \(file.error!)")
        }
        return out.joined(separator: "\n")
    }

    /// `2026-01-27 09:15:02 IST` (or `09:15:02.123 IST`) for a UTC ISO-8601 time from the report.
    static func ist(_ iso: String, milliseconds: Bool = false) -> String {
        guard let ms = LogLineParser.epochMilliseconds(iso8601: iso) else { return iso }
        let time = IST.dateTime(epochMilliseconds: ms)
        guard milliseconds else { return time.description }
        let fraction = Int(((ms % 1_000) + 1_000) % 1_000)
        return "\(time.date) \(time.time):\(time.second < 10 ? "0" : "")\(time.second).\(String(format: "%03d", fraction)) IST"
    }

    static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    /// Rows under a header, columns as wide as their widest cell, indented two spaces.
    static func table(_ header: [String], rightAligned: Set<Int>, _ rows: [[String]], empty: String) -> [String] {
        guard !rows.isEmpty else { return ["  \(empty)"] }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func format(_ row: [String]) -> String {
            let cells = row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : (i == row.count - 1 ? cell : cell + pad)
            }
            return "  " + cells.joined(separator: "  ")
        }
        return [format(header)] + rows.map(format)
    }
}
