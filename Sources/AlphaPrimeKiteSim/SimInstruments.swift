import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// An instrument kite-sim knows: what its instrument master row says, and where its bars are.
struct SimInstrument: Sendable, Equatable {
    var token: Int64
    var exchangeToken: Int64
    var tradingsymbol: String
    var name: String
    /// The row's `last_price`, paise: the quote before any bar is seen.
    var listedPrice: Int64
    /// Minimum price step in paise (at least 1).
    var tickSize: Int64
    var lotSize: Int64
    var instrumentType: String
    var segment: String
    var exchange: String
    /// The row exactly as the instrument master has it, for `GET /instruments`.
    var row: String

    /// `EXCHANGE:TRADINGSYMBOL`, the key of quotes.
    var key: String { "\(exchange):\(tradingsymbol)" }

    /// An index is quoted and has candles, but is not traded.
    var isTradable: Bool { segment != "INDICES" }

    /// The folder of its bars under the market data folder (`NIFTY50` for `NIFTY 50` and `NIFTY`,
    /// `BANKNIFTY` for `NIFTY BANK`; otherwise the trading symbol without spaces).
    var dataFolder: String {
        let compact = tradingsymbol.uppercased().filter { $0 != " " }
        switch compact {
        case "NIFTY", "NIFTY50": return "NIFTY50"
        case "NIFTYBANK", "BANKNIFTY": return "BANKNIFTY"
        default: return compact
        }
    }
}

/// A malformed instrument list (`--instruments FILE`): the file, the line and what is wrong.
public struct InstrumentListError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    public var file: String
    public var line: Int
    public var reason: String
    public var description: String { "\(file):\(line): \(reason)" }
    public var exitStatus: ExitStatus { .dataError }
}

/// The instrument master kite-sim serves and trades.
public struct SimInstrumentList: Sendable {
    /// The header of Kite's instrument CSV, exactly.
    static let header = "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange"

    let instruments: [SimInstrument]
    private let byKey: [String: Int]
    private let byToken: [Int64: Int]

    /// The default list (``DefaultInstruments``).
    public static func standard() -> SimInstrumentList {
        // The embedded list is checked by the tests; it cannot be malformed at run time.
        try! SimInstrumentList(csv: DefaultInstruments.csv, file: "the built-in instrument list")
    }

    /// Reads an instrument list file in Kite's CSV format.
    public static func read(file url: URL) throws -> SimInstrumentList {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw InstrumentListError(file: url.path, line: 0, reason: "cannot be read: \(error.localizedDescription)")
        }
        return try SimInstrumentList(csv: text, file: url.path)
    }

    /// Parses Kite's instrument CSV: the header exactly, then one instrument per line (LF or CRLF;
    /// quoted fields allowed). Every instrument's exchange and trading symbol, and its token, must
    /// be unique, its tick size positive.
    init(csv text: String, file: String) throws(InstrumentListError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        if lines.last?.isEmpty == true { lines.removeLast() }
        func fail(_ line: Int, _ reason: String) -> InstrumentListError {
            InstrumentListError(file: file, line: line, reason: reason)
        }
        guard let head = lines.first, head.drop(while: { $0 == "\u{FEFF}" }) == Self.header else {
            throw fail(1, "the header must be exactly \(Self.header)")
        }
        var instruments: [SimInstrument] = [], byKey: [String: Int] = [:], byToken: [Int64: Int] = [:]
        for (index, line) in lines.enumerated().dropFirst() {
            let number = index + 1
            guard let f = Self.fields(line), f.count == 12 else {
                throw fail(number, "expected 12 comma-separated fields")
            }
            guard let token = Int64(f[0]), token > 0 else { throw fail(number, "instrument_token \"\(f[0])\" is not a positive whole number") }
            guard let exchangeToken = Int64(f[1]) else { throw fail(number, "exchange_token \"\(f[1])\" is not a whole number") }
            guard !f[2].isEmpty, !f[11].isEmpty else { throw fail(number, "tradingsymbol and exchange must not be empty") }
            guard let price = Self.rupeeAmount(f[4]) else { throw fail(number, "last_price \"\(f[4])\" is not a rupee amount") }
            guard let tick = Self.rupeeAmount(f[7]), tick > 0 else {
                throw fail(number, "tick_size \"\(f[7])\" is not a positive amount of whole paise")
            }
            guard let lot = Int64(f[8]), lot >= 0 else { throw fail(number, "lot_size \"\(f[8])\" is not a whole number") }
            let instrument = SimInstrument(
                token: token, exchangeToken: exchangeToken, tradingsymbol: f[2], name: f[3], listedPrice: price,
                tickSize: tick, lotSize: max(lot, 1), instrumentType: f[9], segment: f[10], exchange: f[11], row: String(line))
            guard byKey[instrument.key] == nil else { throw fail(number, "\(instrument.key) is listed twice") }
            guard byToken[token] == nil else { throw fail(number, "instrument_token \(token) is listed twice") }
            byKey[instrument.key] = instruments.count
            byToken[token] = instruments.count
            instruments.append(instrument)
        }
        self.instruments = instruments
        self.byKey = byKey
        self.byToken = byToken
    }

    var count: Int { instruments.count }

    /// The index of `EXCHANGE:TRADINGSYMBOL`.
    func index(exchange: String, tradingsymbol: String) -> Int? { byKey["\(exchange):\(tradingsymbol)"] }
    func index(key: String) -> Int? { byKey[key] }
    func index(token: Int64) -> Int? { byToken[token] }

    /// The CSV of all instruments, or of one exchange's (`GET /instruments/:exchange`).
    func csv(exchange: String? = nil) -> String {
        var out = Self.header + "\n"
        for instrument in instruments where exchange == nil || instrument.exchange == exchange {
            out += instrument.row + "\n"
        }
        return out
    }

    /// The fields of one CSV line (a quoted field may hold commas, `""` is a quote); nil when a
    /// quote is misplaced or left open.
    static func fields(_ line: Substring) -> [String]? {
        var fields: [String] = [], field = ""
        var inQuotes = false, quoted = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            i = line.index(after: i)
            if inQuotes {
                if c == "\"" {
                    if i < line.endIndex, line[i] == "\"" { field.append("\""); i = line.index(after: i) } else { inQuotes = false }
                } else {
                    field.append(c)
                }
            } else if c == "," {
                fields.append(field); field = ""; quoted = false
            } else if c == "\"" {
                guard field.isEmpty, !quoted else { return nil }
                inQuotes = true; quoted = true
            } else {
                guard !quoted else { return nil }
                field.append(c)
            }
        }
        guard !inQuotes else { return nil }
        fields.append(field)
        return fields
    }

    /// Exact paise of a rupee amount from the CSV (`"0.05"`, `"2528.4"`, `"0.0"`); nil when it has
    /// finer than paise digits that are not zero, or is not a number.
    static func rupeeAmount(_ text: String) -> Int64? {
        var t = Substring(text)
        if let dot = t.firstIndex(of: ".") {
            // Trailing zeros beyond two decimals carry nothing (`0.0500`).
            var fraction = t[t.index(after: dot)...]
            while fraction.count > 2, fraction.last == "0" { fraction = fraction.dropLast() }
            t = Substring(String(t[..<dot]) + "." + fraction)
        }
        return Paise(rupees: String(t))?.value
    }
}
