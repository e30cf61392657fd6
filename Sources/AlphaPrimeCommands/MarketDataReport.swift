import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import Foundation

/// Text and JSON reports of `market-data import | verify | resample`.
enum MarketDataReport {
    // MARK: Import

    static func printImport(_ r: ImportResult, saved: [MarketDataStore.SavedFile], dryRun: Bool, options: ReportOptions, json: Bool) {
        if json {
            let doc = ImportDocument(
                command: dryRun ? "verify" : "import", symbol: r.symbol, format: r.format.rawValue, timeframe: r.timeframe.description,
                policy: r.policy.rawValue, gaps: r.gapsFail ? "fail" : "warn", passed: r.passed, dryRun: dryRun,
                files: r.files, rowsRead: r.rowsRead, barsKept: r.bars.count, rowsDropped: r.rowsDropped,
                firstBar: r.bars.time.first.map(UTCText.iso), lastBar: r.bars.time.last.map(UTCText.iso),
                summary: Summary(r.log), problems: listed(r.log, max: options.maxListed).map(ProblemDocument.init),
                written: saved)
            emit(doc)
            if !r.passed {
                ToolRunner.printError("market-data \(dryRun ? "verify" : "import"): \(verdict(passed: false, log: r.log, policy: r.policy, gapsFail: r.gapsFail, wrote: !dryRun, bars: r.bars.count))")
            }
            return
        }
        var out: [String] = []
        out.append("\(dryRun ? "check" : "import") \(r.symbol) \(r.timeframe) bars from \(r.files.count) file\(r.files.count == 1 ? "" : "s") (format \(r.format.rawValue), policy \(r.policy.rawValue))")
        for f in r.files {
            out.append("  \(f.path): \(f.rowsRead) rows, \(f.barsRead) bars read\(f.sourceSymbol.map { "; symbol in file \($0)" } ?? "")")
            if let c = f.conventions {
                out.append("    timeframe \(c.timeframe) (\(c.timeframeSource))")
                out.append("    label \(c.label?.rawValue ?? "-") (\(c.labelSource))")
                out.append("    zone \(c.zone?.description ?? "-") (\(c.zoneSource))")
            }
            for note in f.notes { out.append("    note: \(note)") }
        }
        if let first = r.bars.time.first, let last = r.bars.time.last {
            out.append("  bars kept: \(r.bars.count), \(UTCText.ist(first)) … \(UTCText.ist(last)); rows dropped: \(r.rowsDropped)")
        } else {
            out.append("  bars kept: 0; rows dropped: \(r.rowsDropped)")
        }
        out += summaryLines(r.log)
        for s in saved {
            out.append("  wrote \(s.path): \(s.bars) bars (\(s.daysAdded) day\(s.daysAdded == 1 ? "" : "s") added, \(s.daysReplaced) replaced)")
        }
        printOutcome(command: dryRun ? "verify" : "import", passed: r.passed, report: out, problems: problemLines(r.log, max: options.maxListed),
                     verdict: verdict(passed: r.passed, log: r.log, policy: r.policy, gapsFail: r.gapsFail, wrote: !dryRun, bars: r.bars.count))
    }

    // MARK: Verify

    static func printVerify(_ r: VerifyResult, calendarNote: String?, options: ReportOptions, json: Bool) {
        if json {
            let doc = VerifyDocument(
                command: "verify", policy: r.policy.rawValue, gaps: r.gapsFail ? "fail" : "warn", passed: r.passed,
                calendarChecked: r.calendarChecked, calendarNote: calendarNote,
                files: r.files.map { f in
                    VerifiedFileDocument(path: f.path, symbol: f.symbol, timeframe: f.timeframe.description, rowsRead: f.rowsRead,
                                         barsPassed: f.barsPassed, firstBar: f.firstBar.map(UTCText.iso), lastBar: f.lastBar.map(UTCText.iso))
                },
                summary: Summary(r.log), problems: listed(r.log, max: options.maxListed).map(ProblemDocument.init))
            emit(doc)
            if !r.passed {
                ToolRunner.printError("market-data verify: \(verdict(passed: false, log: r.log, policy: r.policy, gapsFail: r.gapsFail, wrote: false, bars: r.files.reduce(0) { $0 + $1.barsPassed }))")
            }
            return
        }
        var out: [String] = []
        out.append("verify \(r.files.count) file\(r.files.count == 1 ? "" : "s") (policy \(r.policy.rawValue))")
        if let calendarNote { out.append("  note: \(calendarNote)") }
        for f in r.files {
            let span = f.firstBar.map { "\(UTCText.ist($0)) … \(UTCText.ist(f.lastBar!))" } ?? "no bars"
            out.append("  \(f.path): \(f.symbol) \(f.timeframe), \(f.rowsRead) rows, \(f.barsPassed) bars pass; \(span)")
        }
        out += summaryLines(r.log)
        printOutcome(command: "verify", passed: r.passed, report: out, problems: problemLines(r.log, max: options.maxListed),
                     verdict: verdict(passed: r.passed, log: r.log, policy: r.policy, gapsFail: r.gapsFail, wrote: false,
                                      bars: r.files.reduce(0) { $0 + $1.barsPassed }))
    }

    // MARK: Resample

    static func printResample(input: BarSeries, output: BarSeries, from: String, to: String, json: Bool) {
        let fromTF = Timeframe(seconds: input.timeframeSeconds)?.description ?? "\(input.timeframeSeconds)s"
        let toTF = Timeframe(seconds: output.timeframeSeconds)?.description ?? "\(output.timeframeSeconds)s"
        if json {
            emit(ResampleDocument(command: "resample", input: from, output: to, symbol: output.symbol, fromTimeframe: fromTF,
                                  toTimeframe: toTF, barsIn: input.count, barsOut: output.count,
                                  firstBar: output.time.first.map(UTCText.iso), lastBar: output.time.last.map(UTCText.iso)))
            return
        }
        ToolRunner.printOut("resampled \(input.count) \(fromTF) bars of \(output.symbol) into \(output.count) \(toTF) bars: wrote \(to)")
    }

    // MARK: Pieces

    static func summaryLines(_ log: ProblemLog) -> [String] {
        var out = ["  problems: \(log.count(.error)) error\(log.count(.error) == 1 ? "" : "s"), \(log.count(.notice)) notice\(log.count(.notice) == 1 ? "" : "s"), \(log.count(.gap)) gap\(log.count(.gap) == 1 ? "" : "s")"]
        for kind in DataProblemKind.allCases where log.count(kind) > 0 {
            let n = log.count(kind)
            let bars = log.bars[kind, default: 0]
            let count = kind == .missingBars ? "\(n) (\(bars) bars)" : kind == .missingTradingDay ? "\(n) (\(bars) days)" : "\(n)"
            out.append("    \(kind.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(count.padding(toLength: 14, withPad: " ", startingAt: 0)) \(kind.severity.rawValue): \(kind.meaning)")
        }
        return out
    }

    static func listed(_ log: ProblemLog, max: Int) -> [DataProblem] {
        var shown: [DataProblemKind: Int] = [:]
        return log.sorted.filter { p in
            let n = shown[p.kind, default: 0]
            shown[p.kind] = n + 1
            return max == 0 || n < max
        }
    }

    static func problemLines(_ log: ProblemLog, max: Int) -> [String] {
        let shown = listed(log, max: max)
        var out = shown.map { "  \($0)" }
        for kind in DataProblemKind.allCases {
            let listedCount = shown.lazy.filter { $0.kind == kind }.count
            let more = log.count(kind) - listedCount
            if more > 0 { out.append("  … and \(more) more \(kind.rawValue)\(max > 0 ? " (--max-listed 0 lists up to \(log.keepPerKind))" : "")") }
        }
        return out
    }

    /// The report on standard output; when the run failed, what went wrong goes to standard error
    /// (as every tool's problems do), ending with `market-data COMMAND: FAILED: …`.
    static func printOutcome(command: String, passed: Bool, report: [String], problems: [String], verdict: String) {
        if passed {
            ToolRunner.printOut((report + problems + [verdict]).joined(separator: "\n"))
        } else {
            ToolRunner.printOut(report.joined(separator: "\n"))
            ToolRunner.printError((problems + ["market-data \(command): \(verdict)"]).joined(separator: "\n"))
        }
    }

    static func verdict(passed: Bool, log: ProblemLog, policy: BadRowPolicy, gapsFail: Bool, wrote: Bool, bars: Int) -> String {
        if !passed && bars == 0 && (policy == .skip || log.errorCount == 0) {
            return "FAILED: no bar left\(log.errorCount > 0 ? " (\(log.errorCount) bad row problem\(log.errorCount == 1 ? "" : "s") dropped)" : "")\(wrote ? "; nothing written" : "")"
        }
        if !passed {
            let what = log.errorCount > 0 ? "\(log.errorCount) bad row problem\(log.errorCount == 1 ? "" : "s")" : "\(log.count(.gap)) gap\(log.count(.gap) == 1 ? "" : "s")"
            return "FAILED: \(what) with --policy fail\(gapsFail ? " --gaps fail" : "")\(wrote ? "; nothing written" : "") (--policy skip drops bad rows and reports them)"
        }
        if log.errorCount > 0 { return "passed with --policy skip: \(log.errorCount) bad row problem\(log.errorCount == 1 ? "" : "s") dropped" }
        return "passed"
    }

    private static func emit<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        ToolRunner.printOut(String(decoding: data, as: UTF8.self))
    }

    // MARK: JSON documents

    struct Summary: Encodable {
        struct Kind: Encodable { var count: Int; var bars: Int; var severity: String; var meaning: String }
        var errors: Int
        var notices: Int
        var gaps: Int
        var byKind: [String: Kind]

        init(_ log: ProblemLog) {
            errors = log.count(.error); notices = log.count(.notice); gaps = log.count(.gap)
            byKind = Dictionary(uniqueKeysWithValues: DataProblemKind.allCases.filter { log.count($0) > 0 }.map {
                ($0.rawValue, Kind(count: log.count($0), bars: log.bars[$0, default: 0], severity: $0.severity.rawValue, meaning: $0.meaning))
            })
        }
    }

    struct ProblemDocument: Encodable {
        var kind: String, severity: String, file: String, line: Int, bars: Int, message: String
        init(_ p: DataProblem) {
            kind = p.kind.rawValue; severity = p.kind.severity.rawValue; file = p.file; line = p.line; bars = p.bars; message = p.message
        }
    }

    struct ImportDocument: Encodable {
        var command, symbol, format, timeframe, policy, gaps: String
        var passed, dryRun: Bool
        var files: [ImportedFile]
        var rowsRead, barsKept, rowsDropped: Int
        var firstBar, lastBar: String?
        var summary: Summary
        var problems: [ProblemDocument]
        var written: [MarketDataStore.SavedFile]
    }

    struct VerifiedFileDocument: Encodable {
        var path, symbol, timeframe: String
        var rowsRead, barsPassed: Int
        var firstBar, lastBar: String?
    }

    struct VerifyDocument: Encodable {
        var command, policy, gaps: String
        var passed, calendarChecked: Bool
        var calendarNote: String?
        var files: [VerifiedFileDocument]
        var summary: Summary
        var problems: [ProblemDocument]
    }

    struct ResampleDocument: Encodable {
        var command, input, output, symbol, fromTimeframe, toTimeframe: String
        var barsIn, barsOut: Int
        var firstBar, lastBar: String?
    }
}
