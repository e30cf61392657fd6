import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// What the backtest command knows about a run, written into `summary.json` and the HTML report.
public struct BacktestRunInfo: Sendable, Equatable, Codable {
    /// Names the run directory (`reports/backtest/<run-id>/`): letters, digits, `-`, `_`, `.`.
    public var runID: String
    /// Strategy instance names; index = ``ClosedTrade/strategy``.
    public var strategies: [String]
    /// Symbol names; index = ``SymbolID``.
    public var symbols: [String]
    /// The period asked for (`--start`, `--end`), or the data's first and last day.
    public var periodStart: LocalDate?
    public var periodEnd: LocalDate?
    /// Bars processed, and the first and last bar's time (UTC epoch seconds).
    public var bars: Int
    public var firstBarTime: Int64?
    public var lastBarTime: Int64?
    /// Seed of any randomness in the run (slippage, generated data); nil when none.
    public var seed: UInt64?
    /// Wall-clock seconds the run took.
    public var elapsedSeconds: Double
    /// When the run started (UTC epoch seconds).
    public var startedAt: Int64?
    /// Data files or sources read.
    public var dataSources: [String]
    /// Anything else worth recording about the run (risk preset, cost model, fill model, …).
    public var settings: [String: String]

    public init(runID: String, strategies: [String], symbols: [String], periodStart: LocalDate? = nil,
                periodEnd: LocalDate? = nil, bars: Int, firstBarTime: Int64? = nil, lastBarTime: Int64? = nil,
                seed: UInt64? = nil, elapsedSeconds: Double, startedAt: Int64? = nil, dataSources: [String] = [],
                settings: [String: String] = [:]) {
        self.runID = runID; self.strategies = strategies; self.symbols = symbols
        self.periodStart = periodStart; self.periodEnd = periodEnd
        self.bars = bars; self.firstBarTime = firstBarTime; self.lastBarTime = lastBarTime
        self.seed = seed; self.elapsedSeconds = elapsedSeconds; self.startedAt = startedAt
        self.dataSources = dataSources; self.settings = settings
    }

    /// A run id from the start time (IST) and the strategy names: `20260126-153012_bollinger_reference`.
    public static func makeRunID(startedAt: Int64, strategies: [String]) -> String {
        let t = IST.dateTime(epochSeconds: startedAt)
        let d = t.date, s = t.secondOfDay
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let stamp = "\(d.year)\(two(d.month))\(two(d.day))-\(two(s / 3600))\(two(s / 60 % 60))\(two(s % 60))"
        let names = strategies.isEmpty ? "run" : strategies.joined(separator: "+")
        let safe = String(names.map { isRunIDCharacter($0) ? $0 : "_" }.prefix(80))
        return "\(stamp)_\(safe)"
    }

    /// True when the run id can name a directory safely.
    public static func isValidRunID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 200 && id != "." && id != ".." && !id.hasPrefix(".") && id.allSatisfy(isRunIDCharacter)
    }

    static func isRunIDCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == "." || c == "+")
    }

    func strategyName(_ index: Int) -> String { strategies.indices.contains(index) ? strategies[index] : "strategy#\(index)" }
    func symbolName(_ id: SymbolID) -> String { symbols.indices.contains(id) ? symbols[id] : "symbol#\(id)" }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", strategies, symbols, periodStart = "period_start", periodEnd = "period_end"
        case bars, firstBarTime = "first_bar_time", lastBarTime = "last_bar_time"
        case firstBarIST = "first_bar_ist", lastBarIST = "last_bar_ist"
        case seed, elapsedSeconds = "elapsed_seconds", startedAt = "started_at", startedAtIST = "started_at_ist"
        case dataSources = "data_sources", settings
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        runID = try c.decode(String.self, forKey: .runID)
        strategies = try c.decode([String].self, forKey: .strategies)
        symbols = try c.decode([String].self, forKey: .symbols)
        periodStart = try c.decodeIfPresent(LocalDate.self, forKey: .periodStart)
        periodEnd = try c.decodeIfPresent(LocalDate.self, forKey: .periodEnd)
        bars = try c.decode(Int.self, forKey: .bars)
        firstBarTime = try c.decodeIfPresent(Int64.self, forKey: .firstBarTime)
        lastBarTime = try c.decodeIfPresent(Int64.self, forKey: .lastBarTime)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        elapsedSeconds = try c.decode(Double.self, forKey: .elapsedSeconds)
        startedAt = try c.decodeIfPresent(Int64.self, forKey: .startedAt)
        dataSources = try c.decodeIfPresent([String].self, forKey: .dataSources) ?? []
        settings = try c.decodeIfPresent([String: String].self, forKey: .settings) ?? [:]
    }

    /// Times are written as UTC epoch seconds and, for the reader, as IST ISO-8601 (`*_ist`).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(runID, forKey: .runID)
        try c.encode(strategies, forKey: .strategies)
        try c.encode(symbols, forKey: .symbols)
        try c.encode(periodStart, forKey: .periodStart)
        try c.encode(periodEnd, forKey: .periodEnd)
        try c.encode(bars, forKey: .bars)
        try c.encode(firstBarTime, forKey: .firstBarTime)
        try c.encode(firstBarTime.map(ReportFormat.istISO8601), forKey: .firstBarIST)
        try c.encode(lastBarTime, forKey: .lastBarTime)
        try c.encode(lastBarTime.map(ReportFormat.istISO8601), forKey: .lastBarIST)
        try c.encode(seed, forKey: .seed)
        try c.encodeRatio(elapsedSeconds, forKey: .elapsedSeconds)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(startedAt.map(ReportFormat.istISO8601), forKey: .startedAtIST)
        try c.encode(dataSources, forKey: .dataSources)
        try c.encode(settings, forKey: .settings)
    }
}

/// The content of `summary.json`: the run and its metrics.
public struct BacktestSummary: Sendable, Codable {
    /// Bumped when the layout of this file changes incompatibly.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var software: String
    public var run: BacktestRunInfo
    public var metrics: PerformanceMetrics

    public init(run: BacktestRunInfo, metrics: PerformanceMetrics) {
        formatVersion = Self.currentFormatVersion
        software = "ALPHA-PRIME \(AlphaPrimeVersion.string)"
        self.run = run
        self.metrics = metrics
    }

    enum CodingKeys: String, CodingKey { case formatVersion = "format_version", software, run, metrics }
}
