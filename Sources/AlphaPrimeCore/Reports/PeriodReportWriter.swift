import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// Writes a trading report's folder (`report.html`, `summary.json`, `summary.txt`, `trades.csv`)
/// so that it appears whole: the files go into a temporary folder beside it, each fsynced, and the
/// folder is renamed into place; a rerun replaces the earlier folder the same way. Leftovers of an
/// interrupted run (`.LABEL.tmp-PID`, `.LABEL.old-PID`) are removed by the next one.
public enum PeriodReportWriter {
    public static let files = ["report.html", "summary.json", "summary.txt", "trades.csv"]

    /// Writes the report under `reportsDirectory` (the configured `reports/`) and returns its folder.
    @discardableResult
    public static func write(_ report: PeriodReport, reportsDirectory: URL) throws(BacktestReportError) -> URL {
        let parent = reportsDirectory.appending(path: report.period.kind.rawValue)
        let label = report.period.label
        let final = parent.appending(path: label)
        try AtomicReportFile.makeDirectories(parent.path)
        removeLeftovers(of: label, in: parent)

        let temporary = parent.appending(path: ".\(label).tmp-\(getpid())")
        try AtomicReportFile.makeDirectories(temporary.path)
        do {
            try AtomicReportFile.write(report.html, to: temporary.appending(path: "report.html").path)
            try AtomicReportFile.write(AtomicReportFile.json(PeriodReportSummary(report), file: "summary.json"),
                                       to: temporary.appending(path: "summary.json").path)
            try AtomicReportFile.write(report.summaryText, to: temporary.appending(path: "summary.txt").path)
            try AtomicReportFile.write(report.tradesCSV, to: temporary.appending(path: "trades.csv").path)
            let old = parent.appending(path: ".\(label).old-\(getpid())")
            var movedAside = false
            if FileManager.default.fileExists(atPath: final.path) {
                guard rename(final.path, old.path) == 0 else {
                    throw BacktestReportError(path: final.path, kind: .io(operation: "move aside", errno: errno))
                }
                movedAside = true
            }
            guard rename(temporary.path, final.path) == 0 else {
                let code = errno
                if movedAside { _ = rename(old.path, final.path) }
                throw BacktestReportError(path: final.path, kind: .io(operation: "rename into place", errno: code))
            }
            try AtomicReportFile.syncDirectory(parent.path)
            if movedAside { try? FileManager.default.removeItem(at: old) }
        } catch let error as BacktestReportError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw BacktestReportError(path: final.path, kind: .encoding("\(error)"))
        }
        return final
    }

    /// Removes `.LABEL.tmp-PID` and `.LABEL.old-PID` folders of processes that are gone; an `.old`
    /// folder whose report folder is missing (a run stopped between its two renames) is put back.
    static func removeLeftovers(of label: String, in parent: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(".\(label).tmp-") || name.hasPrefix(".\(label).old-") {
            guard let pid = Int32(name.split(separator: "-").last ?? ""), pid != getpid(), ProcessLiveness.hasEnded(pid) else { continue }
            let path = parent.appending(path: name)
            if name.hasPrefix(".\(label).old-"), !FileManager.default.fileExists(atPath: parent.appending(path: label).path) {
                _ = rename(path.path, parent.appending(path: label).path)
            } else {
                try? FileManager.default.removeItem(at: path)
            }
        }
    }
}
