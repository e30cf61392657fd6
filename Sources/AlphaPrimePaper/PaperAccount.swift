import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The paper account rebuilt from its fills in the state database: cash, the open lots of every
/// book (strategy × symbol, FIFO) and the last fill price per symbol.
///
/// The database is the paper broker's book, so this is what the paper broker "holds" when the engine
/// is not running: `engine emergency-stop` closes these positions, `engine status` shows them, and
/// a session's opening cash is read from here.
public struct PaperAccount: Sendable {
    public struct BookKey: Hashable, Sendable {
        public var strategy: String
        public var symbol: String
    }

    /// The books in the order they first traded (index = the ledger's book).
    public private(set) var books: [BookKey] = []
    /// The symbols in the order they first traded (index = the ledger's symbol id).
    public private(set) var symbols: [String] = []
    public private(set) var exchanges: [String] = []
    public private(set) var ledger: Ledger
    /// Last fill price per symbol id, paise, and when (UTC epoch seconds).
    public private(set) var lastFill: [(price: Int64, time: Int64)] = []
    /// Per book: the order id (database) whose fill opened the position now open, 0 when flat.
    public private(set) var entryOrderId: [Int64] = []

    /// Rebuilds the account from `fills` (oldest first) on top of `startingCapital`.
    public init(startingCapital: Int64, fills: [AccountFill]) {
        var bookIndex: [BookKey: Int] = [:]
        var symbolIndex: [String: Int] = [:]
        var bookSymbols: [Int] = []
        for f in fills {
            if symbolIndex[f.symbol] == nil {
                symbolIndex[f.symbol] = symbols.count
                symbols.append(f.symbol)
                exchanges.append(f.exchange)
            }
            let key = BookKey(strategy: f.strategy, symbol: f.symbol)
            if bookIndex[key] == nil {
                bookIndex[key] = books.count
                books.append(key)
                bookSymbols.append(symbolIndex[f.symbol]!)
            }
        }
        ledger = Ledger(startingCapital: startingCapital, instruments: symbols.count, bookSymbols: bookSymbols)
        lastFill = Array(repeating: (0, 0), count: symbols.count)
        entryOrderId = Array(repeating: 0, count: books.count)
        for f in fills {
            let book = bookIndex[BookKey(strategy: f.strategy, symbol: f.symbol)]!
            apply(f, book: book, symbol: symbolIndex[f.symbol]!)
        }
    }

    private mutating func apply(_ f: AccountFill, book: Int, symbol: Int) {
        let time = f.fill.filledAt.microseconds / 1_000_000
        let wasFlat = ledger.books[book].quantity == 0
        let trades = ledger.closedTrades.count
        ledger.apply(Fill(orderID: f.fill.orderId, strategy: book, symbol: symbol, side: f.side, quantity: f.fill.quantity,
                          price: f.fill.price.value, charges: f.fill.charges.value, time: time))
        if ledger.books[book].quantity != 0 && (wasFlat || ledger.closedTrades.count > trades) {
            entryOrderId[book] = f.fill.orderId
        } else if ledger.books[book].quantity == 0 {
            entryOrderId[book] = 0
        }
        lastFill[symbol] = (f.fill.price.value, time)
    }

    /// Applies one more fill of a known book (an emergency close), returning the trades it closed.
    public mutating func applyClose(book: Int, side: Side, quantity: Int64, price: Int64, charges: Int64, time: Int64,
                                    orderId: Int64) -> [ClosedTrade] {
        let symbol = ledger.books[book].symbol
        let before = ledger.closedTrades.count
        ledger.apply(Fill(orderID: orderId, strategy: book, symbol: symbol, side: side, quantity: quantity, price: price,
                          charges: charges, time: time))
        if ledger.books[book].quantity == 0 { entryOrderId[book] = 0 }
        return Array(ledger.closedTrades[before...])
    }

    /// Cash now: starting capital, less what was paid for open lots and all charges, plus what closed lots returned.
    public var cash: Int64 { ledger.cash }

    /// Books with a position.
    public var openBooks: [Int] { books.indices.filter { ledger.books[$0].quantity != 0 } }

    /// Open positions per book.
    public var positions: [BrokerPosition] {
        openBooks.map { i in
            BrokerPosition(strategy: books[i].strategy, symbol: books[i].symbol, quantity: ledger.books[i].quantity,
                           openValue: ledger.books[i].openValue)
        }
    }
}

extension PaperAccount {
    /// The account as recorded in `store`: rebuilt from the fills of its current epoch (before
    /// `before`) on top of that epoch's starting capital — the configured capital until the first
    /// `reset-portfolio`.
    public static func recorded(in store: any StateStore, mode: TradingMode, configuredCapital: Int64,
                                before: UTCTimestamp = UTCTimestamp(microseconds: .max)) throws -> PaperAccount {
        let epoch = try store.currentAccountEpoch(mode: mode)
        // Fills of archived months are summed up in a checkpoint of the account's cash.
        let checkpoint = try store.accountCheckpoint(mode: mode, epoch: epoch?.epoch ?? 1, atOrBefore: before)
        var fills = try store.accountFills(mode: mode, from: checkpoint?.asOf ?? UTCTimestamp(microseconds: .min), before: before)
        if let epoch { fills.removeAll { !epoch.contains(fillId: $0.fill.id) } }
        return PaperAccount(startingCapital: checkpoint?.cash.value ?? epoch?.startingCapital.value ?? configuredCapital, fills: fills)
    }
}
