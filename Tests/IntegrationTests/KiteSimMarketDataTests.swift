import AlphaPrimeDomain
import AlphaPrimeKite
import Foundation
import Testing

/// kite-sim's instruments, candles and quotes.
@Suite struct KiteSimMarketDataTests {
    @Test func theInstrumentListParsesWithTheKiteAdaptersParser() async throws {
        let sim = try KiteSimProcess()
        let answer = try await sim.call("GET", "/instruments", headers: [:])
        #expect(answer.status == 200 && answer.headers["content-type"] == "text/csv")
        let all = try KiteInstrument.parseCSV(answer.text, file: "instruments")
        let mock = try String(contentsOf: TestHome.repositoryRoot.appending(path: "Tests/AlphaPrimeTests/Fixtures/kiteconnect-mocks/instruments_all.csv"), encoding: .utf8)
        #expect(all.count == (try KiteInstrument.parseCSV(mock, file: "mock")).count + 5)
        // The mock's rows (CRLF there), unchanged, then the five of kite-sim's own.
        let lines = answer.text.split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(100)) == mock.split(whereSeparator: \.isNewline).map(String.init))
        let nifty = try #require(all.first { $0.instrumentToken == 256265 })
        #expect(nifty.tradingsymbol == "NIFTY 50" && nifty.segment == "INDICES" && nifty.exchange == "NSE")
        #expect(all.contains { $0.instrumentToken == 260105 && $0.tradingsymbol == "NIFTY BANK" && $0.segment == "INDICES" })
        #expect(all.contains { $0.instrumentToken == 264969 && $0.tradingsymbol == "INDIA VIX" && $0.segment == "INDICES" })
        for symbol in ["NIFTY", "BANKNIFTY"] {
            let row = try #require(all.first { $0.tradingsymbol == symbol && $0.exchange == "NSE" })
            #expect(row.tickSize.paise == Paise(5) && row.segment == "NSE")
        }
        let nse = try KiteInstrument.parseCSV(try await sim.call("GET", "/instruments/NSE", headers: [:]).text, file: "NSE")
        #expect(!nse.isEmpty && nse.allSatisfy { $0.exchange == "NSE" })
        #expect(nse.count == all.filter { $0.exchange == "NSE" }.count)
    }

    @Test func anInstrumentFileReplacesTheList() async throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "kite-sim-instruments-\(UUID().uuidString).csv")
        try "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange\n738561,2885,RELIANCE,\"RELIANCE, IND\",2000.5,,0.0,0.05,1,EQ,NSE,NSE\n"
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let sim = try KiteSimProcess(["--instruments", file.path])
        let list = try KiteInstrument.parseCSV(try await sim.call("GET", "/instruments", headers: [:]).text, file: "list")
        #expect(list.map(\.tradingsymbol) == ["RELIANCE"] && list[0].name == "RELIANCE, IND")
        let ltp = try await sim.call("GET", "/quote/ltp", [("i", "NSE:RELIANCE")]).decode([String: KiteLTPQuote].self)
        #expect(ltp["NSE:RELIANCE"]?.lastPrice.paise == Paise(200_050))
    }

    @Test func minuteCandlesAreTheBundledBars() async throws {
        let bars = try BundledBars.day("NIFTY50", "2021-02-22")
        let sim = try KiteSimProcess()
        let answer = try await sim.call("GET", "/instruments/historical/256265/minute",
                                        [("from", "2021-02-22 09:15:00"), ("to", "2021-02-22 15:29:00")])
        let candles = try answer.decode(KiteCandles.self).candles
        #expect(candles.count == bars.count && bars.count == 375)
        for (candle, bar) in zip(candles, bars) {
            #expect(candle.timestamp.utc == UTCTimestamp(secondsSinceEpoch: bar.time))
            #expect([candle.open, candle.high, candle.low, candle.close].map(\.paise) == [bar.open, bar.high, bar.low, bar.close].map(Paise.init))
            #expect(candle.volume == bar.volume && candle.openInterest == nil)
        }
        #expect(candles.first?.timestamp.text == "2021-02-22T09:15:00+0530")
        // The traded symbol's candles are the same bars; `oi=1` adds a seventh element.
        let same = try await sim.call("GET", "/instruments/historical/253440257/minute",
                                      [("from", "2021-02-22 09:15:00"), ("to", "2021-02-22 09:20:00"), ("oi", "1")]).decode(KiteCandles.self)
        #expect(same.candles.map(\.close) == candles.prefix(6).map(\.close) && same.candles.allSatisfy { $0.openInterest == 0 })
    }

    @Test func candlesAggregateOnTheSessionGrid() async throws {
        let bars = try BundledBars.day("BANKNIFTY", "2021-02-23")
        let sim = try KiteSimProcess()
        for (interval, minutes) in [("5minute", 5), ("15minute", 15), ("60minute", 60)] {
            let candles = try await sim.call("GET", "/instruments/historical/260105/\(interval)",
                                             [("from", "2021-02-23 00:00:00"), ("to", "2021-02-23 23:59:59")]).decode(KiteCandles.self).candles
            let grouped = Dictionary(grouping: bars) { (IST.dateTime(epochSeconds: $0.time).minuteOfDay - 555) / minutes }
            #expect(candles.count == grouped.count, "\(interval)")
            for candle in candles {
                let start = IST.dateTime(epochSeconds: candle.timestamp.utc.microseconds / 1_000_000).minuteOfDay
                #expect((start - 555) % minutes == 0)
                let group = try #require(grouped[(start - 555) / minutes])
                #expect(candle.open.paise.value == group.first!.open && candle.close.paise.value == group.last!.close)
                #expect(candle.high.paise.value == group.map(\.high).max()! && candle.low.paise.value == group.map(\.low).min()!)
            }
        }
        let days = try await sim.call("GET", "/instruments/historical/260105/day",
                                      [("from", "2021-02-15"), ("to", "2021-02-26")]).decode(KiteCandles.self).candles
        #expect(days.count == 10)
        let day = try #require(days.first { $0.timestamp.text == "2021-02-23T00:00:00+0530" })
        #expect(day.open.paise.value == bars.first!.open && day.close.paise.value == bars.last!.close)
        #expect(day.high.paise.value == bars.map(\.high).max()! && day.low.paise.value == bars.map(\.low).min()!)
    }

    @Test func aRangeBeyondKitesLimitIsRefused() async throws {
        let sim = try KiteSimProcess()
        for (interval, days) in [("minute", 60), ("3minute", 100), ("15minute", 200), ("60minute", 400), ("day", 2000)] {
            let from = LocalDate("2021-02-15")!
            let inside = try await sim.call("GET", "/instruments/historical/256265/\(interval)",
                                            [("from", "\(from) 09:15:00"), ("to", "\(from.adding(days: days)) 09:15:00")])
            #expect(inside.status == 200, "\(interval) \(inside.text)")
            let beyond = try await sim.call("GET", "/instruments/historical/256265/\(interval)",
                                            [("from", "\(from) 09:15:00"), ("to", "\(from.adding(days: days)) 09:16:00")]).kiteError()
            #expect(beyond.kind == .input && beyond.httpStatus == 400 && beyond.message == "interval exceeds max limit: \(days) days")
        }
        #expect(try await sim.call("GET", "/instruments/historical/256265/2minute", [("from", "2021-02-15"), ("to", "2021-02-16")]).kiteError().kind == .input)
        #expect(try await sim.call("GET", "/instruments/historical/1/minute", [("from", "2021-02-15"), ("to", "2021-02-16")]).kiteError().kind == .input)
        #expect(try await sim.call("GET", "/instruments/historical/256265/minute", [("from", "15-02-2021"), ("to", "2021-02-16")]).kiteError().kind == .input)
    }

    @Test func quotesFollowThePostedBars() async throws {
        let monday = try BundledBars.day("NIFTY50", "2021-02-15"), tuesday = try BundledBars.day("NIFTY50", "2021-02-16")
        let sim = try KiteSimProcess()
        let before = try await sim.call("GET", "/quote/ltp", [("i", "NSE:NIFTY")]).decode([String: KiteLTPQuote].self)
        #expect(before["NSE:NIFTY"]?.lastPrice.paise == Paise(0))
        try await sim.post(monday.last!)
        for bar in tuesday.prefix(3) { try await sim.post(bar) }
        let keys = [("i", "NSE:NIFTY"), ("i", "NSE:NOSUCH")]
        let ltp = try await sim.call("GET", "/quote/ltp", keys).decode([String: KiteLTPQuote].self)
        #expect(ltp.keys.sorted() == ["NSE:NIFTY"] && ltp["NSE:NIFTY"]?.lastPrice.paise == Paise(tuesday[2].close))
        let ohlc = try #require(try await sim.call("GET", "/quote/ohlc", keys).decode([String: KiteOHLCQuote].self)["NSE:NIFTY"])
        #expect(ohlc.ohlc.open.paise == Paise(tuesday[0].open) && ohlc.ohlc.close.paise == Paise(monday.last!.close))
        #expect(ohlc.ohlc.high.paise.value == tuesday.prefix(3).map(\.high).max()!)
        let quote = try #require(try await sim.call("GET", "/quote", keys).decode([String: KiteQuote].self)["NSE:NIFTY"])
        #expect(quote.instrumentToken == 253440257 && quote.lastTradeTime?.utc == UTCTimestamp(secondsSinceEpoch: tuesday[2].time))
        #expect(quote.depth.buy.count == 5 && quote.lowerCircuitLimit.paise < quote.lastPrice.paise)
        #expect(try await sim.call("GET", "/quote/ltp").kiteError().kind == .input)
    }

    @Test func aReplayedDayMovesTheMarketAndFillsOrders() async throws {
        let bars = try BundledBars.day("NIFTY50", "2021-02-15")
        let sim = try KiteSimProcess(["--market", "replay", "--date", "2021-02-15", "--speed", "600"])
        _ = try await sim.place("BUY", "MARKET", quantity: 1)
        var trades: [KiteTrade] = []
        for _ in 0..<200 where trades.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            trades = try await sim.trades()
        }
        let trade = try #require(trades.first)
        let bar = try #require(bars.first { UTCTimestamp(secondsSinceEpoch: $0.time) == trade.fillTimestamp?.utc })
        #expect(trade.averagePrice.paise == Paise(bar.open))
        let ltp = try await sim.call("GET", "/quote/ltp", [("i", "NSE:NIFTY 50")]).decode([String: KiteLTPQuote].self)
        #expect(bars.contains { Paise($0.close) == ltp["NSE:NIFTY 50"]?.lastPrice.paise })
        let posted = try await sim.call("POST", "/sim/market/bar", [("exchange", "NSE"), ("tradingsymbol", "NIFTY"), ("time", "1")], headers: [:]).kiteError()
        #expect(posted.kind == .input)
        #expect(sim.stop(SIGINT).status == 0)
    }
}
