import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeKite
import ArgumentParser
import Foundation

extension KiteHistoricalInterval: ExpressibleByArgument {}

extension MarketDataCommand {
    /// `market-data fetch --symbol S --from D --to D [--interval I]`: Kite historical candles into
    /// canonical bars, through the same reader, checks and writer as `market-data import --format kite`.
    public struct Fetch: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "fetch",
            abstract: "Fetch Kite historical candles into canonical bars (only the trading days not stored yet).",
            discussion: """
                The symbol is a configured instrument (general_config.yaml: NIFTY 50, BANKNIFTY, or a name of one: \
                NIFTY, NIFTY BANK) or an instrument of the instrument master (RELIANCE, NSE:INDIA VIX, \
                NFO:NIFTY26JANFUT); download the master first with market-data instruments. The trading days of \
                the range that are already stored are skipped (--refetch fetches them again); the rest go out in \
                requests within Kite's limit per interval (minute 60 days; 3, 5, 10minute 100; 15, 30minute 200; \
                60minute 400; day 2000), at broker_config.yaml's historical_requests_per_second. Each request's \
                candles are checked like an import and written before the next one, so an interrupted fetch \
                resumes where it stopped. Today is fetched only once its session is over. Exit 0; 64 bad dates \
                or flags; 65 bad candles (with --policy fail; the requests before were written); 66 a symbol \
                the instrument master does not have; 69 Kite unreachable; 78 no access token or Kite refused it.
                """)

        @OptionGroup public var common: CommonOptions
        @Option(name: .long, help: ArgumentHelp("A configured symbol, or a trading symbol of the instrument master (EXCHANGE:SYMBOL).", valueName: "symbol"))
        public var symbol: String
        @Option(name: .long, help: ArgumentHelp("First trading day (IST).", valueName: "YYYY-MM-DD"))
        public var from: String
        @Option(name: .long, help: ArgumentHelp("Last trading day (IST), included.", valueName: "YYYY-MM-DD"))
        public var to: String
        @Option(name: .long, help: ArgumentHelp("Candle interval.", valueName: "minute|3minute|5minute|10minute|15minute|30minute|60minute|day"))
        public var interval: KiteHistoricalInterval = .minute
        @Option(name: .long, help: ArgumentHelp("The exchange of a symbol that is not configured, when several have it.", valueName: "NSE|NFO|BSE|…"))
        public var exchange: String?
        @OptionGroup public var report: ReportOptions
        @Flag(name: .long, help: "Fetch the trading days already stored too (they are replaced).")
        public var refetch = false
        @Flag(name: .long, help: "Print the requests a fetch would make; fetch and write nothing.")
        public var dryRun = false

        public init() {}

        public func validate() throws {
            guard let first = LocalDate(from) else { throw ValidationError("--from '\(from)' is not a date (expected YYYY-MM-DD, e.g. 2021-02-15)") }
            guard let last = LocalDate(to) else { throw ValidationError("--to '\(to)' is not a date (expected YYYY-MM-DD, e.g. 2021-02-15)") }
            guard first <= last else { throw ValidationError("--from \(first) is after --to \(last)") }
            if let exchange, !Instruments.isExchangeName(exchange.uppercased()) {
                throw ValidationError("--exchange '\(exchange)' is not an exchange name such as NSE, NFO, BSE")
            }
            guard !symbol.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--symbol is empty") }
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "market-data fetch") {
                let context = try ToolContext.load(common, tool: "market-data")
                let plan = try FetchPlan.make(self, context: context)
                if dryRun || plan.requests.isEmpty {
                    try FetchReport.print(plan, outcome: nil, options: report, json: common.json)
                    return .ok
                }
                let outcome = try FetchRun.run(plan, context: context, options: report)
                context.logger.info("market data fetched", metadata: [
                    "symbol": "\(plan.folder)", "token": "\(plan.instrument.instrumentToken)", "interval": "\(plan.interval)",
                    "requests": "\(outcome.requestsDone)", "bars": "\(outcome.barsWritten)", "passed": "\(outcome.passed)",
                ])
                try FetchReport.print(plan, outcome: outcome, options: report, json: common.json)
                return outcome.passed ? .ok : .dataError
            }
        }
    }
}

/// What a fetch will do: the instrument, where its bars go, the days of the range and the requests.
struct FetchPlan {
    var symbol: String
    var instrument: InstrumentRecord
    var configured: InstrumentConfig?
    var interval: KiteHistoricalInterval
    /// The folder the bars are filed under (`NIFTY50`).
    var folder: String
    var directory: URL
    var from: LocalDate
    var to: LocalDate
    /// The last day fetched: `to`, or earlier when `to` is today before the close or later.
    var through: LocalDate
    var tradingDays: [LocalDate]
    var alreadyStored: Int
    var requests: [KiteHistoricalRequest]
    var notes: [String]
    var market: MarketDataStore

    static func make(_ command: MarketDataCommand.Fetch, context: ToolContext) throws -> FetchPlan {
        let calendar = context.calendar
        let from = LocalDate(command.from)!, to = LocalDate(command.to)!
        let now = try MarketClock.instant()
        let today = IST.dateTime(epochSeconds: now).date
        var notes: [String] = []
        var through = to
        if through > today {
            notes.append("days after today (\(today)) are not fetched")
            through = today
        }
        if through == today, let session = calendar.session(on: today), now < session.closeEpochSeconds {
            notes.append("today's session is not over: \(today) is not fetched")
            through = today.adding(days: -1)
        }
        let database = try context.openDatabase()
        try Migrator(database: database, logger: context.logger).migrate()
        let store = StateRepository(database: database, url: context.databaseURL)
        let (instrument, configured) = try InstrumentResolver(store: store).resolve(
            symbol: command.symbol, configured: context.configuration.general.instruments, exchange: command.exchange?.uppercased(), on: from)
        if let expiry = instrument.expiry, expiry < through {
            notes.append("\(instrument.key) expired on \(expiry): Kite has no candles of it after that day")
        }
        let folder = ReplayData.folderName(configured?.symbol ?? instrument.tradingsymbol)
        guard MarketDataStore.isValidSymbol(folder) else {
            throw MarketDataError.badFile(file: instrument.key, message: "'\(folder)' cannot be a symbol folder: use letters, digits, & - _ .")
        }
        for year in from.year...max(from.year, through.year) where !calendar.hasHolidays(inYear: year) {
            notes.append("config/trading_hours.yaml lists no holidays for \(year): every weekday of it is taken as a trading day")
        }
        let market = MarketDataStore(home: context.home)
        let tradingDays = calendar.tradingDays(from: from, through: through)
        let stored = command.refetch ? [] : try Self.storedDays(market, folder: folder, timeframe: command.interval.timeframe,
                                                                 from: from, through: through)
        let missing = Set(tradingDays).subtracting(stored)
        return FetchPlan(symbol: command.symbol, instrument: instrument, configured: configured, interval: command.interval, folder: folder,
                         directory: market.directory(symbol: folder, timeframe: command.interval.timeframe), from: from, to: to,
                         through: through, tradingDays: tradingDays, alreadyStored: tradingDays.count - missing.count,
                         requests: command.interval.requests(tradingDays: tradingDays, missing: missing), notes: notes, market: market)
    }

    /// The IST days that have bars of the symbol and timeframe in the store, within the range.
    static func storedDays(_ market: MarketDataStore, folder: String, timeframe: Timeframe, from: LocalDate, through: LocalDate) throws -> Set<LocalDate> {
        guard from <= through, !market.years(symbol: folder, timeframe: timeframe).isEmpty else { return [] }
        let bars: BarSeries
        do {
            bars = try market.load(symbol: folder, timeframe: timeframe, from: from, through: through)
        } catch MarketDataError.missingFile {
            return []
        }
        var days = Set<LocalDate>()
        var last: Int64 = .min
        for t in bars.time {
            let day = (t + IST.offsetSeconds) / 86_400
            if day != last { days.insert(LocalDate(daysSinceEpoch: Int(day))); last = day }
        }
        return days
    }
}

/// What the requests brought.
struct FetchOutcome {
    struct Request: Encodable {
        var first: String
        var last: String
        var tradingDays: Int
        var bars: Int
    }

    var requests: [Request] = []
    var requestsDone: Int { requests.count }
    var barsWritten = 0
    var daysFetched = 0
    var daysWithoutCandles = 0
    var firstBar: Int64?
    var lastBar: Int64?
    var log = ProblemLog()
    var written: [String: MarketDataStore.SavedFile] = [:]
    var passed = true
}

enum FetchRun {
    /// Asks Kite for each request's candles and imports and writes them, one request at a time.
    static func run(_ plan: FetchPlan, context: ToolContext, options: ReportOptions) throws -> FetchOutcome {
        let client = try KiteAccess.client(context)
        let progress = ProgressReporter(tool: "market-data fetch", total: plan.requests.count)
        defer { progress.end() }
        var outcome = FetchOutcome()
        outcome.log = ProblemLog(keepPerKind: 1_000)
        let importOptions = ImportOptions(format: .kite, symbol: plan.folder, label: .start, timeframe: plan.interval.timeframe,
                                          policy: options.policy, gapsFail: options.gaps == .fail, checksSourceSymbol: false,
                                          allowsEmptySources: true)
        for request in plan.requests {
            progress.starting("\(request)")
            let result: ImportResult
            do {
                let body = try KiteAccess.call {
                    try client.historicalJSON(token: plan.instrument.instrumentToken, interval: plan.interval, from: request.from, to: request.to)
                }
                result = try MarketDataImporter.importSources(
                    ["kite \(plan.instrument.key) \(plan.interval) \(request)"], options: importOptions, calendar: context.calendar
                ) { _ in [UInt8](body) }
            } catch {
                progress.end()
                if outcome.requestsDone > 0 {
                    ToolRunner.printError("market-data fetch: \(outcome.requestsDone) of \(plan.requests.count) requests were written; the same command fetches the rest")
                }
                throw error
            }
            outcome.log.merge(result.log)
            var days = Set<Int64>()
            for t in result.bars.time { days.insert((t + IST.offsetSeconds) / 86_400) }
            if result.bars.isEmpty && result.log.errorCount == 0 {
                // Kite has no candles for these days (before the listing, a day the calendar does not close).
                outcome.daysWithoutCandles += request.tradingDays
                outcome.requests.append(.init(first: "\(request.first)", last: "\(request.last)", tradingDays: request.tradingDays, bars: 0))
                progress.finished("\(request)", detail: "no candles")
                continue
            }
            guard result.passed else {
                outcome.passed = false
                progress.finished("\(request)", detail: "\(result.log.errorCount) bad row problem\(result.log.errorCount == 1 ? "" : "s"): not written")
                break
            }
            for file in try plan.market.save(result.bars, symbol: plan.folder) {
                if var seen = outcome.written[file.path] {
                    seen.bars = file.bars
                    seen.daysAdded += file.daysAdded
                    seen.daysReplaced += file.daysReplaced
                    outcome.written[file.path] = seen
                } else {
                    outcome.written[file.path] = file
                }
            }
            outcome.barsWritten += result.bars.count
            outcome.daysFetched += days.count
            outcome.daysWithoutCandles += max(0, request.tradingDays - days.count)
            outcome.firstBar = min(outcome.firstBar ?? .max, result.bars.time[0])
            outcome.lastBar = max(outcome.lastBar ?? .min, result.bars.time[result.bars.count - 1])
            outcome.requests.append(.init(first: "\(request.first)", last: "\(request.last)", tradingDays: request.tradingDays,
                                          bars: result.bars.count))
            progress.finished("\(request)", detail: "\(result.bars.count) bars")
        }
        return outcome
    }
}

/// The text and JSON reports of `market-data fetch`.
enum FetchReport {
    struct InstrumentDocument: Encodable {
        var token: Int64
        var exchange: String
        var tradingsymbol: String
        var segment: String
        var configuredSymbol: String?
    }

    struct PlannedRequest: Encodable {
        var first: String
        var last: String
        var tradingDays: Int
    }

    struct Document: Encodable {
        var command: String
        var symbol: String
        var instrument: InstrumentDocument
        var interval: String
        var timeframe: String
        var directory: String
        var from: String
        var to: String
        var through: String
        var tradingDays: Int
        var alreadyStored: Int
        var dryRun: Bool
        var planned: [PlannedRequest]
        var requests: [FetchOutcome.Request]
        var barsWritten: Int
        var daysFetched: Int
        var daysWithoutCandles: Int
        var firstBar: String?
        var lastBar: String?
        var notes: [String]
        var passed: Bool
        var summary: MarketDataReport.Summary
        var problems: [MarketDataReport.ProblemDocument]
        var written: [MarketDataStore.SavedFile]
    }

    static func print(_ plan: FetchPlan, outcome: FetchOutcome?, options: ReportOptions, json: Bool) throws {
        let log = outcome?.log ?? ProblemLog()
        let passed = outcome?.passed ?? true
        let written = outcome.map { $0.written.values.sorted { $0.path < $1.path } } ?? []
        let verdict = outcome.map { o in
            o.passed ? MarketDataReport.verdict(passed: true, log: o.log, policy: options.policy, gapsFail: options.gaps == .fail, wrote: true, bars: o.barsWritten)
                : "FAILED: \(o.log.errorCount > 0 ? "\(o.log.errorCount) bad row problem\(o.log.errorCount == 1 ? "" : "s")" : "\(o.log.count(.gap)) gap\(o.log.count(.gap) == 1 ? "" : "s")") with --policy fail\(options.gaps == .fail ? " --gaps fail" : ""): that request was not written (the ones before it were); --policy skip drops bad rows and reports them"
        } ?? (plan.requests.isEmpty ? "nothing to fetch" : "dry run: nothing fetched")
        if json {
            let doc = Document(
                command: "fetch", symbol: plan.symbol,
                instrument: InstrumentDocument(token: plan.instrument.instrumentToken, exchange: plan.instrument.exchange,
                                               tradingsymbol: plan.instrument.tradingsymbol, segment: plan.instrument.segment,
                                               configuredSymbol: plan.configured?.symbol),
                interval: plan.interval.rawValue, timeframe: plan.interval.timeframe.description, directory: plan.directory.path,
                from: "\(plan.from)", to: "\(plan.to)", through: "\(plan.through)", tradingDays: plan.tradingDays.count,
                alreadyStored: plan.alreadyStored, dryRun: outcome == nil && !plan.requests.isEmpty,
                planned: plan.requests.map { PlannedRequest(first: "\($0.first)", last: "\($0.last)", tradingDays: $0.tradingDays) },
                requests: outcome?.requests ?? [], barsWritten: outcome?.barsWritten ?? 0, daysFetched: outcome?.daysFetched ?? 0,
                daysWithoutCandles: outcome?.daysWithoutCandles ?? 0, firstBar: outcome?.firstBar.map(UTCText.iso),
                lastBar: outcome?.lastBar.map(UTCText.iso), notes: plan.notes, passed: passed, summary: MarketDataReport.Summary(log),
                problems: MarketDataReport.listed(log, max: options.maxListed).map(MarketDataReport.ProblemDocument.init), written: written)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            ToolRunner.printOut(String(decoding: try encoder.encode(doc), as: UTF8.self))
            if !passed { ToolRunner.printError("market-data fetch: \(verdict)") }
            return
        }
        var out: [String] = []
        let name = plan.configured.map { "\($0.symbol) (\(plan.instrument.key), token \(plan.instrument.instrumentToken))" }
            ?? "\(plan.instrument.key) (token \(plan.instrument.instrumentToken))"
        out.append("fetch \(name) \(plan.interval) candles into \(plan.directory.path)")
        let range = plan.from == plan.through ? "\(plan.from)" : "\(plan.from) … \(plan.through)"
        let toFetch = plan.tradingDays.count - plan.alreadyStored
        out.append("  \(range): \(plan.tradingDays.count) trading day\(plan.tradingDays.count == 1 ? "" : "s"), \(plan.alreadyStored) already stored, \(toFetch) to fetch in \(plan.requests.count) request\(plan.requests.count == 1 ? "" : "s")")
        for note in plan.notes { out.append("  note: \(note)") }
        if let outcome {
            let span = outcome.firstBar.map { "; \(UTCText.ist($0)) … \(UTCText.ist(outcome.lastBar!))" } ?? ""
            out.append("  fetched \(outcome.requestsDone) request\(outcome.requestsDone == 1 ? "" : "s"): \(outcome.barsWritten) bars of \(outcome.daysFetched) trading day\(outcome.daysFetched == 1 ? "" : "s")\(span)")
            if outcome.daysWithoutCandles > 0 {
                out.append("  \(outcome.daysWithoutCandles) trading day\(outcome.daysWithoutCandles == 1 ? "" : "s") without candles at Kite (a later fetch asks again)")
            }
            out += MarketDataReport.summaryLines(log)
            for s in written {
                out.append("  wrote \(s.path): \(s.bars) bars (\(s.daysAdded) day\(s.daysAdded == 1 ? "" : "s") added, \(s.daysReplaced) replaced)")
            }
        } else {
            for request in plan.requests {
                out.append("  request \(request): \(request.tradingDays) trading day\(request.tradingDays == 1 ? "" : "s") (\(request.calendarDays) of at most \(plan.interval.maximumDays) calendar days)")
            }
        }
        MarketDataReport.printOutcome(command: "fetch", passed: passed, report: out,
                                      problems: MarketDataReport.problemLines(log, max: options.maxListed), verdict: verdict)
    }
}
