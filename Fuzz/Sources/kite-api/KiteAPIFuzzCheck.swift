import AlphaPrimeKite
import Foundation

/// The `kite-api` fuzz target's checks (shared with the test that replays its corpus): one body as
/// Kite Connect could answer it — the first byte picks what it is read as (`selector % 12`) and
/// the HTTP status (`(selector >> 4) % 8`): the instrument master CSVs (equity and mutual fund) and
/// the JSON envelope around the orders, trades, positions, holdings, quotes, margins, profile and
/// candles answers. Beyond not crashing: an answer whose HTTP status is a failure is never decoded
/// as a success, and parsed instruments carry a symbol.
enum KiteAPIFuzzCheck {
    static let statuses = [200, 200, 200, 400, 403, 429, 500, 503]

    static func findings(_ input: [UInt8]) -> [String] {
        guard let selector = input.first.map(Int.init) else { return [] }
        let body = Data(input.dropFirst())
        let status = statuses[(selector >> 4) % statuses.count]
        var findings: [String] = []
        func envelope<T: Decodable>(_ type: T.Type) {
            if (try? KiteResponse.decode(body, as: T.self, httpStatus: status)) != nil, !(200...299).contains(status) {
                findings.append("HTTP \(status) decoded as a success")
            }
        }
        switch selector % 12 {
        case 0:
            if let instruments = try? KiteInstrument.parseCSV(String(decoding: body, as: UTF8.self), file: "instruments.csv"),
               instruments.contains(where: { $0.tradingsymbol.isEmpty }) {
                findings.append("an instrument without a symbol")
            }
        case 1: _ = try? KiteMFInstrument.parseCSV(String(decoding: body, as: UTF8.self), file: "mf_instruments.csv")
        case 2: envelope([KiteOrder].self)
        case 3: envelope([KiteTrade].self)
        case 4: envelope(KitePositions.self)
        case 5: envelope([KiteHolding].self)
        case 6: envelope([String: KiteQuote].self)
        case 7: envelope([String: KiteLTPQuote].self)
        case 8: envelope(KiteMargins.self)
        case 9: envelope(KiteProfile.self)
        case 10: envelope(KiteCandles.self)
        default: envelope(KiteNothing?.self)
        }
        return findings
    }
}
