import AlphaPrimeSupport
import AlphaPrimeDomain

/// A round trip of one strategy instance in one symbol: from flat, through fills, back to flat.
/// Money in paise, exact: `grossPnL` = exit value − entry value for a long, the reverse for a short.
public struct ClosedTrade: Sendable, Equatable, Codable {
    public var strategy: Int
    public var symbol: SymbolID
    /// `.buy` for a long trade, `.sell` for a short one.
    public var direction: Side
    /// Total quantity entered over the trade.
    public var quantity: Int64
    public var entryTime: Int64
    public var exitTime: Int64
    /// Σ quantity × price of the entry fills.
    public var entryValue: Int64
    /// Σ quantity × price of the exit fills.
    public var exitValue: Int64
    public var grossPnL: Int64
    public var charges: Int64
    /// What closed the position (set by the trading core from the closing order; nil when the
    /// ledger is used on its own).
    public var exitReason: ExitReason? = nil
    public var netPnL: Int64 { grossPnL - charges }

    public init(strategy: Int, symbol: SymbolID, direction: Side, quantity: Int64, entryTime: Int64, exitTime: Int64,
                entryValue: Int64, exitValue: Int64, grossPnL: Int64, charges: Int64, exitReason: ExitReason? = nil) {
        self.strategy = strategy; self.symbol = symbol; self.direction = direction; self.quantity = quantity
        self.entryTime = entryTime; self.exitTime = exitTime; self.entryValue = entryValue; self.exitValue = exitValue
        self.grossPnL = grossPnL; self.charges = charges; self.exitReason = exitReason
    }

    /// Average entry and exit prices in rupees, for display.
    public var averageEntryPrice: Double { Double(entryValue) / Double(quantity) / 100 }
    public var averageExitPrice: Double { Double(exitValue) / Double(quantity) / 100 }
}

/// The book of one strategy instance in its symbol: open lots (FIFO), the trade in progress.
public struct Book: Sendable, Equatable {
    public var symbol: SymbolID
    /// Signed quantity: + long, − short.
    public internal(set) var quantity: Int64 = 0
    /// Σ quantity × price of the open lots (always ≥ 0).
    public internal(set) var openValue: Int64 = 0
    /// Realised gross P&L of this book over the run.
    public internal(set) var realizedPnL: Int64 = 0
    public internal(set) var charges: Int64 = 0
    /// Open lots, oldest first: (unsigned quantity, price).
    @usableFromInline var lots: [(quantity: Int64, price: Int64)] = []
    @usableFromInline var lotStart = 0
    // The trade in progress.
    @usableFromInline var tradeEntryTime: Int64 = 0
    @usableFromInline var tradeEnteredQuantity: Int64 = 0
    @usableFromInline var tradeEntryValue: Int64 = 0
    @usableFromInline var tradeExitValue: Int64 = 0
    @usableFromInline var tradeRealized: Int64 = 0
    @usableFromInline var tradeCharges: Int64 = 0
    @usableFromInline var tradeDirection: Side = .buy

    public init(symbol: SymbolID) { self.symbol = symbol }

    public static func == (a: Book, b: Book) -> Bool {
        a.symbol == b.symbol && a.quantity == b.quantity && a.openValue == b.openValue
            && a.realizedPnL == b.realizedPnL && a.charges == b.charges
    }
}

/// Cash, positions, realised and unrealised P&L and equity, in paise, exact.
///
/// Every fill goes through ``apply(_:)``; every new price through ``mark(_:price:)``. Equity is kept
/// incrementally (cash + Σ net quantity × last price), so marking costs O(1).
public struct Ledger: Sendable {
    public let startingCapital: Int64
    public private(set) var cash: Int64
    public private(set) var books: [Book]
    /// Net signed quantity per symbol across all books.
    public private(set) var netQuantity: [Int64]
    /// Last price seen per symbol (paise), 0 before the first.
    @inlinable public var lastPrice: [Int64] { prices }
    @usableFromInline var prices: [Int64]
    /// Σ net quantity × last price.
    @inlinable public var marketValue: Int64 { markedValue }
    @usableFromInline var markedValue: Int64 = 0
    public private(set) var realizedPnL: Int64 = 0
    public private(set) var totalCharges: Int64 = 0
    public private(set) var closedTrades: [ClosedTrade] = []

    /// Makes room for `trades` closed trades without growing the list step by step (room that is
    /// never used is never touched, so it costs no memory).
    public mutating func reserveTrades(_ trades: Int) {
        closedTrades.reserveCapacity(trades)
    }

    /// Names what closed the trades from index `first` on (the fill that closed them).
    public mutating func setExitReason(_ reason: ExitReason, fromTrade first: Int) {
        for t in first..<closedTrades.count { closedTrades[t].exitReason = reason }
    }
    /// Number of books with a non-zero position.
    public private(set) var openPositionCount = 0

    /// - Parameters:
    ///   - instruments: number of symbols (SymbolID 0..<instruments).
    ///   - bookSymbols: the symbol of each strategy instance's book (index = strategy instance).
    public init(startingCapital: Int64, instruments: Int, bookSymbols: [SymbolID]) {
        self.startingCapital = startingCapital
        cash = startingCapital
        books = bookSymbols.map { Book(symbol: $0) }
        netQuantity = Array(repeating: 0, count: instruments)
        prices = Array(repeating: 0, count: instruments)
    }

    @inlinable public var equity: Int64 { cash + markedValue }
    /// Unrealised P&L of all open lots at the last prices.
    public var unrealizedPnL: Int64 {
        books.reduce(0) { sum, b in
            sum + (b.quantity == 0 ? 0 : (b.quantity > 0 ? b.quantity * lastPrice[b.symbol] - b.openValue
                                                         : b.openValue + b.quantity * lastPrice[b.symbol]))
        }
    }

    /// Marks a symbol to a new price.

    @inlinable
    public mutating func mark(_ symbol: SymbolID, price: Int64) {
        let q = netQuantity[symbol]
        if q != 0 { markedValue += q * (price - prices[symbol]) }
        prices[symbol] = price
    }

    /// What a strategy instance sees of its own position.

    @inlinable
    public func context(for book: Int) -> BarContext {
        BarContext(position: books[book].quantity, entryValue: books[book].openValue)
    }

    /// Applies one fill: cash, lots (FIFO), realised P&L, and the trade list when a book returns to flat
    /// (a fill through zero closes one trade and opens the next at the same price).
    public mutating func apply(_ fill: Fill) {
        let s = fill.symbol
        let signed = fill.side.sign * fill.quantity
        cash -= signed * fill.price + fill.charges
        totalCharges += fill.charges
        // Market value: the fill moves quantity at fill.price, but marks stay at lastPrice.
        if prices[s] == 0 { prices[s] = fill.price }
        markedValue += signed * prices[s]
        netQuantity[s] += signed

        // The book changes where it lies in the array (no copy of it or of its lots).
        let wasOpen = books[fill.strategy].quantity != 0
        realizedPnL += Self.apply(fill, to: &books[fill.strategy], closing: &closedTrades)
        let isOpen = books[fill.strategy].quantity != 0
        if wasOpen != isOpen { openPositionCount += isOpen ? 1 : -1 }
    }

    /// One fill on one book: its lots (FIFO) and the trade in progress; a trade that returns the book
    /// to flat is appended to `trades`. Returns the gross P&L the fill realised.
    static func apply(_ fill: Fill, to book: inout Book, closing trades: inout [ClosedTrade]) -> Int64 {
        var realized: Int64 = 0
        book.charges += fill.charges
        var remaining = fill.quantity
        // Closing part: opposite side to the position.
        if book.quantity != 0 && (book.quantity > 0) != (fill.side == .buy) {
            while remaining > 0 && book.lotStart < book.lots.count {
                let lot = book.lots[book.lotStart]
                let q = min(lot.quantity, remaining)
                let pnl = book.quantity > 0 ? (fill.price - lot.price) * q : (lot.price - fill.price) * q
                book.realizedPnL += pnl
                book.tradeRealized += pnl
                book.tradeExitValue += fill.price * q
                book.openValue -= lot.price * q
                book.quantity += fill.side.sign * q
                remaining -= q
                if q == lot.quantity { book.lotStart += 1 } else { book.lots[book.lotStart].quantity -= q }
                realized += pnl
            }
            // The closing share of this fill's charges belongs to the closing trade.
            let closingCharges = remaining == 0 ? fill.charges : fill.charges * (fill.quantity - remaining) / fill.quantity
            book.tradeCharges += closingCharges
            if book.quantity == 0 {
                trades.append(ClosedTrade(
                    strategy: fill.strategy, symbol: fill.symbol, direction: book.tradeDirection,
                    quantity: book.tradeEnteredQuantity, entryTime: book.tradeEntryTime, exitTime: fill.time,
                    entryValue: book.tradeEntryValue, exitValue: book.tradeExitValue, grossPnL: book.tradeRealized,
                    charges: book.tradeCharges))
                book.lots.removeAllKeepingCapacity()
                book.lotStart = 0
                book.tradeEnteredQuantity = 0; book.tradeEntryValue = 0; book.tradeExitValue = 0
                book.tradeRealized = 0; book.tradeCharges = 0
            }
            if remaining > 0 {
                // Through zero: the rest opens a new trade and carries the rest of the charges.
                let rest = fill.charges - closingCharges
                book.tradeCharges = rest
                openLot(&book, quantity: remaining, fill: fill)
            }
        } else {
            book.tradeCharges += fill.charges
            openLot(&book, quantity: remaining, fill: fill)
        }
        return realized
    }

    private static func openLot(_ book: inout Book, quantity: Int64, fill: Fill) {
        if book.quantity == 0 {
            book.tradeEntryTime = fill.time
            book.tradeDirection = fill.side
            book.tradeEnteredQuantity = 0; book.tradeEntryValue = 0; book.tradeExitValue = 0; book.tradeRealized = 0
        }
        book.lots.append((quantity, fill.price))
        book.openValue += quantity * fill.price
        book.quantity += fill.side.sign * quantity
        book.tradeEnteredQuantity += quantity
        book.tradeEntryValue += quantity * fill.price
    }
}
