import Foundation

/// Progress of a run made of steps, on standard error: on a terminal, one bar redrawn in place;
/// otherwise (a log file, cron, a pipe) one plain line per step, so nothing is lost to `\r`.
final class ProgressReporter {
    let tool: String
    let total: Int
    let isTerminal: Bool
    private(set) var done = 0
    private var drawn = false

    init(tool: String, total: Int, isTerminal: Bool = isatty(STDERR_FILENO) != 0) {
        self.tool = tool
        self.total = total
        self.isTerminal = isTerminal
    }

    /// Before a step starts: on a terminal, the bar with what is being done now.
    func starting(_ what: String) {
        guard isTerminal else { return }
        draw(Self.bar(done: done, total: total, width: 24) + " \(done)/\(total)  \(what)")
    }

    /// A step is done; `detail` says what it brought.
    func finished(_ what: String, detail: String) {
        done += 1
        if isTerminal {
            draw(Self.bar(done: done, total: total, width: 24) + " \(done)/\(total)  \(what): \(detail)")
        } else {
            write("\(tool): \(done)/\(total) \(what): \(detail)\n")
        }
    }

    /// Ends the bar's line (a terminal keeps the last state on screen).
    func end() {
        if isTerminal && drawn { write("\n") }
        drawn = false
    }

    /// `[#########---------------]`: `width` cells, the done part filled.
    static func bar(done: Int, total: Int, width: Int) -> String {
        let filled = total > 0 ? min(width, done * width / total) : width
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }

    private func draw(_ line: String) {
        // Carriage return, the line, then clear what a longer previous line left.
        write("\r\(line)\u{1B}[K")
        drawn = true
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
