import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// What an import or a verification was asked to do.
public struct ImportOptions: Hashable, Sendable {
    public var format: MarketDataFormat
    /// The name the bars are stored under (`NIFTY50`).
    public var symbol: String
    /// Flags that settle what the data cannot tell; nil means detect.
    public var label: BarLabel?
    public var zone: MarketZone?
    public var timeframe: Timeframe?
    public var dateOrder: DateOrder?
    public var policy: BadRowPolicy
    /// Missing trading days or bars make the run fail (policy `fail`) instead of being reported only.
    public var gapsFail: Bool
    /// How many problems of each kind are kept with their message (all are counted).
    public var keepPerKind: Int
    /// Whether a symbol the file names must be `symbol` (or one of its names, ``SymbolNames``).
    /// Off only for a verification given no symbol.
    public var checksSourceSymbol: Bool
    /// Stores the bars under `symbol` even though the file names another symbol (the trader says
    /// so explicitly; the file's symbol is kept in the notes).
    public var allowsSymbolMismatch: Bool
    /// A source without data rows is noted instead of refused: a broker's answer for days it has
    /// no candles for (`market-data fetch`). A file given to import is never empty on purpose.
    public var allowsEmptySources: Bool

    public init(format: MarketDataFormat, symbol: String, label: BarLabel? = nil, zone: MarketZone? = nil,
                timeframe: Timeframe? = nil, dateOrder: DateOrder? = nil, policy: BadRowPolicy = .fail,
                gapsFail: Bool = false, keepPerKind: Int = 1_000, checksSourceSymbol: Bool = true,
                allowsSymbolMismatch: Bool = false, allowsEmptySources: Bool = false) {
        self.format = format
        self.symbol = symbol
        self.label = label
        self.zone = zone
        self.timeframe = timeframe
        self.dateOrder = dateOrder
        self.policy = policy
        self.gapsFail = gapsFail
        self.keepPerKind = keepPerKind
        self.checksSourceSymbol = checksSourceSymbol
        self.allowsSymbolMismatch = allowsSymbolMismatch
        self.allowsEmptySources = allowsEmptySources
    }
}

/// One source file as the importer saw it.
public struct ImportedFile: Hashable, Sendable, Codable {
    public var path: String
    /// Data rows in the file (readable or not; blank lines and the header not counted).
    public var rowsRead: Int
    /// Rows that could be read as bars.
    public var barsRead: Int
    /// The symbol the file itself names (`NIFTY`), when it does.
    public var sourceSymbol: String?
    public var conventions: SourceConventions?
    public var notes: [String]
}

/// The outcome of importing (or verifying) a set of files for one symbol.
public struct ImportResult: Sendable {
    public var symbol: String
    public var format: MarketDataFormat
    public var timeframe: Timeframe
    public var files: [ImportedFile]
    /// The bars that passed, in time order, start-labelled, UTC.
    public var bars: BarSeries
    public var log: ProblemLog
    public var policy: BadRowPolicy
    public var gapsFail: Bool
    /// Whether the session and coverage checks ran (they need a trading calendar).
    public var calendarChecked: Bool

    public var rowsRead: Int { files.reduce(0) { $0 + $1.rowsRead } }
    /// Rows not kept: unreadable, failing a check, or a pre-open / closing row.
    public var rowsDropped: Int { rowsRead - bars.count }

    /// Whether the policy lets the result stand: with `fail`, no bad row (and no gap when
    /// `gapsFail`); with `skip`, whenever at least one bar is left. No bars never passes.
    public var passed: Bool {
        if bars.isEmpty { return false }
        if policy == .skip { return true }
        return log.errorCount == 0 && (!gapsFail || log.count(.gap) == 0)
    }
}

/// Imports trader files (headerless 1-minute, ISO CSV, NSE exports, Kite candles) into clean,
/// start-labelled, UTC bars, reporting every problem with its file and line.
///
/// Each file is read, its conventions settled (``SourceConventions``), newest-first files put in
/// order; then all files are merged by time and checked by ``BarValidator`` (pre-open and closing
/// rows are dropped as notices). Writing is ``MarketDataStore/save(_:symbol:)``'s job.
public enum MarketDataImporter {
    public static func importFiles(_ urls: [URL], options: ImportOptions, calendar: TradingCalendar) throws -> ImportResult {
        try importSources(urls.map(\.relativePath), options: options, calendar: calendar) { try FileBytes.read(urls[$0].relativePath) }
    }

    /// Imports sources that are not files on disk, or not only: `names` name each one in the report
    /// and in every problem (a path, or where the bytes came from, such as a Kite request), and
    /// `bytes` reads source `i` when its turn comes, so only one is held at a time. The rows go
    /// through the same readers, checks and validator as ``importFiles(_:options:calendar:)``.
    public static func importSources(_ names: [String], options: ImportOptions, calendar: TradingCalendar,
                                     bytes read: (Int) throws -> [UInt8]) throws -> ImportResult {
        var log = ProblemLog(keepPerKind: options.keepPerKind)
        let resolver = ConventionResolver(calendar: calendar, label: options.label, zone: options.zone, timeframe: options.timeframe)
        var chunks: [(bars: SourcedBars, file: Int)] = []
        var files: [ImportedFile] = []
        var timeframe: Timeframe?
        for (index, path) in names.enumerated() {
            let bytes = try read(index)
            let raw = try readRows(bytes, file: path, options: options, log: &log)
            var file = ImportedFile(path: path, rowsRead: raw.rowsRead, barsRead: 0, sourceSymbol: raw.sourceSymbol,
                                    conventions: nil, notes: raw.notes)
            if raw.rowsRead == 0 {
                guard options.allowsEmptySources else {
                    throw MarketDataError.badFile(file: path, message: "no data rows: an empty file has nothing to import")
                }
                file.notes.append("no rows")
            }
            if options.checksSourceSymbol, let source = raw.sourceSymbol, !SymbolNames.same(source, options.symbol) {
                guard options.allowsSymbolMismatch else {
                    throw MarketDataError.symbolMismatch(file: path, found: source, expected: options.symbol)
                }
                file.notes.append("the file's rows name \(SymbolNames.printable(source)): kept as \(options.symbol) (--allow-symbol-mismatch)")
            }
            if raw.count > 0 {
                let (bars, conventions) = try resolver.resolve(raw, log: &log)
                if let timeframe, timeframe != conventions.timeframe {
                    throw MarketDataError.badFile(file: path, message: "bars are \(conventions.timeframe) but \(files[0].path) has \(timeframe) bars: import one timeframe at a time")
                }
                timeframe = conventions.timeframe
                file.conventions = conventions
                file.barsRead = bars.series.count
                if conventions.newestFirst { file.notes.append("rows were newest first: put in time order") }
                chunks.append((bars, index))
            }
            files.append(file)
        }

        // Merge: files in the order of their first bar, then checked as one stream.
        chunks.sort { ($0.bars.series.time.first ?? .max) < ($1.bars.series.time.first ?? .max) }
        let tf = timeframe ?? options.timeframe ?? .oneMinute
        let total = chunks.reduce(0) { $0 + $1.bars.series.count }
        var merged = TracedBars(series: BarSeries(symbol: options.symbol, timeframeSeconds: tf.seconds, capacity: total),
                                lines: [], fileIndex: [], files: names)
        merged.lines.reserveCapacity(total)
        merged.fileIndex.reserveCapacity(total)
        for chunk in chunks {
            let s = chunk.bars.series
            merged.series.time += s.time; merged.series.open += s.open; merged.series.high += s.high
            merged.series.low += s.low; merged.series.close += s.close; merged.series.volume += s.volume
            merged.lines += chunk.bars.lines
            merged.fileIndex += repeatElement(Int32(chunk.file), count: s.count)
        }
        let validator = BarValidator(calendar: calendar, timeframe: tf, dropsAuctionRows: true)
        let kept = validator.validate(merged, log: &log)
        var bars = kept.series
        bars.symbol = options.symbol
        return ImportResult(symbol: options.symbol, format: options.format, timeframe: tf, files: files, bars: bars,
                            log: log, policy: options.policy, gapsFail: options.gapsFail, calendarChecked: true)
    }

    static func readRows(_ bytes: [UInt8], file: String, options: ImportOptions, log: inout ProblemLog) throws -> RawRows {
        switch options.format {
        case .headerless: return try HeaderlessImporter.read(bytes, file: file, log: &log)
        case .iso, .nse, .canonical: return try HeaderCSVImporter.read(bytes, file: file, dateOrder: options.dateOrder, log: &log)
        case .kite: return try KiteCandlesImporter.read(bytes, file: file, log: &log)
        }
    }
}
