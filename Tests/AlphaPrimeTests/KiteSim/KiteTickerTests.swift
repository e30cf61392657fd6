import AlphaPrimeDomain
@testable import AlphaPrimeKiteSim
import Foundation
import Testing

/// kite-sim's ticker without a server: the packet layouts byte by byte, the bars as ticks, the
/// clients' messages, and the clock driven by hand.
@Suite struct KiteTickerTests {
    /// A big-endian 32-bit field of a packet.
    static func u32(_ bytes: [UInt8], _ offset: Int) -> Int64 {
        Int64(bytes[offset]) << 24 | Int64(bytes[offset + 1]) << 16 | Int64(bytes[offset + 2]) << 8 | Int64(bytes[offset + 3])
    }

    static func i32(_ bytes: [UInt8], _ offset: Int) -> Int64 { Int64(Int32(truncatingIfNeeded: u32(bytes, offset))) }

    static func u16(_ bytes: [UInt8], _ offset: Int) -> Int { Int(bytes[offset]) << 8 | Int(bytes[offset + 1]) }

    static let time: Int64 = 1_613_360_700  // 2021-02-15 09:15:00 IST

    static var equity: TickerTick {
        var tick = TickerTick(token: 408_065, isIndex: false, time: time, lastPrice: 150_025, lastQuantity: 75, averagePrice: 149_990,
                              volume: 123_456, buyQuantity: 1_000, sellQuantity: 2_000, open: 149_500, high: 150_500,
                              low: 149_000, close: 148_800)
        tick.openInterest = 11
        tick.openInterestDayHigh = 12
        tick.openInterestDayLow = 10
        tick.buyDepth = (0..<5).map { TickerDepthLevel(quantity: Int64(100 + $0), price: 150_000 - Int64($0) * 5, orders: Int64(1 + $0)) }
        tick.sellDepth = (0..<5).map { TickerDepthLevel(quantity: Int64(200 + $0), price: 150_050 + Int64($0) * 5, orders: Int64(300 + $0)) }
        return tick
    }

    static var index: TickerTick {
        TickerTick(token: 256_265, isIndex: true, time: time, lastPrice: 1_528_335, open: 1_524_760, high: 1_529_290, low: 1_524_340,
                   close: 1_530_000)
    }

    @Test func anLTPPacketIsTheTokenAndThePrice() {
        #expect(TickerPackets.packet(Self.equity, mode: .ltp) == [0x00, 0x06, 0x3A, 0x01, 0x00, 0x02, 0x4A, 0x09])
        let index = TickerPackets.packet(Self.index, mode: .ltp)
        #expect(index.count == 8 && Self.u32(index, 0) == 256_265 && Self.u32(index, 4) == 1_528_335)
        #expect(256_265 & 0xFF == 9 && 253_440_257 & 0xFF == 1, "the low byte of a token is its segment")
    }

    @Test func aQuotePacketIs44Bytes() {
        let p = TickerPackets.packet(Self.equity, mode: .quote)
        #expect(p.count == 44)
        let fields = stride(from: 0, to: 44, by: 4).map { Self.u32(p, $0) }
        #expect(fields == [408_065, 150_025, 75, 149_990, 123_456, 1_000, 2_000, 149_500, 150_500, 149_000, 148_800])
    }

    @Test func aFullPacketIs184BytesWithTimesAndDepthBidsFirst() {
        let p = TickerPackets.packet(Self.equity, mode: .full)
        #expect(p.count == 184)
        #expect(Array(p[0..<44]) == TickerPackets.packet(Self.equity, mode: .quote))
        #expect(Self.u32(p, 44) == Self.time, "last trade time")
        #expect(Self.u32(p, 48) == 11 && Self.u32(p, 52) == 12 && Self.u32(p, 56) == 10, "open interest, its day high and low")
        #expect(Self.u32(p, 60) == Self.time, "exchange timestamp")
        for i in 0..<10 {
            let at = 64 + i * 12
            let level = i < 5 ? Self.equity.buyDepth[i] : Self.equity.sellDepth[i - 5]
            #expect(Self.u32(p, at) == level.quantity && Self.u32(p, at + 4) == level.price)
            #expect(Int64(Self.u16(p, at + 8)) == level.orders && p[at + 10] == 0 && p[at + 11] == 0)
        }
        // No depth given: ten empty levels.
        var bare = Self.equity
        bare.buyDepth = []
        bare.sellDepth = []
        #expect(TickerPackets.packet(bare, mode: .full)[64...].allSatisfy { $0 == 0 })
    }

    @Test func indexPacketsAre28And32BytesWithTheChange() {
        let quote = TickerPackets.packet(Self.index, mode: .quote)
        #expect(quote.count == 28)
        #expect(stride(from: 0, to: 24, by: 4).map { Self.u32(quote, $0) } == [256_265, 1_528_335, 1_529_290, 1_524_340, 1_524_760, 1_530_000])
        #expect(Self.i32(quote, 24) == 1_528_335 - 1_530_000, "change: last price less the close, in paise")
        let full = TickerPackets.packet(Self.index, mode: .full)
        #expect(full.count == 32 && Array(full[0..<28]) == quote && Self.u32(full, 28) == Self.time)
        var noClose = Self.index
        noClose.close = 0
        #expect(Self.i32(TickerPackets.packet(noClose, mode: .quote), 24) == 0)
    }

    @Test func aMessageCountsItsPacketsAndPrefixesEachWithItsLength() {
        let packets = [TickerPackets.packet(Self.index, mode: .full), TickerPackets.packet(Self.equity, mode: .full),
                       TickerPackets.packet(Self.equity, mode: .ltp)]
        let message = TickerPackets.message(packets)
        #expect(message.count == 2 + 3 * 2 + 32 + 184 + 8)
        #expect(Self.u16(message, 0) == 3)
        var at = 2
        for packet in packets {
            #expect(Self.u16(message, at) == packet.count)
            #expect(Array(message[(at + 2)..<(at + 2 + packet.count)]) == packet)
            at += 2 + packet.count
        }
        #expect(TickerPackets.heartbeat.count == 1)
    }

    // MARK: Bars as ticks

    static let bars: [Bar] = [
        Bar(time: time, open: 10_000, high: 10_050, low: 9_990, close: 10_040, volume: 1_003),  // up: open, low, high, close
        Bar(time: time + 60, open: 10_040, high: 10_045, low: 9_900, close: 9_950, volume: 7),  // down: open, high, low, close
        Bar(time: time + 120, open: 9_950, high: 9_955, low: 9_900, close: 9_950, volume: 0),  // flat, high nearer
        Bar(time: time + 180, open: 9_950, high: 10_000, low: 9_940, close: 9_950, volume: 4),  // flat, low nearer
        Bar(time: time + 300, open: 9_960, high: 9_970, low: 9_950, close: 9_960, volume: 2),  // flat, as near: high first
    ]

    @Test func eachBarIsFourTicksOnItsPath() {
        let ticks = TickerSchedule.ticks(of: TickerInstrument(token: 253_440_257, isIndex: false, bars: Self.bars, previousClose: 10_100))
        #expect(ticks.count == Self.bars.count * 4)
        for (i, bar) in Self.bars.enumerated() {
            #expect(ticks[(i * 4)..<(i * 4 + 4)].map(\.time) == [bar.time, bar.time + 15, bar.time + 30, bar.time + 45])
        }
        #expect(ticks.map(\.lastPrice) == [
            10_000, 9_990, 10_050, 10_040,
            10_040, 10_045, 9_900, 9_950,
            9_950, 9_955, 9_900, 9_950,
            9_950, 9_940, 10_000, 9_950,
            9_960, 9_970, 9_950, 9_960,
        ])
        #expect(ticks.allSatisfy { $0.close == 10_100 && $0.token == 253_440_257 && !$0.isIndex })
        // The day's open, high and low so far.
        #expect(ticks.allSatisfy { $0.open == 10_000 })
        #expect(ticks[0].high == 10_000 && ticks[0].low == 10_000 && ticks[1].low == 9_990 && ticks[2].high == 10_050)
        #expect(ticks.last?.high == 10_050 && ticks.last?.low == 9_900)
    }

    @Test func theVolumeReproducesEachBarsVolumeAndNeverFalls() {
        let ticks = TickerSchedule.ticks(of: TickerInstrument(token: 1, isIndex: false, bars: Self.bars, previousClose: 0))
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0.volume <= $1.volume })
        var previous: Int64 = 0
        for (i, bar) in Self.bars.enumerated() {
            let close = ticks[i * 4 + 3]
            #expect(close.volume - previous == bar.volume)
            #expect(ticks[(i * 4)..<(i * 4 + 4)].map(\.lastQuantity).reduce(0, +) == bar.volume)
            previous = close.volume
        }
        #expect(TickerSchedule.quantities(1_003) == [250, 250, 250, 253])
        // The average price is the volume-weighted price of the ticks so far.
        let value = zip(ticks, ticks.map(\.lastQuantity)).reduce(Int64(0)) { $0 + $1.0.lastPrice * $1.1 }
        #expect(ticks.last?.averagePrice == (value + previous / 2) / previous)
        #expect(ticks.last?.close == 0)
    }

    @Test func barsRebuiltFromTheTicksAreTheBars() {
        let ticks = TickerSchedule.ticks(of: TickerInstrument(token: 1, isIndex: false, bars: Self.bars, previousClose: 0))
        var rebuilt: [Bar] = []
        var previousVolume: Int64 = 0
        for tick in ticks {
            let minute = tick.time - tick.time % 60
            if var bar = rebuilt.last, bar.time == minute {
                bar.high = max(bar.high, tick.lastPrice)
                bar.low = min(bar.low, tick.lastPrice)
                bar.close = tick.lastPrice
                bar.volume = tick.volume - previousVolume
                rebuilt[rebuilt.count - 1] = bar
            } else {
                if let last = rebuilt.last { previousVolume += last.volume }
                rebuilt.append(Bar(time: minute, open: tick.lastPrice, high: tick.lastPrice, low: tick.lastPrice, close: tick.lastPrice,
                                   volume: tick.volume - previousVolume))
            }
        }
        #expect(rebuilt == Self.bars)
    }

    @Test func anIndexHasNoVolumeAndTheScheduleMergesInstrumentsByTimeThenToken() {
        let index = TickerInstrument(token: 256_265, isIndex: true, bars: Array(Self.bars.prefix(2)), previousClose: 0)
        let future = TickerInstrument(token: 253_440_257, isIndex: false, bars: Array(Self.bars.dropFirst()), previousClose: 0)
        let schedule = TickerSchedule(date: LocalDate("2021-02-15")!, instruments: [future, index])
        #expect(schedule.tickCount == 2 * 4 + 4 * 4)
        #expect(zip(schedule.instants, schedule.instants.dropFirst()).allSatisfy { $0.time < $1.time })
        let second = schedule.instants[schedule.firstInstant(atOrAfter: Self.time + 60)]
        #expect(second.time == Self.time + 60 && second.ticks.map(\.tick.token) == [256_265, 253_440_257])
        #expect(second.ticks[0].full.count == 32 && second.ticks[1].full.count == 184 && second.ticks[0].ltp.count == 8)
        #expect(TickerSchedule.ticks(of: index).allSatisfy { $0.volume == 0 && $0.lastQuantity == 0 && $0.averagePrice == 0 })
        #expect(schedule.firstInstant(atOrAfter: Self.time + 1) == 1 && schedule.firstInstant(atOrAfter: Self.time + 10_000) == schedule.instants.count)
    }

    /// India VIX has daily bars only: it streams at the minutes the others trade, at the day's open,
    /// with the previous day's close in its packets (what the engine's VIX filter reads).
    @Test func indiaVIXStreamsFromItsDailyBarsWithThePreviousClose() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "kite-sim-vix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (path, rows) in [("NIFTY50/1m/2021.csv", ["2021-02-23T03:45:00Z,15000.00,15010.00,14990.00,15005.00,0",
                                                       "2021-02-23T03:46:00Z,15005.00,15020.00,15000.00,15015.00,0"]),
                             ("INDIAVIX/1d/2021.csv", ["2021-02-22T03:45:00Z,23.00,26.00,22.50,25.47,0",
                                                       "2021-02-23T03:45:00Z,25.50,26.10,24.00,25.23,0"])] {
            let url = folder.appending(path: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try ([BarFiles.header] + rows).joined(separator: "\n").appending("\n").write(to: url, atomically: true, encoding: .utf8)
        }
        let ticker = KiteTicker(instruments: SimInstrumentList.standard(), bars: BarFiles(folder: folder))
        let schedule = try ticker.schedule(for: LocalDate("2021-02-23")!)
        let vix = schedule.instants.flatMap(\.ticks).map(\.tick).filter { $0.token == 264_969 }
        #expect(vix.count == 2 * 4 && vix.allSatisfy { $0.isIndex && $0.lastPrice == 2_550 && $0.close == 2_547 })
        #expect(Self.i32(try #require(schedule.instants.first?.ticks.first { $0.tick.token == 264_969 }).full, 20) == 2_547)
        // A day without its daily bar streams no VIX.
        let before = try ticker.schedule(for: LocalDate("2021-02-22")!)
        #expect(before.instants.flatMap(\.ticks).allSatisfy { $0.tick.token != 264_969 })
    }

    // MARK: Clients and the clock

    @Test func clientMessagesAreRead() {
        #expect(KiteTicker.parse(#"{"a":"subscribe","v":[408065,884737]}"#) == .success(.subscribe([408_065, 884_737])))
        #expect(KiteTicker.parse(#"{"a":"unsubscribe","v":[408065]}"#) == .success(.unsubscribe([408_065])))
        #expect(KiteTicker.parse(#"{"a":"mode","v":["full",[408065]]}"#) == .success(.mode(.full, [408_065])))
        for bad in [#"{"a":"mode","v":["deep",[1]]}"#, #"{"a":"subscribe","v":"1"}"#, #"{"a":"dance","v":[1]}"#, "not json",
                    #"{"a":"subscribe","v":[1.5]}"#, #"{"a":"subscribe","v":[true]}"#] {
            guard case .failure = KiteTicker.parse(bad) else {
                Issue.record("\(bad) was taken")
                continue
            }
        }
    }

    @Test func aStartIsReadAsTheFlagsGiveIt() throws {
        let start = try TickerStart.parse(date: "2021-02-15", speed: "300", start: "09:14").get()
        #expect(start == TickerStart(date: LocalDate("2021-02-15")!, speed: 300, secondOfDay: (9 * 60 + 14) * 60))
        #expect(try TickerStart.parse(date: "2021-02-15", speed: nil, start: nil).get().secondOfDay == TickerStart.defaultSecondOfDay)
        #expect(try TickerStart.parse(date: "2021-02-15", speed: nil, start: "10:00:30").get().secondOfDay == 36_030)
        for (date, speed, start) in [("15-02-2021", nil, nil), ("2021-02-15", "0.5", nil), ("2021-02-15", "fast", nil),
                                     ("2021-02-15", nil, "9:14"), ("2021-02-15", nil, "24:00")] as [(String, String?, String?)] {
            guard case .failure(let error) = TickerStart.parse(date: date, speed: speed, start: start) else {
                Issue.record("\(date) \(speed ?? "-") \(start ?? "-") was taken")
                continue
            }
            #expect(error.description.hasPrefix("--ticker-"))
        }
    }

    /// A ticker over the synthetic bars, with one connection subscribed to `token` in `mode`, its
    /// clock started at 09:14:00 at `speed` at `origin`.
    static func ticker(mode: TickerMode = .full, speed: Double = 60) -> (KiteTicker, AsyncStream<KiteTicker.Outbound>, ContinuousClock.Instant) {
        let ticker = KiteTicker(instruments: SimInstrumentList.standard(), bars: BarFiles(folder: URL(filePath: "/nonexistent")))
        let schedule = TickerSchedule(date: LocalDate("2021-02-15")!, instruments: [
            TickerInstrument(token: 253_440_257, isIndex: false, bars: bars, previousClose: 0),
            TickerInstrument(token: 256_265, isIndex: true, bars: bars, previousClose: 0),
        ])
        let origin = ContinuousClock.now
        let (stream, continuation) = AsyncStream<KiteTicker.Outbound>.makeStream()
        let id = ticker.connect(continuation, now: origin)
        ticker.receive(#"{"a":"mode","v":["\#(mode.rawValue)",[253440257]]}"#, from: id)
        ticker.start(TickerStart(date: LocalDate("2021-02-15")!, speed: speed), schedule: schedule, now: origin)
        return (ticker, stream, origin)
    }

    static func drain(_ ticker: KiteTicker, _ stream: AsyncStream<KiteTicker.Outbound>) async -> [KiteTicker.Outbound] {
        ticker.closeAll(reason: "test")
        var out: [KiteTicker.Outbound] = []
        for await item in stream { out.append(item) }
        return out
    }

    @Test func ticksAreDueOnTheMarketClockAndHeartbeatsFillTheSilence() async {
        let (ticker, stream, origin) = Self.ticker()
        // 09:15:00 is 60 market seconds after the start: one wall second at 60×.
        let wake = ticker.step(now: origin + .milliseconds(999))
        #expect(wake == origin + .seconds(1), "the next wake is the first tick's instant")
        _ = ticker.step(now: origin + .seconds(1))
        _ = ticker.step(now: origin + .milliseconds(1_250))  // 09:15:15
        _ = ticker.step(now: origin + .milliseconds(2_260))  // late: 09:15:30, :45, 09:16:00, :15 at once
        let out = await Self.drain(ticker, stream)
        let frames: [[UInt8]] = out.compactMap { if case .binary(let b) = $0, b.count > 1 { b } else { nil } }
        #expect(frames.count == 2 + 4, "09:15:00, :15, then :30, :45, 09:16:00, :15")
        #expect(frames.allSatisfy { Self.u16($0, 0) == 1 && Self.u16($0, 2) == 184 })
        #expect(frames.map { Self.u32($0, 4 + 60) - Self.time } == [0, 15, 30, 45, 60, 75])
        #expect(!out.contains(.binary(TickerPackets.heartbeat)), "something was sent every second")
        #expect(out.last == .close("test"))
    }

    @Test func aQuietConnectionGetsAHeartbeatEachSecond() async {
        let (ticker, stream, origin) = Self.ticker(speed: 1)
        _ = ticker.step(now: origin + .milliseconds(500))
        _ = ticker.step(now: origin + .seconds(1))
        _ = ticker.step(now: origin + .milliseconds(1_500))
        _ = ticker.step(now: origin + .seconds(2))
        let out = await Self.drain(ticker, stream)
        #expect(out == [.binary(TickerPackets.heartbeat), .binary(TickerPackets.heartbeat), .close("test")])
    }

    @Test func aStallSkipsTheTicksOfItsStretchAndADropClosesEveryConnection() async {
        let (ticker, stream, origin) = Self.ticker()
        _ = ticker.step(now: origin + .seconds(1))  // 09:15:00 sent
        #expect(ticker.stall(seconds: 30, now: origin + .seconds(1)) == Self.time + 30)
        _ = ticker.step(now: origin + .milliseconds(1_700))  // 09:15:15 skipped, 09:15:30 sent
        #expect(ticker.dropAll() == 1)
        _ = ticker.step(now: origin + .seconds(3))
        var out: [KiteTicker.Outbound] = []
        for await item in stream { out.append(item) }
        let times = out.compactMap { item -> Int64? in
            if case .binary(let b) = item, b.count > 1 { return Self.u32(b, 4 + 60) - Self.time }
            return nil
        }
        #expect(times == [0, 30])
        #expect(out.last == .close("kite-sim: ticker_drop"))
        let stats = Dictionary(uniqueKeysWithValues: ticker.statsMembers.map { ($0.0, $0.1) })
        #expect(stats["ticker_ticks_skipped"] == .int(2) && stats["ticker_drops"] == .int(1) && stats["ticker_connections"] == .int(0))
        #expect(stats["ticker_ticks_sent"] == .int(2) && stats["ticker_frames_sent"] == .int(2) && stats["ticker_connections_ever"] == .int(1))
    }

    @Test func modesChooseThePacketsAndUnsubscribingStopsThem() async {
        let (ticker, stream, origin) = Self.ticker(mode: .ltp)
        _ = ticker.step(now: origin + .seconds(1))
        // Connection 1 subscribes the index too, in quote mode (a subscription's default).
        ticker.receive(#"{"a":"subscribe","v":[256265]}"#, from: 1)
        _ = ticker.step(now: origin + .milliseconds(1_250))
        ticker.receive(#"{"a":"unsubscribe","v":[253440257,256265]}"#, from: 1)
        _ = ticker.step(now: origin + .milliseconds(1_500))
        ticker.receive(#"{"a":"subscribe","v":"x"}"#, from: 1)
        let out = await Self.drain(ticker, stream)
        let frames: [[UInt8]] = out.compactMap { if case .binary(let b) = $0, b.count > 1 { b } else { nil } }
        #expect(frames.count == 2)
        #expect(Self.u16(frames[0], 0) == 1 && Self.u16(frames[0], 2) == 8)
        // By token: the index (256265) before the future (253440257).
        #expect(Self.u16(frames[1], 0) == 2 && Self.u16(frames[1], 2) == 28 && Self.u32(frames[1], 4) == 256_265
                && Self.u16(frames[1], 4 + 28) == 8)
        guard case .text(let error) = out[out.count - 2] else {
            Issue.record("no error message: \(out)")
            return
        }
        #expect(error.hasPrefix(#"{"type":"error","data":"Invalid subscribe"#))
    }
}
