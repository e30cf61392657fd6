import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeKite
import Foundation
import Testing

/// kite-sim's external market: orders fill exactly as the platform's simulated exchange fills the
/// same orders against the same bars, and every answer decodes with the Kite adapter's models.
@Suite struct KiteSimOrderTests {
    /// The paper broker's matching, fed what the server is fed.
    struct Reference {
        var broker: SimulatedBroker
        var nextID: Int64 = 1
        var fills: [Fill] = []

        init(slippageTicks: Int64) {
            broker = SimulatedBroker(fillModel: FillModel(slippage: slippageTicks == 0 ? .none : .ticks(slippageTicks)),
                                     charges: NoCharges(), tickSizes: [5])
        }

        /// Submits an order as kite-sim does (no OCO, MIS) and returns its id.
        mutating func submit(_ side: Side, _ type: OrderType, quantity: Int64, price: Int64 = 0, trigger: Int64 = 0, time: Int64) -> Int64 {
            defer { nextID += 1 }
            broker.submit(OrderRequest(id: nextID, strategy: 0, symbol: 0, side: side, quantity: quantity, type: type,
                                       limitPrice: price, triggerPrice: trigger, product: .mis, ocoGroup: 0, time: time))
            return nextID
        }

        mutating func bar(_ bar: Bar) { broker.processBar(bar, symbol: 0, fills: &fills) }
        mutating func rest(_ bar: Bar) { broker.processRestOfBar(bar, symbol: 0, fills: &fills) }
    }

    static func ist(_ time: Int64) -> String {
        let t = IST.dateTime(epochSeconds: time)
        let s = t.secondOfDay
        return String(format: "%@ %02d:%02d:%02d", t.date.description, s / 3600, s / 60 % 60, s % 60)
    }

    @Test func everyOrderTypeFillsAsTheSimulatedExchangeFillsIt() async throws {
        let bars = Array(try BundledBars.day("NIFTY50", "2021-02-15").prefix(31))
        let sim = try KiteSimProcess(["--slippage-ticks", "1"])
        var reference = Reference(slippageTicks: 1)
        try await sim.post(bars[0])
        reference.bar(bars[0])

        let future = bars[1...30]
        let low = future.map(\.low).min()!, high = future.map(\.high).max()!
        let t0 = bars[0].time
        // (side, type, price, trigger): a market buy, a limit buy the market comes down to, a
        // stop-market sell it falls through, a stop-limit buy it rises through, a limit sell it never reaches.
        let plan: [(Side, OrderType, Int64, Int64)] = [
            (.buy, .market, 0, 0), (.buy, .limit, low + 5, 0), (.sell, .stopLossMarket, 0, low + 10),
            (.buy, .stopLoss, high - 5 + 100, high - 5), (.sell, .limit, high + 10_000, 0),
        ]
        var ids: [String] = []
        for (side, type, price, trigger) in plan {
            ids.append(try await sim.place(side.rawValue, type.rawValue, quantity: 65, price: price == 0 ? nil : price,
                                           trigger: trigger == 0 ? nil : trigger, tag: "plan\(ids.count)"))
            _ = reference.submit(side, type, quantity: 65, price: price, trigger: trigger, time: t0)
        }
        let placed = try await sim.orders()
        #expect(placed.map(\.status) == ["OPEN", "OPEN", "TRIGGER PENDING", "TRIGGER PENDING", "OPEN"])
        #expect(placed.allSatisfy { $0.orderTimestamp?.text == Self.ist(t0) && $0.pendingQuantity == 65 })

        var fills = 0
        for bar in future {
            fills += try await sim.post(bar)
            reference.bar(bar)
        }
        #expect(fills == reference.fills.count)
        #expect(reference.fills.count == 4, "the plan fills the first four orders")

        let trades = try await sim.trades()
        #expect(trades.count == reference.fills.count)
        for (trade, fill) in zip(trades, reference.fills) {
            #expect(trade.orderID == ids[Int(fill.orderID) - 1])
            #expect(trade.averagePrice.paise == Paise(fill.price))
            #expect(trade.quantity == fill.quantity)
            #expect(trade.transactionType == fill.side.rawValue)
            #expect(trade.fillTimestamp?.utc == UTCTimestamp(secondsSinceEpoch: fill.time))
            #expect(trade.exchange == "NSE" && trade.tradingsymbol == "NIFTY" && trade.product == "MIS")
        }

        let orders = try await sim.orders()
        for fill in reference.fills {
            let order = try #require(orders.first { $0.orderID == ids[Int(fill.orderID) - 1] })
            #expect(order.status == "COMPLETE")
            #expect(order.averagePrice.paise == Paise(fill.price))
            #expect(order.filledQuantity == 65 && order.pendingQuantity == 0)
            #expect(order.exchangeUpdateTimestamp?.utc == UTCTimestamp(secondsSinceEpoch: fill.time))
        }
        #expect(orders[4].status == "OPEN" && orders[4].tag == "plan4")

        let history = try await sim.call("GET", "/orders/\(ids[0])").decode([KiteOrder].self)
        #expect(history.map(\.status) == ["PUT ORDER REQ RECEIVED", "VALIDATION PENDING", "OPEN PENDING", "OPEN", "COMPLETE"])
        let orderTrades = try await sim.call("GET", "/orders/\(ids[1])/trades").decode([KiteTrade].self)
        #expect(orderTrades.map(\.orderID) == [ids[1]])
    }

    @Test func theRestOfABarAndTheLastPriceFillAsThePaperBrokerDoes() async throws {
        let bars = try BundledBars.day("NIFTY50", "2021-02-16")
        let sim = try KiteSimProcess(["--slippage-ticks", "2"])
        var reference = Reference(slippageTicks: 2)
        try await sim.post(bars[0])
        reference.bar(bars[0])

        // A market buy fills at the next bar's open; the stop placed on that fill, already
        // crossed, fills within the rest of the bar at the fill's price (less slippage).
        _ = try await sim.place("BUY", "MARKET", quantity: 10)
        _ = reference.submit(.buy, .market, quantity: 10, time: bars[0].time)
        #expect(try await sim.post(bars[1]) == 1)
        reference.bar(bars[1])
        let entry = reference.fills[0].price
        _ = try await sim.place("SELL", "SL-M", quantity: 10, trigger: entry + 500)
        _ = reference.submit(.sell, .stopLossMarket, quantity: 10, trigger: entry + 500, time: bars[1].time)
        #expect(try await sim.post(bars[1], phase: "rest") == 1)
        reference.rest(bars[1])

        // A market order between bars fills at the last close, stamped with the time given.
        _ = try await sim.place("BUY", "MARKET", quantity: 5)
        let squareOff = bars[1].time + 59
        #expect(try await sim.post(Bar(time: squareOff, open: 0, high: 0, low: 0, close: 0), phase: "last") == 1)
        let close = bars[1].close
        reference.fills.append(Fill(orderID: 3, strategy: 0, symbol: 0, side: .buy, quantity: 5,
                                    price: FillModel(slippage: .ticks(2)).slipped(close, side: .buy, tickSize: 5), time: squareOff))

        let trades = try await sim.trades()
        #expect(trades.map(\.averagePrice.paise) == reference.fills.map { Paise($0.price) })
        #expect(trades.map { $0.fillTimestamp?.utc } == reference.fills.map { UTCTimestamp(secondsSinceEpoch: $0.time) })
        #expect(trades[1].averagePrice.paise == Paise(entry - 10), "the crossed stop fills at the entry less two ticks")
    }

    @Test func modifyAndCancelWhileWorkingOnly() async throws {
        let bars = try BundledBars.day("NIFTY50", "2021-02-17")
        let sim = try KiteSimProcess()
        try await sim.post(bars[0])
        let far = bars[0].close - 50_000
        let limit = try await sim.place("BUY", "LIMIT", quantity: 1, price: far)
        let stop = try await sim.place("SELL", "SL-M", quantity: 1, trigger: far)
        let idle = try await sim.place("BUY", "LIMIT", quantity: 1, price: far)

        // The limit moved above the market fills at the next open; the stop moved up to the next
        // bar's low fills at its trigger; the cancelled order never fills.
        let newStop = bars[1].low
        #expect(try await sim.call("PUT", "/orders/regular/\(limit)", [("price", Paise(bars[0].close + 10_000).description)])
            .decode(KiteOrderReference.self).orderID == limit)
        _ = try await sim.call("PUT", "/orders/regular/\(stop)", [("trigger_price", Paise(newStop).description)]).decode(KiteOrderReference.self)
        #expect(try await sim.call("DELETE", "/orders/regular/\(idle)").decode(KiteOrderReference.self).orderID == idle)
        #expect(try await sim.post(bars[1]) == 2)

        let orders = try await sim.orders()
        #expect(orders.map(\.status) == ["COMPLETE", "COMPLETE", "CANCELLED"])
        #expect(orders[0].averagePrice.paise == Paise(bars[1].open) && orders[0].modified == true)
        #expect(orders[1].averagePrice.paise == Paise(newStop) && orders[1].triggerPrice.paise == Paise(newStop))
        #expect(orders[2].cancelledQuantity == 1 && orders[2].pendingQuantity == 0)
        let history = try await sim.call("GET", "/orders/\(limit)").decode([KiteOrder].self)
        #expect(history.map(\.status).suffix(4) == ["MODIFY VALIDATION PENDING", "MODIFY PENDING", "OPEN", "COMPLETE"])

        let modifyDone = try await sim.call("PUT", "/orders/regular/\(limit)", [("price", "1")]).kiteError()
        #expect(modifyDone.kind == .order && modifyDone.httpStatus == 400)
        let cancelDone = try await sim.call("DELETE", "/orders/regular/\(idle)").kiteError()
        #expect(cancelDone.kind == .order && cancelDone.message.contains("CANCELLED"))
        let unknown = try await sim.call("DELETE", "/orders/regular/999").kiteError()
        #expect(unknown.kind == .order)
        let working = try await sim.place("SELL", "SL-M", quantity: 1, trigger: far)
        let badTick = try await sim.call("PUT", "/orders/regular/\(working)", [("trigger_price", "100.01")]).kiteError()
        #expect(badTick.kind == .input && badTick.message.contains("Tick size"))
    }

    @Test func badPlacementsAreInputExceptionsAndNothingIsPlaced() async throws {
        let sim = try KiteSimProcess()
        let cases: [([(String, String)], String)] = [
            ([("exchange", "NSE"), ("tradingsymbol", "NOSUCH"), ("transaction_type", "BUY"), ("order_type", "MARKET"), ("quantity", "1"), ("product", "MIS")], "NOSUCH"),
            ([("exchange", "NSE"), ("tradingsymbol", "NIFTY"), ("transaction_type", "HOLD"), ("order_type", "MARKET"), ("quantity", "1"), ("product", "MIS")], "transaction_type"),
            ([("exchange", "NSE"), ("tradingsymbol", "NIFTY"), ("transaction_type", "BUY"), ("order_type", "LIMIT"), ("quantity", "1"), ("product", "MIS")], "price"),
            ([("exchange", "NSE"), ("tradingsymbol", "NIFTY"), ("transaction_type", "BUY"), ("order_type", "LIMIT"), ("price", "100.03"), ("quantity", "1"), ("product", "MIS")], "Tick size"),
            ([("exchange", "NSE"), ("tradingsymbol", "NIFTY"), ("transaction_type", "BUY"), ("order_type", "MARKET"), ("quantity", "0"), ("product", "MIS")], "quantity"),
            ([("exchange", "NSE"), ("tradingsymbol", "NIFTY"), ("transaction_type", "BUY"), ("order_type", "MARKET"), ("product", "MIS")], "quantity"),
            ([("exchange", "NSE"), ("tradingsymbol", "NIFTY"), ("transaction_type", "BUY"), ("order_type", "MARKET"), ("quantity", "1"), ("product", "MIS"), ("tag", "not-alphanumeric")], "tag"),
            ([("exchange", "NSE"), ("tradingsymbol", "NIFTY 50"), ("transaction_type", "BUY"), ("order_type", "MARKET"), ("quantity", "1"), ("product", "MIS")], "index"),
            ([("exchange", "NFO"), ("tradingsymbol", "BANKNIFTY18JAN23500CE"), ("transaction_type", "BUY"), ("order_type", "MARKET"), ("quantity", "10"), ("product", "NRML")], "lot size"),
        ]
        for (form, word) in cases {
            let error = try await sim.call("POST", "/orders/regular", form).kiteError()
            #expect(error.kind == .input && error.httpStatus == 400, "\(form)")
            #expect(error.message.contains(word), "\(error.message) should name \(word)")
            #expect(!error.isOutcomeUnknownOnPlacement)
        }
        let amo = try await sim.call("POST", "/orders/amo", [("exchange", "NSE")]).kiteError()
        #expect(amo.kind == .input && amo.message.contains("variety"))
        #expect(try await sim.orders().isEmpty)
    }

    @Test func positionsAndMarginsFollowTheFillsToThePaisa() async throws {
        let bars = try BundledBars.day("BANKNIFTY", "2021-02-18")
        let sim = try KiteSimProcess(["--cash", "2500000.50"])
        try await sim.post(bars[0], symbol: "BANKNIFTY")
        _ = try await sim.place("BUY", "MARKET", quantity: 30, symbol: "BANKNIFTY")
        try await sim.post(bars[1], symbol: "BANKNIFTY")
        _ = try await sim.place("SELL", "MARKET", quantity: 10, symbol: "BANKNIFTY")
        try await sim.post(bars[2], symbol: "BANKNIFTY")
        _ = try await sim.place("BUY", "MARKET", quantity: 7, symbol: "BANKNIFTY", product: "NRML")
        try await sim.post(bars[3], symbol: "BANKNIFTY")

        let buy = bars[1].open, sell = bars[2].open, nrml = bars[3].open, last = bars[3].close
        let positions = try await sim.positions()
        #expect(positions.net == positions.day)
        let mis = try #require(positions.net.first { $0.product == "MIS" })
        #expect(mis.quantity == 20 && mis.buyQuantity == 30 && mis.sellQuantity == 10)
        #expect(mis.buyValue.paise == Paise(30 * buy) && mis.sellValue.paise == Paise(10 * sell))
        #expect(mis.value.paise == Paise(10 * sell - 30 * buy))
        #expect(mis.lastPrice.paise == Paise(last))
        #expect(mis.pnl.paise == Paise(10 * sell - 30 * buy + 20 * last))
        #expect(mis.realised.paise == Paise(10 * (sell - buy)))
        #expect(mis.unrealised.paise == Paise(20 * (last - buy)))
        #expect(mis.averagePrice.paise == Paise(buy))
        let carried = try #require(positions.net.first { $0.product == "NRML" })
        #expect(carried.quantity == 7 && carried.pnl.paise == Paise(7 * (last - nrml)))

        let equity = try await sim.call("GET", "/user/margins/equity").decode(KiteSegmentMargins.self)
        let both = try await sim.call("GET", "/user/margins").decode(KiteMargins.self)
        #expect(both.equity == equity)
        #expect(equity.available.cash.paise == Paise(250_000_050))
        let pnl = mis.pnl.paise.value + carried.pnl.paise.value
        #expect(equity.utilised.m2mRealised.paise.value + equity.utilised.m2mUnrealised.paise.value == pnl)
        // MIS blocks a fifth of its cost, NRML all of it.
        #expect(equity.utilised.debits.paise == Paise((20 * buy + 4) / 5 + 7 * nrml))
        #expect(equity.net.paise == Paise(250_000_050 - equity.utilised.debits.paise.value + pnl))
    }

    @Test func anOrderTheAccountCannotCarryIsRejected() async throws {
        let bars = try BundledBars.day("NIFTY50", "2021-02-19")
        let sim = try KiteSimProcess(["--cash", "1000"])
        try await sim.post(bars[0])
        let id = try await sim.place("BUY", "MARKET", quantity: 65)
        let order = try #require(try await sim.orders().first)
        #expect(order.orderID == id && order.status == "REJECTED" && order.exchangeOrderID == nil)
        #expect(order.statusMessage?.contains("Insufficient funds") == true)
        #expect(try await sim.post(bars[1]) == 0)
    }
}
