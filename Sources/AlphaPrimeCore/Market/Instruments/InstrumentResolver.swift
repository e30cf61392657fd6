import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// A configured instrument found in the broker's instrument master.
public struct ResolvedInstrument: Sendable, Equatable {
    public var configured: InstrumentConfig
    /// The instrument whose prices are the symbol's bars, and whose token the historical and quote
    /// APIs take: the index for an index, the stock for an equity, the future for a future. Nil
    /// for options: an option chain has no single instrument.
    public var priceInstrument: InstrumentRecord?
    /// The contract orders go to, whose lot and tick the configuration must agree with: the
    /// nearest monthly future for an index, the instrument itself for an equity or a future, the
    /// nearest expiry's options for options. Nil when the master has none (``notes`` says so).
    public var contract: InstrumentRecord?
    /// Where the configured lot size or tick size is not the master's.
    public var disagreements: [InstrumentDisagreement]
    /// What could not be checked, and why.
    public var notes: [String]
}

/// A configured lot size or tick size that the instrument master contradicts: orders sized or
/// priced by the configuration would be refused by the exchange.
public struct InstrumentDisagreement: Sendable, Equatable, CustomStringConvertible {
    public enum Field: String, Sendable { case lotSize = "lot_size", tickSize = "tick_size_paise" }

    /// The configured symbol (`NIFTY 50`).
    public var symbol: String
    public var field: Field
    public var configured: Int64
    public var master: Int64
    /// The contract the master's value is from (`NFO:NIFTY26JANFUT`).
    public var contract: String

    public var description: String {
        "\(symbol): \(field.rawValue) is \(configured) in general_config.yaml but \(master) for \(contract) in the instrument master"
    }
}

/// A symbol that cannot be resolved through the instrument master. The message says what to run.
public struct InstrumentResolutionError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    public enum Kind: Sendable, Equatable {
        /// Nothing in the master answers to the symbol (or the master is empty).
        case notInMaster
        /// Several instruments answer to it; the message lists them.
        case ambiguous
        /// The symbol has no single instrument to take prices from (an option chain).
        case noSingleInstrument
    }

    public var kind: Kind
    public var symbol: String
    public var message: String

    public var description: String { message }
    /// 66: the instrument master, which the tool needs, does not have it.
    public var exitStatus: ExitStatus { .noInput }
}

/// Maps the configured instruments (`general_config.yaml`'s `instruments`) and symbols a trader
/// types to the broker's instrument master kept in the state database.
///
/// The rules, by the configured `segment`:
/// - `INDICES`: the index row of the `exchange` (segment INDICES) whose trading symbol is the
///   `symbol`, else the `trading_symbol`, else a name of it (``SymbolNames``: `BANKNIFTY` is
///   `NIFTY BANK`); NIFTY 50 → 256265, BANKNIFTY → NIFTY BANK 260105. Its lot and tick are checked
///   against the nearest monthly future of `trading_symbol` on the exchange's derivatives segment
///   (NSE → NFO, BSE → BFO), the contract its orders go to.
/// - `NSE` (equity): the row of `exchange` whose trading symbol is the `trading_symbol`, else the
///   `symbol`.
/// - `NFO-FUT`: the nearest monthly future (`<NAME><YY><MON>FUT`) of `trading_symbol` expiring on
///   or after the date asked about.
/// - `NFO-OPT`: the options of `trading_symbol` of the nearest expiry on or after the date: their
///   lot and tick are checked; there is no single price instrument.
public struct InstrumentResolver: Sendable {
    public let store: any StateStore

    public init(store: any StateStore) { self.store = store }

    /// Resolves one configured instrument as of `date` (futures expiring on or after it).
    public func resolve(_ instrument: InstrumentConfig, on date: LocalDate) throws -> ResolvedInstrument {
        let exchange = instrument.exchange.rawValue
        let derivatives = Self.derivativesExchange(of: exchange)
        var price: InstrumentRecord?
        var contract: InstrumentRecord?
        var notes: [String] = []
        switch instrument.segment {
        case .indices:
            let indices = try store.instruments(InstrumentQuery(exchange: exchange, segment: "INDICES"))
            price = try Self.pick(indices, for: instrument.symbol, names: [instrument.symbol, instrument.tradingSymbol],
                                  what: "index on \(exchange)", download: exchange, store: store)
            contract = try nearestMonthlyFuture(of: instrument.tradingSymbol, exchange: derivatives, on: date)
            if contract == nil {
                notes.append("lot and tick not checked: no monthly \(instrument.tradingSymbol) future expiring on or after \(date) in the instrument master (market-data instruments --exchange \(derivatives))")
            }
        case .equity:
            var found: InstrumentRecord?
            for name in [instrument.tradingSymbol, instrument.symbol] where found == nil {
                let rows = try store.instruments(InstrumentQuery(exchange: exchange, tradingsymbol: name))
                if rows.count > 1 { throw Self.ambiguous(instrument.symbol, rows) }
                found = rows.first
            }
            guard let found else {
                throw try Self.notFound(instrument.symbol, "'\(instrument.symbol)': no \(exchange) instrument has the trading symbol \(instrument.tradingSymbol)",
                                        download: exchange, store: store)
            }
            price = found
            contract = found
        case .futures:
            guard let future = try nearestMonthlyFuture(of: instrument.tradingSymbol, exchange: derivatives, on: date) else {
                throw try Self.notFound(instrument.symbol, "'\(instrument.symbol)': no monthly \(instrument.tradingSymbol) future on \(derivatives) expires on or after \(date)",
                                        download: derivatives, store: store)
            }
            price = future
            contract = future
        case .options:
            let options = try store.instruments(InstrumentQuery(exchange: derivatives, segment: "\(derivatives)-OPT",
                                                                name: instrument.tradingSymbol, expiringOnOrAfter: date))
            guard let first = options.first else {
                throw try Self.notFound(instrument.symbol, "'\(instrument.symbol)': no \(instrument.tradingSymbol) option on \(derivatives) expires on or after \(date)",
                                        download: derivatives, store: store)
            }
            contract = first
            notes.append("options: no single price instrument; lot and tick checked against \(first.key) (expiry \(first.expiry.map { "\($0)" } ?? "-"))")
        }
        var disagreements: [InstrumentDisagreement] = []
        if let contract {
            if contract.lotSize > 0, contract.lotSize != Int64(instrument.lotSize) {
                disagreements.append(InstrumentDisagreement(symbol: instrument.symbol, field: .lotSize, configured: Int64(instrument.lotSize),
                                                            master: contract.lotSize, contract: contract.key))
            }
            if let tick = contract.tickSize {
                if tick.value > 0, tick.value != Int64(instrument.tickSizePaise) {
                    disagreements.append(InstrumentDisagreement(symbol: instrument.symbol, field: .tickSize,
                                                                configured: Int64(instrument.tickSizePaise), master: tick.value,
                                                                contract: contract.key))
                }
            } else {
                notes.append("tick not checked: \(contract.key) ticks in less than a paisa")
            }
        }
        return ResolvedInstrument(configured: instrument, priceInstrument: price, contract: contract,
                                  disagreements: disagreements, notes: notes)
    }

    /// A symbol as a trader types it (`--symbol`): a configured instrument by its symbol or a name
    /// of it (`NIFTY`, `NIFTY BANK`), resolved as ``resolve(_:on:)`` does; otherwise an instrument
    /// of the master by `EXCHANGE:TRADINGSYMBOL`, or by trading symbol on `exchange` (NSE first when
    /// no exchange is given and several have it).
    public func resolve(symbol: String, configured: [InstrumentConfig], exchange: String?, on date: LocalDate) throws
        -> (instrument: InstrumentRecord, configured: InstrumentConfig?) {
        let typed = symbol.trimmingCharacters(in: .whitespaces)
        if !typed.contains(":"), exchange == nil,
           let match = configured.first(where: { $0.symbol == typed })
            ?? Self.single(configured.filter { SymbolNames.same(typed, $0.symbol) || SymbolNames.same(typed, $0.tradingSymbol) }) {
            let resolved = try resolve(match, on: date)
            guard let instrument = resolved.priceInstrument else {
                throw InstrumentResolutionError(
                    kind: .noSingleInstrument, symbol: typed,
                    message: "\(match.symbol) is configured as options (\(match.segment.rawValue)): an option chain has no single price history; give one contract's trading symbol, e.g. --symbol \(resolved.contract?.key ?? "NFO:<TRADINGSYMBOL>")")
            }
            return (instrument, match)
        }
        var exchangeName = exchange
        var tradingsymbol = typed
        if let colon = typed.firstIndex(of: ":") {
            exchangeName = String(typed[..<colon]).uppercased()
            tradingsymbol = String(typed[typed.index(after: colon)...])
        }
        let rows = try store.instruments(InstrumentQuery(exchange: exchangeName, tradingsymbol: tradingsymbol))
        let chosen = rows.count > 1 && exchangeName == nil ? rows.filter { $0.exchange == "NSE" } : rows
        if chosen.count > 1 { throw Self.ambiguous(typed, rows) }
        guard let instrument = chosen.first else {
            let problem = exchangeName.map { "'\(typed)': no \($0) instrument has the trading symbol \(tradingsymbol)" }
                ?? "'\(typed)' is not a configured symbol, and no instrument has that trading symbol"
            throw try Self.notFound(typed, problem, download: exchangeName, store: store)
        }
        return (instrument, nil)
    }

    /// The monthly future of `name` on `exchange` with the nearest expiry on or after `date`.
    public func nearestMonthlyFuture(of name: String, exchange: String, on date: LocalDate) throws -> InstrumentRecord? {
        try store.instruments(InstrumentQuery(exchange: exchange, segment: "\(exchange)-FUT", name: name,
                                              instrumentType: "FUT", expiringOnOrAfter: date))
            .filter { Self.isMonthlyFuture($0) }
            .first
    }

    /// Whether a future is a monthly contract: `<NAME><YY><MON>FUT` (`NIFTY26JANFUT`), as NSE names
    /// them (a weekly contract carries its day: `NIFTY26J08FUT`).
    public static func isMonthlyFuture(_ instrument: InstrumentRecord) -> Bool {
        guard instrument.instrumentType == "FUT", instrument.tradingsymbol.hasPrefix(instrument.name),
              instrument.tradingsymbol.hasSuffix("FUT") else { return false }
        let middle = Array(instrument.tradingsymbol.dropFirst(instrument.name.count).dropLast(3))
        guard middle.count == 5, middle[0].isASCII, middle[0].isNumber, middle[1].isASCII, middle[1].isNumber else { return false }
        return months.contains(String(middle[2...]))
    }

    static let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

    /// Where an exchange's derivatives trade: NSE → NFO, BSE → BFO; a derivatives exchange is its own.
    public static func derivativesExchange(of exchange: String) -> String {
        switch exchange {
        case "NSE": "NFO"
        case "BSE": "BFO"
        default: exchange
        }
    }

    // MARK: Pieces

    /// The row named exactly by the first of `names` that one row has, else the one row whose
    /// trading symbol is a name of one of them.
    static func pick(_ rows: [InstrumentRecord], for symbol: String, names: [String], what: String, download: String,
                     store: any StateStore) throws -> InstrumentRecord {
        for name in names {
            let exact = rows.filter { $0.tradingsymbol == name }
            if exact.count > 1 { throw ambiguous(symbol, exact) }
            if let row = exact.first { return row }
        }
        let aliases = rows.filter { row in names.contains { SymbolNames.same(row.tradingsymbol, $0) } }
        if aliases.count > 1 { throw ambiguous(symbol, aliases) }
        if let row = aliases.first { return row }
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        throw try notFound(symbol, "'\(symbol)': no \(what) is named \(unique.joined(separator: " or "))", download: download, store: store)
    }

    static func single<T>(_ items: [T]) -> T? { items.count == 1 ? items[0] : nil }

    static func ambiguous(_ symbol: String, _ rows: [InstrumentRecord]) -> InstrumentResolutionError {
        let listed = rows.prefix(8).map { "\($0.key) (token \($0.instrumentToken))" }.joined(separator: ", ")
        return InstrumentResolutionError(
            kind: .ambiguous, symbol: symbol,
            message: "'\(symbol)' names \(rows.count) instruments in the instrument master: \(listed)\(rows.count > 8 ? ", …" : ""); name one as EXCHANGE:TRADINGSYMBOL")
    }

    /// `problem`, what the master holds, and the command that downloads what is missing.
    static func notFound(_ symbol: String, _ problem: String, download exchange: String?, store: any StateStore) throws -> InstrumentResolutionError {
        let lists = try store.instrumentLists()
        let command = "market-data instruments\(exchange.map { " --exchange \($0)" } ?? "")"
        let held: String
        if lists.isEmpty {
            held = "the instrument master is empty"
        } else if let exchange, !lists.contains(where: { $0.exchange == exchange }) {
            held = "the instrument master has no \(exchange) list; it has \(Set(lists.map(\.exchange)).sorted().joined(separator: ", "))"
        } else {
            let days = Set(lists.filter { exchange == nil || $0.exchange == exchange }.map(\.downloadedOn)).sorted()
            held = "instrument master downloaded \(days.map(\.description).joined(separator: ", "))"
        }
        return InstrumentResolutionError(kind: .notInMaster, symbol: symbol,
                                         message: "\(problem) (\(held)); download the list with: \(command)")
    }
}
