import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// Where replayed bars come from: a trading date (the canonical store under `data/market_data/`)
/// or a canonical CSV file.
public enum ReplaySource: Sendable, Equatable, CustomStringConvertible {
    case date(LocalDate)
    case file(String)

    /// `2021-02-22` is a date; anything else is a file path.
    public init(_ text: String) {
        if let date = LocalDate(text) { self = .date(date) } else { self = .file(text) }
    }

    public var description: String {
        switch self {
        case .date(let d): d.description
        case .file(let path): path
        }
    }
}

/// One trading session to replay: its bars per symbol id and the earlier sessions' bars that warm
/// the strategies' indicators up (no orders come from those).
public struct ReplayDay: Sendable {
    public var session: TradingCalendar.Session
    /// Per symbol id: the session's 1-minute bars, `[open, close)`.
    public var series: [BarSeries]
    /// Per symbol id: bars of the sessions before, oldest first.
    public var warmup: [BarSeries]
    public var source: String

    public var date: LocalDate { session.date }
}

/// What ``ReplayData/load(sources:setup:calendar:store:warmupDays:currentDirectory:)`` found.
public struct ReplayPlan: Sendable {
    public var days: [ReplayDay]
    /// Dates given that have no session (holidays, weekends), with the reason.
    public var closedDates: [String]
    /// Symbols some strategy trades that a file replay has no bars for.
    public var symbolsWithoutBars: [String]
}

public enum ReplayData {
    /// The folder a symbol's bars are filed under: `NIFTY 50` → `NIFTY50`.
    public static func folderName(_ symbol: String) -> String {
        if MarketDataStore.isValidSymbol(symbol) { return symbol }
        return String(symbol.unicodeScalars.filter { s in
            s.isASCII && (CharacterSet.alphanumerics.contains(s) || "&-_.".unicodeScalars.contains(s))
        }.map(Character.init))
    }

    static func normalized(_ s: String) -> String {
        String(s.uppercased().unicodeScalars.filter { $0.isASCII && CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// The replay's sessions, in date order, with their warm-up bars.
    public static func load(sources: [ReplaySource], setup: EngineSetup, calendar: TradingCalendar, store: MarketDataStore,
                            warmupDays: Int, currentDirectory: URL) throws -> ReplayPlan {
        var plan = ReplayPlan(days: [], closedDates: [], symbolsWithoutBars: [])
        let traded = setup.tradedSymbols
        var files: [SymbolID: BarSeries] = [:]
        var fileNames: [String] = []
        var dates: [LocalDate] = []
        for source in sources {
            switch source {
            case .date(let date):
                guard calendar.session(on: date) != nil else {
                    plan.closedDates.append(calendar.explain(date))
                    continue
                }
                dates.append(date)
            case .file(let path):
                let url = URL(filePath: path, relativeTo: currentDirectory).standardizedFileURL
                let series = try CanonicalCSV.read(url: url)
                guard let symbol = instrument(for: series.symbol, in: setup.instruments) else {
                    throw EngineError.badReplay("\(url.path): its bars are of '\(series.symbol)', which is none of the instruments in general_config.yaml (\(setup.instruments.map(\.symbol).joined(separator: ", "))); name the file after the symbol (NIFTY50.csv) or keep it in data/market_data/<SYMBOL>/1m/")
                }
                guard series.timeframeSeconds == 60 else {
                    throw EngineError.badReplay("\(url.path): the engine replays 1-minute bars; these are \(series.timeframeSeconds / 60)-minute bars")
                }
                if var existing = files[symbol] {
                    existing.append(contentsOf: series)
                    files[symbol] = existing
                } else {
                    files[symbol] = series
                }
                fileNames.append(url.path)
            }
        }

        // Store dates.
        for date in dates.sorted() where !plan.days.contains(where: { $0.date == date }) {
            guard let session = calendar.session(on: date) else {
                throw EngineError.badReplay("\(date) has no trading session in config/trading_hours.yaml")
            }
            var warmStart = date
            for _ in 0..<max(0, warmupDays) { warmStart = calendar.previousTradingDay(before: warmStart) }
            var series = setup.instruments.map { BarSeries(symbol: $0.symbol, timeframeSeconds: 60) }
            var warmup = series
            for s in traded {
                let folder = folderName(setup.instruments[s].symbol)
                let loaded: BarSeries
                do {
                    loaded = try store.load(symbol: folder, timeframe: .oneMinute, from: warmStart, through: date)
                } catch let error as MarketDataError {
                    throw EngineError.noMarketData("no 1-minute bars of \(setup.instruments[s].symbol) for \(date): \(error)")
                }
                series[s] = loaded.slice(from: session.openEpochSeconds, to: session.closeEpochSeconds)
                warmup[s] = loaded.slice(from: IST.epochSeconds(date: warmStart, secondOfDay: 0), to: IST.epochSeconds(date: date, secondOfDay: 0))
                guard !series[s].isEmpty else {
                    throw EngineError.noMarketData("no 1-minute bars of \(setup.instruments[s].symbol) in the \(date) session under \(store.directory(symbol: folder, timeframe: .oneMinute).path); import them with market-data import")
                }
            }
            plan.days.append(ReplayDay(session: session, series: series, warmup: warmup, source: "replay \(date)"))
        }

        // File days: every trading session the files have bars in.
        if !files.isEmpty {
            plan.symbolsWithoutBars = traded.filter { files[$0] == nil }.map { setup.instruments[$0].symbol }
            var days = Set<LocalDate>()
            for series in files.values { for t in series.time { days.insert(IST.dateTime(epochSeconds: t).date) } }
            let ordered = days.sorted()
            for (k, date) in ordered.enumerated() {
                guard let session = calendar.session(on: date) else {
                    plan.closedDates.append(calendar.explain(date))
                    continue
                }
                let first = ordered[max(0, k - max(0, warmupDays))]
                var series = setup.instruments.map { BarSeries(symbol: $0.symbol, timeframeSeconds: 60) }
                var warmup = series
                for (s, bars) in files {
                    series[s] = bars.slice(from: session.openEpochSeconds, to: session.closeEpochSeconds)
                    warmup[s] = bars.slice(from: IST.epochSeconds(date: first, secondOfDay: 0), to: IST.epochSeconds(date: date, secondOfDay: 0))
                }
                guard series.contains(where: { !$0.isEmpty }) else { continue }
                plan.days.append(ReplayDay(session: session, series: series, warmup: warmup,
                                           source: "replay \(fileNames.joined(separator: ", "))"))
            }
            plan.days.sort { $0.date < $1.date }
        }
        return plan
    }

    /// The instrument a file's symbol names: the same letters and digits, or a name that starts with them
    /// (`NIFTY50_2021-02-22` → `NIFTY 50`); the longest match wins.
    static func instrument(for name: String, in instruments: [Instrument]) -> SymbolID? {
        let n = normalized(name)
        var best: (id: SymbolID, length: Int)?
        for (i, instrument) in instruments.enumerated() {
            let m = normalized(instrument.symbol)
            guard !m.isEmpty, n.hasPrefix(m) else { continue }
            if best == nil || m.count > best!.length { best = (i, m.count) }
        }
        return best?.id
    }
}
