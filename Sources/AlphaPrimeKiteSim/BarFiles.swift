import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import Synchronization

/// A canonical bar file that is not one: the file, the line and what is wrong.
public struct BarFileError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    public var file: String
    public var line: Int
    public var reason: String
    public var description: String { "\(file):\(line): \(reason)" }
    public var exitStatus: ExitStatus { .dataError }
}

/// The bundled 1-minute bars (`<folder>/<SYMBOL>/1m/<YYYY>.csv`, data/README.md), read strictly in
/// the canonical format only: the header `timestamp,open,high,low,close,volume`, UTC timestamps
/// `YYYY-MM-DDTHH:MM:SSZ` naming each bar's start, rupees with exactly two decimals, a whole
/// volume, times strictly increasing. Each file is read once and kept.
public final class BarFiles: Sendable {
    public let folder: URL
    private let cache = Mutex<[String: BarSeries]>([:])

    public init(folder: URL) { self.folder = folder }

    /// The 1-minute bars of a symbol folder in `[from, to]` (UTC epoch seconds; a bar is in when its
    /// start is), from the files of the IST years the range touches. A missing file has no bars.
    func minuteBars(symbol: String, from: Int64, to: Int64) throws -> BarSeries {
        var all = BarSeries(symbol: symbol, timeframeSeconds: 60)
        let first = IST.dateTime(epochSeconds: from).date.year, last = IST.dateTime(epochSeconds: to).date.year
        guard first <= last else { return all }
        for year in first...last {
            let series = try yearFile(symbol: symbol, year: year).slice(from: from, to: to == Int64.max ? to : to + 1)
            for i in 0..<series.count { all.append(series[i]) }
        }
        return all
    }

    /// All 1-minute bars of one IST day.
    func day(symbol: String, date: LocalDate) throws -> BarSeries {
        let start = IST.epochSeconds(date: date, secondOfDay: 0)
        return try minuteBars(symbol: symbol, from: start, to: start + 86_399)
    }

    /// The daily bars (`<SYMBOL>/1d/<YYYY>.csv`) of the IST years `years`: India VIX, which has no
    /// minute bars, streams from them.
    func dailyBars(symbol: String, years: ClosedRange<Int>) throws -> BarSeries {
        var all = BarSeries(symbol: symbol, timeframeSeconds: 86_400)
        for year in years {
            let series = try yearFile(symbol: symbol, year: year, timeframe: "1d")
            for i in 0..<series.count { all.append(series[i]) }
        }
        return all
    }

    func yearFile(symbol: String, year: Int, timeframe: String = "1m") throws -> BarSeries {
        let url = folder.appending(path: "\(symbol)/\(timeframe)/\(year).csv")
        if let cached = cache.withLock({ $0[url.path] }) { return cached }
        let series: BarSeries
        if FileManager.default.fileExists(atPath: url.path) {
            series = try Self.read(url, symbol: symbol)
        } else {
            series = BarSeries(symbol: symbol, timeframeSeconds: 60)
        }
        cache.withLock { $0[url.path] = series }
        return series
    }

    static let header = "timestamp,open,high,low,close,volume"

    /// Reads one canonical 1-minute file.
    static func read(_ url: URL, symbol: String) throws -> BarSeries {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw BarFileError(file: url.path, line: 0, reason: "cannot be read: \(error.localizedDescription)")
        }
        return try parse(text, file: url.path, symbol: symbol)
    }

    static func parse(_ text: String, file: String, symbol: String) throws(BarFileError) -> BarSeries {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard lines.first == Substring(header) else {
            throw BarFileError(file: file, line: 1, reason: "the header must be exactly \(header)")
        }
        var series = BarSeries(symbol: symbol, timeframeSeconds: 60, capacity: lines.count - 1)
        var previous = Int64.min
        for (index, line) in lines.enumerated().dropFirst() {
            func fail(_ reason: String) -> BarFileError { BarFileError(file: file, line: index + 1, reason: reason) }
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 6 else { throw fail("expected 6 fields, found \(f.count)") }
            guard f[0].count == 20, f[0].hasSuffix("Z"), f[0].dropFirst(10).first == "T",
                  let time = IST.epochSeconds(iso8601: String(f[0])) else {
                throw fail("timestamp \"\(f[0])\" is not YYYY-MM-DDTHH:MM:SSZ")
            }
            guard time > previous else { throw fail("timestamp \(f[0]) is not after the previous bar's") }
            var prices: [Int64] = []
            for (name, field) in zip(["open", "high", "low", "close"], f[1...4]) {
                let parts = field.split(separator: ".", omittingEmptySubsequences: false)
                guard parts.count == 2, parts[1].count == 2, let paise = Paise(rupees: String(field))?.value, paise > 0 else {
                    throw fail("\(name) \"\(field)\" is not a positive rupee amount with two decimals")
                }
                prices.append(paise)
            }
            guard let volume = Int64(f[5]), volume >= 0 else { throw fail("volume \"\(f[5])\" is not a whole number") }
            guard prices[2] <= min(prices[0], prices[3]), prices[1] >= max(prices[0], prices[3]) else {
                throw fail("the high and low do not enclose the open and close")
            }
            series.append(Bar(time: time, open: prices[0], high: prices[1], low: prices[2], close: prices[3], volume: volume))
            previous = time
        }
        return series
    }
}
