import AlphaPrimeDomain
import AlphaPrimeExecution

/// What the market last showed of one instrument: the quote APIs' numbers.
struct SimQuote: Sendable, Equatable {
    /// The last price (the last bar's close; the instrument list's price before any bar), paise.
    var lastPrice: Int64
    /// The last bar's close, 0 before the first bar.
    var lastBarClose: Int64 = 0
    /// The last bar's start, UTC epoch seconds.
    var lastTime: Int64?
    /// The IST date of the day the open, high, low and volume are of.
    var day: LocalDate?
    var open: Int64 = 0
    var high: Int64 = 0
    var low: Int64 = 0
    var volume: Int64 = 0
    /// The previous day's last close (Kite's `ohlc.close`), 0 when no earlier day was seen.
    var previousClose: Int64 = 0

    mutating func record(_ bar: Bar) {
        let date = IST.dateTime(epochSeconds: bar.time).date
        if date != day {
            if day != nil { previousClose = lastBarClose }
            day = date
            open = bar.open; high = bar.high; low = bar.low; volume = 0
        } else {
            high = max(high, bar.high); low = min(low, bar.low)
        }
        volume += bar.volume
        lastPrice = bar.close
        lastBarClose = bar.close
        lastTime = bar.time
    }

    var ohlc: JSON {
        .object([("open", .rupees(open)), ("high", .rupees(high)), ("low", .rupees(low)), ("close", .rupees(previousClose))])
    }

    func ltpJSON(_ instrument: SimInstrument) -> JSON {
        .object([("instrument_token", .int(instrument.token)), ("last_price", .rupees(lastPrice))])
    }

    func ohlcJSON(_ instrument: SimInstrument) -> JSON {
        .object([("instrument_token", .int(instrument.token)), ("last_price", .rupees(lastPrice)), ("ohlc", ohlc)])
    }

    /// The full quote. There is no order book: the depth is five empty levels a side. The circuit
    /// limits are ±10 % of the previous close (of the day's open before a previous day is seen),
    /// on the tick.
    func quoteJSON(_ instrument: SimInstrument, now: Int64) -> JSON {
        let reference = previousClose > 0 ? previousClose : open > 0 ? open : lastPrice
        let band = reference / 10 / instrument.tickSize * instrument.tickSize
        let empty = JSON.array(Array(repeating: .object([("price", .int(0)), ("quantity", .int(0)), ("orders", .int(0))]), count: 5))
        let change = previousClose > 0 ? Double(lastPrice - previousClose) / Double(previousClose) * 100 : 0
        return .object([
            ("instrument_token", .int(instrument.token)),
            ("timestamp", .string(IST.kiteText(epochSeconds: now))),
            ("last_trade_time", .string(lastTime.map { IST.kiteText(epochSeconds: $0) })),
            ("last_price", .rupees(lastPrice)),
            ("last_quantity", .int(0)),
            ("buy_quantity", .int(0)),
            ("sell_quantity", .int(0)),
            ("volume", .int(volume)),
            ("average_price", .rupees(lastPrice)),
            ("oi", .int(0)), ("oi_day_high", .int(0)), ("oi_day_low", .int(0)),
            ("net_change", .number(change)),
            ("lower_circuit_limit", .rupees(max(0, reference - band))),
            ("upper_circuit_limit", .rupees(reference + band)),
            ("ohlc", ohlc),
            ("depth", .object([("buy", empty), ("sell", empty)])),
        ])
    }
}

/// The account's funds in paise.
struct SimMargins: Sendable, Equatable {
    var cash: Int64
    /// The margin the open positions block (``SimExchange/margin(value:product:)`` of their cost).
    var debits: Int64
    var realised: Int64
    var unrealised: Int64
    /// What is left to trade with: cash − debits + realised + unrealised.
    var net: Int64 { cash - debits + realised + unrealised }

    var json: JSON {
        .object([
            ("enabled", .bool(true)),
            ("net", .rupees(net)),
            ("available", .object([
                ("adhoc_margin", .int(0)), ("cash", .rupees(cash)), ("opening_balance", .rupees(cash)),
                ("live_balance", .rupees(net)), ("collateral", .int(0)), ("intraday_payin", .int(0)),
            ])),
            ("utilised", .object([
                ("debits", .rupees(debits)), ("exposure", .int(0)), ("m2m_realised", .rupees(realised)),
                ("m2m_unrealised", .rupees(unrealised)), ("option_premium", .int(0)), ("payout", .int(0)),
                ("span", .int(0)), ("holding_sales", .int(0)), ("turnover", .int(0)), ("liquid_collateral", .int(0)),
                ("stock_collateral", .int(0)), ("delivery", .int(0)),
            ])),
        ])
    }

    /// A segment kite-sim does not trade (commodity): enabled, with nothing in it.
    static let emptySegment = SimMargins(cash: 0, debits: 0, realised: 0, unrealised: 0)
}

extension SimExchange {
    /// P&L of one book at the last price: `pnl` = sold value − bought value + net quantity × last
    /// price (Kite's formula); `realised` is the ledger's (first in, first out), `unrealised` the rest.
    func pnl(book: Int) -> (pnl: Int64, realised: Int64, unrealised: Int64) {
        let flow = flows[book]
        let quantity = flow.buyQuantity - flow.sellQuantity
        let last = quotes[ledger.books[book].symbol].lastPrice
        let pnl = flow.sellValue - flow.buyValue + quantity * last
        let realised = ledger.books[book].realizedPnL
        return (pnl, realised, pnl - realised)
    }

    func margins() -> SimMargins {
        var margins = SimMargins(cash: cash, debits: 0, realised: 0, unrealised: 0)
        for book in tradedBooks {
            let p = pnl(book: book)
            margins.debits += Self.margin(value: ledger.books[book].openValue, product: Self.products[book % Self.products.count])
            margins.realised += p.realised
            margins.unrealised += p.unrealised
        }
        return margins
    }

    /// `GET /portfolio/positions`: every instrument and product traded, `net` and `day` alike
    /// (kite-sim carries nothing overnight).
    func positionsJSON() -> JSON {
        let rows: [JSON] = tradedBooks.map { book in
            let instrument = instruments.instruments[ledger.books[book].symbol]
            let flow = flows[book]
            let quantity = flow.buyQuantity - flow.sellQuantity
            let p = pnl(book: book)
            func average(_ value: Int64, _ quantity: Int64) -> JSON {
                quantity == 0 ? .int(0) : value % quantity == 0 ? .rupees(value / quantity) : .number(Double(value) / Double(quantity) / 100)
            }
            return .object([
                ("tradingsymbol", .string(instrument.tradingsymbol)),
                ("exchange", .string(instrument.exchange)),
                ("instrument_token", .int(instrument.token)),
                ("product", .string(Self.products[book % Self.products.count].rawValue)),
                ("quantity", .int(quantity)),
                ("overnight_quantity", .int(0)),
                ("multiplier", .int(1)),
                ("average_price", average(ledger.books[book].openValue, abs(quantity))),
                ("close_price", .rupees(quotes[ledger.books[book].symbol].previousClose)),
                ("last_price", .rupees(quotes[ledger.books[book].symbol].lastPrice)),
                ("value", .rupees(flow.sellValue - flow.buyValue)),
                ("pnl", .rupees(p.pnl)),
                ("m2m", .rupees(p.pnl)),
                ("unrealised", .rupees(p.unrealised)),
                ("realised", .rupees(p.realised)),
                ("buy_quantity", .int(flow.buyQuantity)),
                ("buy_price", average(flow.buyValue, flow.buyQuantity)),
                ("buy_value", .rupees(flow.buyValue)),
                ("buy_m2m", .rupees(flow.buyValue)),
                ("sell_quantity", .int(flow.sellQuantity)),
                ("sell_price", average(flow.sellValue, flow.sellQuantity)),
                ("sell_value", .rupees(flow.sellValue)),
                ("sell_m2m", .rupees(flow.sellValue)),
                ("day_buy_quantity", .int(flow.buyQuantity)),
                ("day_buy_price", average(flow.buyValue, flow.buyQuantity)),
                ("day_buy_value", .rupees(flow.buyValue)),
                ("day_sell_quantity", .int(flow.sellQuantity)),
                ("day_sell_price", average(flow.sellValue, flow.sellQuantity)),
                ("day_sell_value", .rupees(flow.sellValue)),
            ])
        }
        return .object([("net", .array(rows)), ("day", .array(rows))])
    }
}
