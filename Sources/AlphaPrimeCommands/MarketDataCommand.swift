import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import ArgumentParser
import Foundation

/// `market-data import | fetch | instruments | verify | resample`: recorded or fetched bars in, the
/// canonical format out; the broker's instrument master into the state database.
public struct MarketDataCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "market-data",
        abstract: "Import, fetch, verify and resample market data (canonical bars under data/market_data/); download the instrument master.",
        discussion: """
            Canonical files: data/market_data/<SYMBOL>/<timeframe>/<YYYY>.csv with the columns \
            timestamp,open,high,low,close,volume — timestamp is the bar's start in ISO-8601 UTC, prices \
            are rupees with two decimals. See data/README.md.
            """,
        version: AlphaPrimeVersion.string,
        subcommands: [Import.self, Fetch.self, Instruments.self, Verify.self, Resample.self])

    @OptionGroup public var common: CommonOptions

    public init() {}

    /// The trading calendar the session and coverage checks use, built from the home's
    /// `config/trading_hours.yaml`. This is the one place the command gets it.
    public static func loadCalendar(home: AlphaPrimeHome) throws -> TradingCalendar {
        let environment = ToolEnvironment(home: home)
        let hours = try AlphaPrimeConfiguration.loadTradingHours(home: home, environment: environment.variables)
        return try TradingCalendar(config: hours)
    }
}


extension MarketDataFormat: ExpressibleByArgument {}
extension MarketZone: ExpressibleByArgument {}
extension BarLabel: ExpressibleByArgument {}
extension BadRowPolicy: ExpressibleByArgument {}
extension DateOrder: ExpressibleByArgument {}

extension Timeframe: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public static var allValueStrings: [String] { ["1m", "3m", "5m", "10m", "15m", "30m", "60m", "1d"] }
}

/// What to do when bars the calendar expects are missing.
public enum GapPolicy: String, ExpressibleByArgument, Sendable {
    /// Report missing days and bars; they do not fail the run.
    case warn
    /// Missing days or bars fail the run like bad rows (with `--policy fail`).
    case fail
}

/// Flags the import and verify reports share.
public struct ReportOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("Bad rows: 'fail' reports all of them and fails (nothing is written); 'skip' drops and reports them.", valueName: "fail|skip"))
    public var policy: BadRowPolicy = .fail

    @Option(name: .long, help: ArgumentHelp("Missing trading days or bars: 'warn' reports them, 'fail' also fails the run.", valueName: "warn|fail"))
    public var gaps: GapPolicy = .warn

    @Option(name: .long, help: ArgumentHelp("Problems listed per kind (all are counted); 0 lists every one kept.", valueName: "n"))
    public var maxListed: Int = 20

    public init() {}

    public func validate() throws {
        guard maxListed >= 0 else { throw ValidationError("--max-listed must be 0 or more, got \(maxListed)") }
    }
}

/// How a trader file's timestamps and bars are read, where the data leaves a doubt: the flags
/// `import` and `verify` share.
public struct BarFileOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("Timestamps name the bar's start or its end (default: detect).", valueName: "start|end"))
    public var label: BarLabel?
    @Option(name: .long, help: ArgumentHelp("Zone of timestamps without an offset (default: detect).", valueName: "ist|utc"))
    public var zone: MarketZone?
    @Option(name: .long, help: ArgumentHelp("Bar length (default: detect, or from the path).", valueName: "1m|5m|15m|60m|1d"))
    public var timeframe: Timeframe?
    @Option(name: .long, help: ArgumentHelp("Order of numeric dates like 1/4/2016 (default: detect).", valueName: "dmy|mdy"))
    public var dateOrder: DateOrder?

    public init() {}

    /// What the importer is told, for `format` and the bars of `symbol`.
    func importOptions(format: MarketDataFormat, symbol: String, report: ReportOptions, checksSourceSymbol: Bool = true,
                       allowsSymbolMismatch: Bool = false) -> ImportOptions {
        ImportOptions(format: format, symbol: symbol, label: label, zone: zone, timeframe: timeframe, dateOrder: dateOrder,
                      policy: report.policy, gapsFail: report.gaps == .fail, checksSourceSymbol: checksSourceSymbol,
                      allowsSymbolMismatch: allowsSymbolMismatch)
    }
}

extension MarketDataCommand {
    public struct Import: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import trader files into canonical bars under the home's data/market_data/.",
            discussion: """
                Formats: headerless (symbol,YYYYMMDD,HH:MM,open,high,low,close,volume,oi), iso (a header row and \
                ISO-8601 timestamps with or without an offset, or dates), nse (NSE website exports), kite (Kite \
                Connect historical candles JSON). The timeframe, the label convention (bar start or end) and the \
                zone of naive timestamps are detected where the data leaves no doubt; otherwise a flag must say. \
                A file whose rows name another symbol than --symbol (NIFTY and NIFTY 50 are names of NIFTY50) \
                is refused (exit 65) unless --allow-symbol-mismatch says to keep it; an empty file is refused.
                """)

        @OptionGroup public var common: CommonOptions
        @Option(name: .long, help: ArgumentHelp("Source format.", valueName: "headerless|iso|nse|kite"))
        public var format: MarketDataFormat
        @Option(name: .long, help: ArgumentHelp("Symbol to store the bars under, e.g. NIFTY50.", valueName: "name"))
        public var symbol: String
        @OptionGroup public var bars: BarFileOptions
        @OptionGroup public var report: ReportOptions
        @Flag(name: .long, help: "Check and report only; write nothing.")
        public var dryRun = false
        @Flag(name: .long, help: "Store the bars under --symbol even when the file's rows name another symbol.")
        public var allowSymbolMismatch = false
        @Argument(help: ArgumentHelp("Files to import.", valueName: "file"))
        public var files: [String] = []

        public init() {}

        public func validate() throws {
            guard !files.isEmpty else { throw ValidationError("Missing expected argument '<file> ...': give at least one file to import") }
            guard format != .canonical else { throw ValidationError("--format canonical is for verify; to import a canonical file use --format iso") }
            guard MarketDataStore.isValidSymbol(symbol.uppercased()) else {
                throw ValidationError("--symbol '\(symbol)' cannot name a folder: use letters, digits, & - _ . (e.g. NIFTY50)")
            }
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "market-data import") {
                let home = common.resolvedHome
                let calendar = try MarketDataCommand.loadCalendar(home: home)
                let options = bars.importOptions(format: format, symbol: symbol.uppercased(), report: report,
                                                 allowsSymbolMismatch: allowSymbolMismatch)
                let result = try MarketDataImporter.importFiles(files.map { URL(filePath: $0) }, options: options, calendar: calendar)
                var saved: [MarketDataStore.SavedFile] = []
                if result.passed && !dryRun && !result.bars.isEmpty {
                    saved = try MarketDataStore(home: home).save(result.bars, symbol: result.symbol)
                }
                MarketDataReport.printImport(result, saved: saved, dryRun: dryRun, options: report, json: common.json)
                return result.passed ? .ok : .dataError
            }
        }
    }

    public struct Verify: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check bar files row by row and against the trading calendar; exit 0 when clean, 65 when not.",
            discussion: """
                Canonical files by default; --format headerless|iso|nse|kite checks a trader file the way import \
                would, writing nothing. Every problem is printed as file:line: kind: message.
                """)

        @OptionGroup public var common: CommonOptions
        @Option(name: .long, help: ArgumentHelp("File format (default: canonical).", valueName: "canonical|headerless|iso|nse|kite"))
        public var format: MarketDataFormat = .canonical
        @Option(name: .long, help: ArgumentHelp("Symbol (for other formats; default: the file name).", valueName: "name"))
        public var symbol: String?
        @OptionGroup public var bars: BarFileOptions
        @OptionGroup public var report: ReportOptions
        @Argument(help: ArgumentHelp("Files to verify.", valueName: "file"))
        public var files: [String] = []

        public init() {}

        public func validate() throws {
            guard !files.isEmpty else { throw ValidationError("Missing expected argument '<file> ...': give at least one file to verify") }
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "market-data verify") {
                let home = common.resolvedHome
                let urls = files.map { URL(filePath: $0) }
                if format != .canonical {
                    let calendar = try MarketDataCommand.loadCalendar(home: home)
                    let name = (symbol ?? urls[0].deletingPathExtension().lastPathComponent).uppercased()
                    let options = bars.importOptions(format: format, symbol: name, report: report, checksSourceSymbol: symbol != nil)
                    let result = try MarketDataImporter.importFiles(urls, options: options, calendar: calendar)
                    MarketDataReport.printImport(result, saved: [], dryRun: true, options: report, json: common.json)
                    return result.passed ? .ok : .dataError
                }
                var calendar: TradingCalendar?
                var skipped: String?
                do {
                    calendar = try MarketDataCommand.loadCalendar(home: home)
                } catch {
                    // Verifying a file needs no calendar; without one only the session checks are skipped.
                    skipped = "session and coverage checks skipped: no trading calendar (\(error))"
                }
                let result = try MarketDataVerifier.verify(urls, calendar: calendar, naiveZone: bars.zone, timeframe: bars.timeframe,
                                                           policy: report.policy, gapsFail: report.gaps == .fail)
                MarketDataReport.printVerify(result, calendarNote: skipped, options: report, json: common.json)
                return result.passed ? .ok : .dataError
            }
        }
    }

    public struct Resample: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "resample",
            abstract: "Aggregate canonical bars into a longer timeframe aligned to the NSE session.",
            discussion: "Buckets start at the session open: 5m bars at 09:15, 09:20, …; 60m bars at 09:15, 10:15, … 15:15 (partial); 1d is the session.")

        @OptionGroup public var common: CommonOptions
        @Option(name: .long, help: ArgumentHelp("Target timeframe.", valueName: "5m|15m|60m|1d"))
        public var to: Timeframe
        @Option(name: .long, help: ArgumentHelp("Canonical CSV to write (atomically).", valueName: "file"))
        public var out: String
        @Option(name: .long, help: ArgumentHelp("Zone of input timestamps without an offset.", valueName: "ist|utc"))
        public var zone: MarketZone?
        @Argument(help: ArgumentHelp("Canonical CSV of shorter bars.", valueName: "file"))
        public var file: String

        public init() {}

        public func validate() throws {
            guard URL(filePath: out).standardizedFileURL.path != URL(filePath: file).standardizedFileURL.path else {
                throw ValidationError("--out must not be the input file \(file)")
            }
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "market-data resample") {
                let calendar = try MarketDataCommand.loadCalendar(home: common.resolvedHome)
                let input = try CanonicalCSV.read(url: URL(filePath: file), options: CanonicalCSV.Options(naiveZone: zone))
                let output = try BarResampler.resample(input, to: to, calendar: calendar)
                let outURL = URL(filePath: out)
                try CanonicalCSV.write(output, to: outURL)
                MarketDataReport.printResample(input: input, output: output, from: file, to: outURL.path, json: common.json)
                return .ok
            }
        }
    }
}
