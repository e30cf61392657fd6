import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// The canonical bar files of a home:
///
/// ```
/// data/market_data/<SYMBOL>/<timeframe>/<YYYY>.csv     e.g. data/market_data/NIFTY50/1m/2021.csv
/// ```
///
/// One file per symbol, timeframe and year (the IST year of the bar's trading day), each a
/// ``CanonicalCSV``. A year of 1-minute bars is one file, loaded through one ``BarCache`` entry.
public struct MarketDataStore: Sendable {
    /// `<home>/data/market_data`
    public let root: URL
    public let cache: BarCache?

    public init(home: AlphaPrimeHome) {
        self.root = home.dataDirectory.appending(path: "market_data", directoryHint: .isDirectory)
        self.cache = BarCache(home: home)
    }

    public init(root: URL, cache: BarCache?) {
        self.root = root
        self.cache = cache
    }

    /// Whether a name can be a symbol folder: letters, digits and `& - _ .`, not starting with a dot.
    public static func isValidSymbol(_ symbol: String) -> Bool {
        guard !symbol.isEmpty, symbol.count <= 64, !symbol.hasPrefix(".") else { return false }
        return symbol.unicodeScalars.allSatisfy { s in
            s.isASCII && (CharacterSet.alphanumerics.contains(s) || "&-_.".unicodeScalars.contains(s))
        }
    }

    public func directory(symbol: String, timeframe: Timeframe) -> URL {
        root.appending(path: symbol, directoryHint: .isDirectory).appending(path: timeframe.description, directoryHint: .isDirectory)
    }

    public func url(symbol: String, timeframe: Timeframe, year: Int) -> URL {
        directory(symbol: symbol, timeframe: timeframe).appending(path: "\(year).csv")
    }

    /// The years that have a file, oldest first.
    public func years(symbol: String, timeframe: Timeframe) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory(symbol: symbol, timeframe: timeframe).path)) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasSuffix(".csv"), name.count == 8 else { return nil }
            return Int(name.prefix(4))
        }.sorted()
    }

    /// The bars of a symbol and timeframe whose trading day lies in `[from, through]` (all when nil),
    /// in time order, through the cache when there is one.
    public func load(symbol: String, timeframe: Timeframe, from: LocalDate? = nil, through: LocalDate? = nil) throws -> BarSeries {
        var out = BarSeries(symbol: symbol, timeframeSeconds: timeframe.seconds)
        let years = self.years(symbol: symbol, timeframe: timeframe).filter { year in
            year >= (from?.year ?? Int.min) && year <= (through?.year ?? Int.max)
        }
        guard !years.isEmpty else {
            throw MarketDataError.missingFile(path: directory(symbol: symbol, timeframe: timeframe).path,
                                              reason: "no \(timeframe) bars of \(symbol)\(from != nil || through != nil ? " in the years asked for" : "")")
        }
        for year in years {
            let url = self.url(symbol: symbol, timeframe: timeframe, year: year)
            let options = CanonicalCSV.Options(symbol: symbol, timeframe: timeframe)
            let part = try cache?.load(csv: url, options: options) ?? CanonicalCSV.read(url: url, options: options)
            out.append(contentsOf: part)
        }
        if from != nil || through != nil {
            let lo = from.map { IST.epochSeconds(date: $0, secondOfDay: 0) } ?? .min
            let hi = through.map { IST.epochSeconds(date: $0.adding(days: 1), secondOfDay: 0) } ?? .max
            out = out.slice(from: lo, to: hi)
        }
        return out
    }

    /// One file written by ``save(_:symbol:)``.
    public struct SavedFile: Hashable, Sendable, Codable {
        public var path: String
        public var year: Int
        /// Bars in the file after the save.
        public var bars: Int
        /// Trading days the save added.
        public var daysAdded: Int
        /// Trading days already in the file that the save replaced.
        public var daysReplaced: Int
    }

    /// Stores bars (in time order, start-labelled, UTC) under their symbol and timeframe. A day
    /// present in `bars` replaces that whole day in the file; other days are kept. Each year's file
    /// is rewritten atomically.
    public func save(_ bars: BarSeries, symbol: String) throws -> [SavedFile] {
        guard Self.isValidSymbol(symbol) else {
            throw MarketDataError.badFile(file: root.path, message: "'\(symbol)' cannot be a symbol folder: use letters, digits, & - _ .")
        }
        guard let timeframe = Timeframe(seconds: bars.timeframeSeconds) else {
            throw MarketDataError.badFile(file: root.path, message: "\(bars.timeframeSeconds) s is not a timeframe")
        }
        var saved: [SavedFile] = []
        var i = 0
        while i < bars.count {
            let year = IST.dateTime(epochSeconds: bars.time[i]).date.year
            let yearEnd = IST.epochSeconds(date: LocalDate(year: year + 1, month: 1, day: 1)!, secondOfDay: 0)
            var j = i
            while j < bars.count && bars.time[j] < yearEnd { j += 1 }
            let part = bars.slice(from: bars.time[i], to: yearEnd)
            saved.append(try saveYear(part, symbol: symbol, timeframe: timeframe, year: year))
            i = j
        }
        return saved
    }

    private func saveYear(_ new: BarSeries, symbol: String, timeframe: Timeframe, year: Int) throws -> SavedFile {
        let url = self.url(symbol: symbol, timeframe: timeframe, year: year)
        let newDays = Set(new.time.map { SessionCache.istDay($0) })
        var merged = BarSeries(symbol: symbol, timeframeSeconds: timeframe.seconds)
        var replaced = Set<Int64>()
        if FileManager.default.fileExists(atPath: url.path) {
            let old = try CanonicalCSV.read(url: url, options: CanonicalCSV.Options(symbol: symbol, timeframe: timeframe))
            merged.reserveCapacity(old.count + new.count)
            var a = 0, b = 0
            while a < old.count || b < new.count {
                if a < old.count, newDays.contains(SessionCache.istDay(old.time[a])) {
                    replaced.insert(SessionCache.istDay(old.time[a]))
                    a += 1
                } else if b >= new.count || (a < old.count && old.time[a] < new.time[b]) {
                    merged.append(old[a]); a += 1
                } else {
                    merged.append(new[b]); b += 1
                }
            }
        } else {
            merged = new
            merged.symbol = symbol
        }
        try CanonicalCSV.write(merged, to: url)
        return SavedFile(path: url.path, year: year, bars: merged.count, daysAdded: newDays.count - replaced.count, daysReplaced: replaced.count)
    }
}

extension BarSeries {
    /// Appends another series' bars (same symbol and timeframe, later in time).
    public mutating func append(contentsOf other: BarSeries) {
        time += other.time; open += other.open; high += other.high
        low += other.low; close += other.close; volume += other.volume
    }
}
