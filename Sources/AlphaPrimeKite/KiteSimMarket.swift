import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeHTTP
import Foundation

/// A rehearsal of a live session against `kite-sim` (docs/kite-sim.md): the engine replays
/// recorded bars and this hands each one to kite-sim's external market (`POST /sim/market/bar`)
/// before the strategies see it, so kite-sim fills the orders the adapter placed over the real
/// REST API exactly where the paper broker would. After each step it waits for the commands in
/// flight and reads the book, so the fills reach the engine within the same bar.
///
/// Only ever used with a kite-sim on this machine's loopback address (the engine refuses a replay
/// in live mode against any other server). A restarted engine catching up sends no bar before
/// kite-sim's clock; kite-sim itself trades no instrument's bar twice (the one the earlier run
/// stopped in goes on where it stopped).
public final class KiteSimMarket: SimulatedMarket {
    let broker: KiteBroker
    let http: HTTPClient
    let baseURL: String
    let instruments: KiteInstrumentMap
    let commandTimeout: Double
    /// kite-sim's clock when the session began: bars before it were traded by an earlier run.
    var clockAtStart: Int64?

    public struct Failure: Error, CustomStringConvertible, ExitStatusProviding {
        public var description: String
        public var exitStatus: ExitStatus { .unavailable }
    }

    public init(broker: KiteBroker, connection: KiteConnection, instruments: KiteInstrumentMap) throws {
        self.broker = broker
        self.http = try HTTPClient()
        self.baseURL = connection.baseURL
        self.instruments = instruments
        self.commandTimeout = connection.placementLookupSeconds + connection.requestTimeout * 2 + 5
    }

    public func marketBar(_ bar: Bar, symbol: SymbolID) {
        step(bar, symbol: symbol, phase: "bar", time: bar.time)
    }

    public func marketRestOfBar(_ bar: Bar, symbol: SymbolID) {
        step(bar, symbol: symbol, phase: "rest", time: bar.time)
    }

    public func fillMarketOrdersAtLastPrice(symbol: SymbolID, time: Int64) {
        let flat = Bar(time: time, open: 0, high: 0, low: 0, close: 0)
        step(flat, symbol: symbol, phase: "last", time: time)
    }

    public func forget(orderID: Int64) {
        broker.forget(orderID: orderID)
    }

    /// The market steps must happen in order with the engine's bars; a failure to reach kite-sim
    /// leaves the rehearsal meaningless, so it stops the process with a clear message (the engine's
    /// journal is crash-safe: a restart resumes the session).
    func step(_ bar: Bar, symbol: SymbolID, phase: String, time: Int64) {
        do {
            broker.waitForCommands(timeout: commandTimeout)
            if clockAtStart == nil { clockAtStart = try clock() }
            if phase != "last", time < (clockAtStart ?? 0) { return }
            let entry = instruments.entries[symbol]
            let form = [("exchange", entry.exchange), ("tradingsymbol", entry.tradingsymbol), ("time", String(time)),
                        ("open_paise", String(bar.open)), ("high_paise", String(bar.high)), ("low_paise", String(bar.low)),
                        ("close_paise", String(bar.close)), ("phase", phase), ("max_fills", "1")]
            // Fill by fill: after each, the adapter reads the book and reacts (cancels the other leg
            // of a bracket) before the bar goes on, as it would between two prices at the exchange.
            for _ in 0..<1000 {
                let response = try http.perform(HTTPRequest(
                    method: .post, url: baseURL + "/sim/market/bar",
                    headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")],
                    body: Data(FormEncoding.encode(form).utf8)))
                struct Stepped: Decodable { var fills: Int }
                let stepped = try KiteResponse.decode(response.body, as: Stepped.self, httpStatus: response.status)
                try broker.refresh()
                guard stepped.fills > 0 else { break }
                broker.waitForCommands(timeout: commandTimeout)
            }
        } catch {
            FileHandle.standardError.write(Data("engine: the kite-sim rehearsal market failed: \(error)\n".utf8))
            exit(ExitStatus.unavailable.rawValue)
        }
    }

    /// kite-sim's market clock (`GET /sim/stats`: `market_time`, IST wall-clock text), 0 before
    /// the first bar.
    func clock() throws -> Int64 {
        let response = try http.perform(HTTPRequest(method: .get, url: baseURL + "/sim/stats"))
        struct Stats: Decodable {
            var marketTime: String?
            enum CodingKeys: String, CodingKey { case marketTime = "market_time" }
        }
        let stats = try KiteResponse.decode(response.body, as: Stats.self, httpStatus: response.status)
        return stats.marketTime.flatMap { IST.epochSeconds(iso8601: $0) } ?? 0
    }
}
