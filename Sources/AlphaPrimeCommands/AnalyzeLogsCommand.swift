import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeLogs
import AlphaPrimeArchive
import ArgumentParser
import Foundation

/// `analyze-logs [--since DATE] [--until DATE] [--top N]`: errors and warnings, risk rejections and
/// warnings, orders and trades per strategy, and the engine's silences, from the structured logs and
/// their rotated and compressed copies (see ``LogAnalyzer``).
public struct AnalyzeLogsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "analyze-logs",
        abstract: "Summarise errors, warnings, risk events and trades from the structured logs.",
        discussion: """
            Reads logs/alpha_prime.log, trades.log, risk.log and errors.log with their rotated copies \
            (<name>.<stamp>) and compressed copies (<name>.<stamp>.zst, decompressed as they are read). A line \
            found in several files is counted once. --since and --until are IST days of each line's timestamp \
            (when it was written), inclusive. Malformed lines are counted and named file:line, never fatal. \
            Every message printed has the configured secrets redacted.
            """,
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("The first IST day to count (YYYY-MM-DD).", valueName: "date"))
    public var since: String?

    @Option(name: .long, help: ArgumentHelp("The last IST day to count (YYYY-MM-DD).", valueName: "date"))
    public var until: String?

    @Option(name: .long, help: ArgumentHelp("Rows in each table of problems, risk warnings and gaps.", valueName: "n"))
    public var top = 10

    public init() {}

    static func date(_ text: String?, flag: String) throws -> LocalDate? {
        guard let text else { return nil }
        guard let date = LocalDate(text) else { throw ValidationError("\(flag) expects a date as YYYY-MM-DD, got '\(text)'") }
        return date
    }

    public func validate() throws {
        let from = try Self.date(since, flag: "--since"), to = try Self.date(until, flag: "--until")
        if let from, let to, from > to { throw ValidationError("--since \(from) is after --until \(to)") }
        guard top >= 1 else { throw ValidationError("--top expects a whole number of 1 or more, got \(top)") }
    }

    public func run() async throws {
        try await ToolRunner.run(tool: Self.configuration.commandName!) {
            let directory = try LogToolError.requireLogsDirectory(common.resolvedHome)
            let context = try ToolContext.load(common, tool: Self.configuration.commandName!)
            let options = LogAnalyzer.Options(since: try Self.date(since, flag: "--since"),
                                              until: try Self.date(until, flag: "--until"), top: top)
            let started = ContinuousClock.now
            let analyzer = LogAnalyzer(options: options, secrets: context.configuration.secretValues)
            let sources = try Self.sources(in: directory)
            for source in sources { Self.read(source, in: directory, into: analyzer) }
            let report = analyzer.report()
            for file in report.files where file.error != nil {
                ToolRunner.printError("\(Self.configuration.commandName!): warning: \(file.file): \(file.error!)")
            }
            try ToolRunner.printResult(report, json: common.json) { AnalyzeLogsText.render(report, directory: directory.path) }
            let elapsed = ContinuousClock.now - started
            context.logger.info("logs analysed", metadata: [
                "files": "\(report.files.count)", "lines": "\(report.lines.read)", "malformed": "\(report.malformed.count)",
                "seconds": "\(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)"])
            return .ok
        }
    }

    /// The files to read, grouped by the live file they belong to (`alpha_prime.log` first), oldest
    /// copy first. A compressed copy whose uncompressed copy is still there (an interrupted
    /// compression) is skipped: the uncompressed one holds every line of it.
    static func sources(in directory: URL) throws -> [LogFileName] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw LogToolError.noLogsDirectory(path: directory.path)
        }
        let order = LogFile.allCases.map(\.fileName)
        let parsed = names.compactMap(LogFileName.init).filter { order.contains($0.base) }
        let present = Set(parsed.map(\.description))
        return parsed
            .filter { !($0.compressed && present.contains($0.uncompressedName.description)) }
            .sorted { a, b in
                let i = order.firstIndex(of: a.base)!, j = order.firstIndex(of: b.base)!
                return i != j ? i < j : a < b
            }
    }

    /// Feeds one file's lines to the analyzer; a file that cannot be read to its end is noted in the
    /// report, and the run goes on.
    static func read(_ name: LogFileName, in directory: URL, into analyzer: LogAnalyzer) {
        let path = directory.appending(path: name.description).path
        analyzer.beginFile(name.description, family: name.base)
        var splitter = LogLineSplitter()
        do {
            if name.compressed {
                try Zstd.decompress(contentsOf: path) { chunk in
                    splitter.feed(chunk) { analyzer.add($0, number: $1) }
                }
            } else {
                try LogFileReader.readChunks(path) { chunk in
                    splitter.feed(chunk) { analyzer.add($0, number: $1) }
                }
            }
        } catch {
            analyzer.fileFailed("\(error)")
        }
        splitter.finish { analyzer.add($0, number: $1) }
        analyzer.endFile()
    }
}
