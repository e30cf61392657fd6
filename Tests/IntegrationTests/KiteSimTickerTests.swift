import AlphaPrimeDomain
import AlphaPrimeSupport
import Foundation
import Testing

/// kite-sim's ticker WebSocket, through the real executable and a real WebSocket client: the
/// handshake, heartbeats, the day's bars as ticks in full mode read back by Kite's documented
/// layout, unsubscribing, order updates, and the drop and stall faults.
@Suite struct KiteSimTickerTests {
    static let nifty: Int64 = 253_440_257
    static let nifty50: Int64 = 256_265
    /// A day with a bundled day before it, so ticks carry a previous close.
    static let date = "2021-02-16"
    static var open: Int64 { IST.epochSeconds(date: LocalDate(date)!, secondOfDay: (9 * 60 + 15) * 60) }

    /// The prices of a bar's four ticks (docs/kite-sim.md): open, the extremes in the order of the
    /// shorter path, close.
    static func path(_ bar: Bar) -> [Int64] {
        let highFirst = bar.close != bar.open ? bar.close < bar.open : bar.high - bar.open <= bar.open - bar.low
        return highFirst ? [bar.open, bar.high, bar.low, bar.close] : [bar.open, bar.low, bar.high, bar.close]
    }

    /// Sends a message the ticker answers with an error, and waits for the answer: everything sent
    /// before it has been taken.
    static func sync(_ client: TickerClient) async -> Bool {
        let errors = client.received.filter { if case .text(let t) = $0 { t.contains(#""type":"error""#) } else { false } }.count
        client.send(#"{"a":"sync","v":[]}"#)
        return await client.wait(seconds: 30) { messages in
            messages.filter { if case .text(let t) = $0 { t.contains(#""type":"error""#) } else { false } }.count > errors
        }
    }

    @Test func streamsTheDaysBarsAsTicksInFullModeUntilUnsubscribed() async throws {
        try await withTaskExecutorPreference(TestThreads.network) {
            // From 09:00 at 2×: no tick for 7.5 minutes, whatever the load on the machine.
            let sim = try KiteSimProcess(["--ticker-date", Self.date, "--ticker-speed", "2", "--ticker-start", "09:00:00"])
            let clock = try await sim.clock()
            #expect(clock["date"] as? String == Self.date && clock["speed"] as? Double == 2 && clock["running"] as? Bool == true)
            #expect(clock["ticker_port"] as? Int == sim.tickerPort && clock["day_over"] as? Bool == false)
            let nine = IST.epochSeconds(date: LocalDate(Self.date)!, secondOfDay: 9 * 3600)
            let epoch = Int64(try #require(clock["epoch_seconds"] as? Int))
            #expect(epoch >= nine && epoch < Self.open, "the clock runs from 09:00")
            let text = try #require(clock["market_time"] as? String)
            #expect(text.hasPrefix("\(Self.date)T09:") && text.hasSuffix("+05:30") && IST.epochSeconds(iso8601: text) == epoch)

            let client = TickerClient(port: sim.tickerPort)
            try #require(await client.wait(seconds: 30) { $0.contains(.binary([0])) }, "a heartbeat each quiet second: \(String(describing: client.ended))")
            client.send(#"{"a":"subscribe","v":[253440257,256265]}"#)
            client.send(#"{"a":"mode","v":["full",[253440257,256265]]}"#)
            try #require(await Self.sync(client))
            // Restart the clock just before the open, faster: the first three minutes take 1.5 s.
            let restarted = try await sim.call("POST", "/sim/ticker", [("date", Self.date), ("speed", "120"), ("start", "09:14:58")], headers: [:])
            #expect(restarted.status == 200 && restarted.text.contains(#""speed":120"#))
            #expect(await client.wait(seconds: 30) { _ in client.tickMessages.filter { $0[0].time < Self.open + 180 }.count >= 12 })

            let bars = try BundledBars.day("NIFTY50", Self.date)
            let previousClose = try #require(try BundledBars.day("NIFTY50", "2021-02-15").last?.close)
            let messages = client.tickMessages.filter { $0[0].time < Self.open + 180 }
            #expect(messages.count == 12, "four ticks a bar, both instruments in one message")
            #expect(messages.allSatisfy { $0.count == 2 })
            var high = Int64.min, low = Int64.max
            for (i, packets) in messages.enumerated() where packets.count == 2 {
                let bar = bars[i / 4], time = bar.time + [0, 15, 30, 45][i % 4], price = Self.path(bar)[i % 4]
                high = max(high, price)
                low = min(low, price)
                #expect(packets.map(\.token) == [Self.nifty50, Self.nifty] && packets.map(\.length) == [32, 184], "by token; index and full packets")
                let index = packets[0], future = packets[1]
                #expect(index.lastPrice == price && index.indexTimestamp == time)
                #expect(index.indexOpen == bars[0].open && index.indexHigh == high && index.indexLow == low)
                #expect(index.indexClose == previousClose && index.indexChange == price - previousClose)
                #expect(future.lastPrice == price && future.exchangeTimestamp == time && future.lastTradeTime == time)
                #expect(future.open == bars[0].open && future.high == high && future.low == low && future.close == previousClose)
                // The bundled bars carry no volume: none traded, the average is the last price.
                #expect(future.volume == 0 && future.lastQuantity == 0 && future.averagePrice == price)
            }

            client.send(#"{"a":"unsubscribe","v":[253440257,256265]}"#)
            #expect(await Self.sync(client))
            let count = client.tickMessages.count, heartbeats = client.heartbeats
            // Two quiet seconds (four market minutes): heartbeats only.
            #expect(await client.wait(seconds: 30) { _ in client.heartbeats >= heartbeats + 2 })
            #expect(client.tickMessages.count == count, "no ticks after unsubscribing")
            #expect(try await sim.clock()["day_over"] as? Bool == false)
            let stats = try await sim.stats()
            #expect(stats["ticker_connections"] == 1 && stats["ticker_connections_ever"] == 1)
            #expect(stats["ticker_frames_sent"] == count && stats["ticker_ticks_sent"] == 2 * count)
            await client.close()
        }
    }

    @Test func orderUpdatesDropsAndStalls() async throws {
        try await withTaskExecutorPreference(TestThreads.network) {
            let sim = try KiteSimProcess(["--ticker-date", Self.date, "--ticker-start", "09:00:00"])
            let first = TickerClient(port: sim.tickerPort)
            // The first heartbeat comes within a second.
            try #require(await first.wait(seconds: 30) { $0.contains(.binary([0])) }, "\(String(describing: first.ended)) \(first.received)")

            // Every status change of the book, in order, to every connection, subscribed or not.
            let limit = try await sim.place("BUY", "LIMIT", quantity: 1, price: 1_500_000, tag: "tickerA")
            #expect(try await sim.call("PUT", "/orders/regular/\(limit)", [("price", "14990")]).status == 200)
            #expect(try await sim.call("DELETE", "/orders/regular/\(limit)").status == 200)
            let market = try await sim.place("BUY", "MARKET", quantity: 1, tag: "tickerB")
            try await sim.post(Bar(time: Self.open, open: 1_524_760, high: 1_529_290, low: 1_524_340, close: 1_528_335))
            #expect(await first.wait(seconds: 30) { _ in first.orderUpdates.count >= 5 })
            let updates = first.orderUpdates
            #expect(updates.map { $0["status"] as? String } == ["OPEN", "UPDATE", "CANCELLED", "OPEN", "COMPLETE"])
            #expect(updates.map { $0["order_id"] as? String } == [limit, limit, limit, market, market])
            #expect(updates[0]["tag"] as? String == "tickerA" && updates[0]["tradingsymbol"] as? String == "NIFTY")
            #expect(updates[0]["instrument_token"] as? Int == 253_440_257 && updates[0]["transaction_type"] as? String == "BUY")
            #expect(updates[0]["quantity"] as? Int == 1 && updates[0]["pending_quantity"] as? Int == 1 && updates[0]["filled_quantity"] as? Int == 0)
            #expect(updates[1]["price"] as? Double == 14990 && updates[2]["cancelled_quantity"] as? Int == 1)
            #expect(updates[4]["filled_quantity"] as? Int == 1 && updates[4]["pending_quantity"] as? Int == 0)
            #expect(updates[4]["unfilled_quantity"] as? Int == 0 && updates[4]["average_price"] as? Double == 15247.6)
            #expect(updates.allSatisfy { $0["user_id"] as? String == "KS0001" && $0["exchange_timestamp"] != nil && $0["app_id"] != nil })
            let placedAt = try #require(updates[4]["order_timestamp"] as? String)
            #expect(updates[4]["checksum"] as? String == SHA256.hex(of: market + placedAt + KiteSimProcess.apiSecret))

            // A drop closes the connection; a new one resumes at the clock's time.
            first.send(#"{"a":"mode","v":["full",[253440257]]}"#)
            try #require(await Self.sync(first))
            #expect(try await sim.call("POST", "/sim/ticker", [("date", Self.date), ("speed", "60"), ("start", "09:14:55")], headers: [:]).status == 200)
            #expect(await first.wait(seconds: 30) { _ in first.tickMessages.count >= 2 })
            let dropped = try await sim.call("POST", "/sim/faults", [("ticker_drop", "1")], headers: [:])
            #expect(dropped.status == 200 && dropped.text.contains(#""ticker_dropped":1"#))
            let end = await first.waitForEnd(seconds: 30)
            #expect(end != nil && end?.failure == nil && end?.closeCode?.contains("goingAway") == true, "\(String(describing: end))")
            let lastBefore = try #require(first.tickMessages.last?[0].time)
            let resumedAt = Int64(try #require(try await sim.clock()["epoch_seconds"] as? Int))
            let second = TickerClient(port: sim.tickerPort)
            second.send(#"{"a":"mode","v":["full",[253440257]]}"#)
            #expect(await second.wait(seconds: 30) { _ in !second.tickMessages.isEmpty })
            let firstAfter = try #require(second.tickMessages.first?[0].time)
            #expect(firstAfter >= resumedAt - 1 && firstAfter > lastBefore, "resumed at the clock: \(firstAfter) after \(resumedAt)")

            // A stall: no ticks for 60 market seconds, never sent later.
            let stalled = try await sim.call("POST", "/sim/faults", [("ticker_stall_seconds", "60")], headers: [:])
            #expect(stalled.status == 200)
            let untilText = try #require(try await sim.clock()["stalled_until"] as? String)
            let until = try #require(IST.epochSeconds(iso8601: untilText))
            #expect(await second.wait(seconds: 30) { _ in second.tickMessages.contains { $0[0].time >= until } })
            let times = second.tickMessages.map { $0[0].time }
            #expect(!times.contains { $0 > until - 60 && $0 < until }, "\(times) around \(until)")
            #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })

            let stats = try await sim.stats()
            #expect(stats["ticker_drops"] == 1 && stats["ticker_connections"] == 1 && stats["ticker_connections_ever"] == 2)
            #expect((stats["ticker_ticks_skipped"] ?? 0) >= 4 && (stats["ticker_order_updates_sent"] ?? 0) == 5)
            await second.close()
        }
    }

    @Test func anUnknownSessionIsRefused403AndNoDateMeansNoClock() async throws {
        try await withTaskExecutorPreference(TestThreads.network) {
            let sim = try KiteSimProcess()
            let refused = try await sim.tickerHandshake(query: "api_key=\(KiteSimProcess.apiKey)&access_token=nope")
            #expect(refused.status == 403 && refused.body.contains("TokenException"))
            #expect(try await sim.tickerHandshake(query: "access_token=\(KiteSimProcess.accessToken)").status == 403)
            #expect(try await sim.tickerHandshake(query: "api_key=other&access_token=\(KiteSimProcess.accessToken)").status == 403)
            let stranger = TickerClient(port: sim.tickerPort, accessToken: "nope")
            let end = await stranger.waitForEnd(seconds: 30)
            #expect(end?.failure != nil && stranger.received.isEmpty)

            let client = TickerClient(port: sim.tickerPort)
            #expect(await client.wait(seconds: 30) { $0.contains(.binary([0])) }, "\(String(describing: client.ended))")
            let clock = try await sim.clock()
            #expect(clock["running"] as? Bool == false && clock["date"] is NSNull && clock["ticker_port"] as? Int == sim.tickerPort)
            let refusedStart = try await sim.call("POST", "/sim/ticker", [("date", "2021-02-13")], headers: [:])
            #expect(refusedStart.status == 400 && refusedStart.text.contains("2021-02-13"))
            #expect(try await sim.call("POST", "/sim/ticker", [("date", Self.date), ("speed", "0.5")], headers: [:]).status == 400)
            await client.close()
        }
    }
}
