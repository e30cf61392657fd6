import AlphaPrimeCore
import AlphaPrimeDomain

/// The `market-data-files` fuzz target's checks (shared with the test that replays its corpus): one
/// market-data file through an import format (the first byte picks the format and the bad-row
/// policy) and through the canonical CSV reader. Beyond not crashing: what passes is in time order
/// with sane prices, every problem names the file, and no problem or error shows a raw control
/// byte of the file.
enum MarketDataFuzzCheck {
    /// NSE's normal day (09:15–15:30, pre-open 09:00–09:08), no holidays: enough for the importer's
    /// session checks.
    static let calendar: TradingCalendar = {
        let normal = TradingCalendar.DayHours(
            session: .init(open: TimeOfDay("09:15")!, close: TimeOfDay("15:30")!),
            preOpen: .init(open: TimeOfDay("09:00")!, close: TimeOfDay("09:08")!))
        return try! TradingCalendar(rules: .init(normal: normal))
    }()

    static func findings(_ input: [UInt8]) -> [String] {
        guard let selector = input.first.map(Int.init) else { return [] }
        let bytes = Array(input.dropFirst())
        let formats = MarketDataFormat.allCases
        let format = formats[selector % formats.count]
        let policy: BadRowPolicy = (selector / formats.count) % 2 == 0 ? .fail : .skip
        let options = ImportOptions(format: format, symbol: "NIFTY50", policy: policy, keepPerKind: 20)
        var findings: [String] = []
        do {
            let result = try MarketDataImporter.importSources(["fuzz.csv"], options: options, calendar: calendar) { _ in bytes }
            for problem in result.log.problems {
                if problem.file != "fuzz.csv" { findings.append("a problem names \(problem.file)") }
                if hasControlBytes(problem.message) { findings.append("a raw control byte in: \(problem.message.debugDescription)") }
            }
            if result.passed { findings += barFindings(result.bars, "\(format) import") }
        } catch {
            if hasControlBytes("\(error)") { findings.append("a raw control byte in: \(String(describing: error).debugDescription)") }
        }
        do {
            let series = try CanonicalCSV.read(bytes: bytes, file: "fuzz.csv")
            for i in series.time.indices.dropFirst() where series.time[i] <= series.time[i - 1] {
                findings.append("canonical: bar \(i) not after bar \(i - 1)")
            }
        } catch {
            if hasControlBytes("\(error)") { findings.append("a raw control byte in: \(String(describing: error).debugDescription)") }
        }
        return findings
    }

    static func hasControlBytes(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F }
    }

    /// Bars that passed the importer's checks are in time order with sane prices.
    static func barFindings(_ bars: BarSeries, _ what: String) -> [String] {
        var findings: [String] = []
        for i in bars.time.indices {
            if i > 0, bars.time[i] <= bars.time[i - 1] { findings.append("\(what): bar \(i) not after bar \(i - 1)") }
            if bars.low[i] <= 0 { findings.append("\(what): a non-positive low at bar \(i)") }
            if bars.low[i] > min(bars.open[i], bars.close[i]) || bars.high[i] < max(bars.open[i], bars.close[i]) {
                findings.append("\(what): OHLC out of order at bar \(i)")
            }
            if bars.volume[i] < 0 { findings.append("\(what): a negative volume at bar \(i)") }
        }
        return findings
    }
}
