@testable import AlphaPrimeKite
import Foundation
import Testing

/// The ticker fixtures in `Fixtures/kite-ticker/`, written by hand from Kite's documented layout.
enum KiteTickerFixtures {
    static var folder: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appending(path: "kite-ticker")
    }

    /// The bytes of a `.hex` fixture: hex digits, whitespace ignored, `#` to the end of a line a comment.
    static func bytes(_ name: String) throws -> [UInt8] {
        let text = try String(contentsOf: folder.appending(path: name), encoding: .utf8)
        let digits = text.split(separator: "\n").map { $0.prefix { $0 != "#" } }.joined().filter { !$0.isWhitespace }
        return try hex(String(digits))
    }

    static func hex(_ digits: String) throws -> [UInt8] {
        let chars = Array(digits.filter { !$0.isWhitespace })
        try #require(chars.count % 2 == 0, "odd number of hex digits")
        return try stride(from: 0, to: chars.count, by: 2).map { i in
            try #require(UInt8(String(chars[i...i + 1]), radix: 16), "not hex: \(chars[i])\(chars[i + 1])")
        }
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appending(path: name), encoding: .utf8)
    }

    static let hexFiles = ["ltp_infy.hex", "index_quote_nifty.hex", "index_full_nifty.hex", "quote_infy.hex",
                           "full_infy.hex", "mixed_frame.hex"]

    /// The ticks of a binary message that must decode as `.ticks`.
    static func ticks(_ bytes: [UInt8]) throws -> [KiteTick] {
        guard case .ticks(let ticks) = try KiteTickerCodec.decode(binary: bytes) else {
            Issue.record("not a frame of ticks")
            return []
        }
        return ticks
    }

    /// The decode error of a binary message that must not decode.
    static func failure(_ bytes: [UInt8]) -> KiteTickerDecodeError? {
        do throws(KiteTickerDecodeError) {
            let message = try KiteTickerCodec.decode(binary: bytes)
            Issue.record("decoded as \(message)")
            return nil
        } catch {
            return error
        }
    }

    /// 2026-01-15 10:15:30 and 10:15:29 IST, as UTC epoch seconds.
    static let exchangeTime: Int64 = 1_768_452_330
    static let lastTradeTime: Int64 = 1_768_452_329
}

@Suite struct KiteTickerCodecTests {
    typealias F = KiteTickerFixtures

    // MARK: binary messages

    @Test func ltpPacket() throws {
        let ticks = try F.ticks(F.bytes("ltp_infy.hex"))
        #expect(ticks.count == 1)
        let t = try #require(ticks.first)
        #expect(t.instrumentToken == 408_065 && t.segment == 1 && t.exchangeSegment == .nse)
        #expect(t.mode == .ltp && !t.isIndex && t.isTradable && t.priceDivisor == 100)
        #expect(t.lastPrice == 161_235 && t.lastPricePaise == 161_235)
        #expect(t.lastTradedQuantity == nil && t.volumeTraded == nil && t.open == nil && t.close == nil)
        #expect(t.change == nil && t.exchangeTimestamp == nil && t.buyDepth.isEmpty && t.sellDepth.isEmpty)
    }

    @Test func indexQuotePacket() throws {
        let t = try #require(try F.ticks(F.bytes("index_quote_nifty.hex")).first)
        #expect(t.instrumentToken == 256_265 && t.segment == 9 && t.exchangeSegment == .indices)
        #expect(t.mode == .quote && t.isIndex && !t.isTradable && t.priceDivisor == 100)
        #expect(t.lastPrice == 2_195_025 && t.lastPricePaise == 2_195_025)
        // Kite's index layout is high, low, open, close after the last price.
        #expect(t.high == 2_199_950 && t.low == 2_192_010 && t.open == 2_198_000 && t.close == 2_198_075)
        #expect(t.change == -3_050, "a signed int32: the index fell")
        #expect(t.exchangeTimestamp == nil && t.lastTradedQuantity == nil && t.volumeTraded == nil)
        #expect(t.totalBuyQuantity == nil && t.buyDepth.isEmpty)
    }

    @Test func indexFullPacket() throws {
        let t = try #require(try F.ticks(F.bytes("index_full_nifty.hex")).first)
        #expect(t.instrumentToken == 256_265 && t.mode == .full && t.isIndex && !t.isTradable)
        #expect(t.lastPrice == 2_195_025 && t.high == 2_199_950 && t.low == 2_192_010)
        #expect(t.open == 2_198_000 && t.close == 2_198_075 && t.change == -3_050)
        #expect(t.exchangeTimestamp == F.exchangeTime)
        #expect(t.lastTradeTime == nil && t.openInterest == nil && t.buyDepth.isEmpty && t.sellDepth.isEmpty)
    }

    @Test func equityQuotePacket() throws {
        let t = try #require(try F.ticks(F.bytes("quote_infy.hex")).first)
        #expect(t.instrumentToken == 408_065 && t.mode == .quote && !t.isIndex && t.isTradable)
        #expect(t.lastPrice == 161_235 && t.lastTradedQuantity == 25 && t.averageTradedPrice == 160_890)
        #expect(t.volumeTraded == 4_321_987 && t.totalBuyQuantity == 312_456 && t.totalSellQuantity == 287_654)
        #expect(t.open == 160_000 && t.high == 161_550 && t.low == 159_810 && t.close == 160_275)
        #expect(t.change == nil && t.lastTradeTime == nil && t.exchangeTimestamp == nil && t.openInterest == nil)
        #expect(t.buyDepth.isEmpty && t.sellDepth.isEmpty)
    }

    @Test func equityFullPacketWithDepth() throws {
        let t = try #require(try F.ticks(F.bytes("full_infy.hex")).first)
        #expect(t.instrumentToken == 408_065 && t.mode == .full && t.isTradable)
        #expect(t.lastPrice == 161_235 && t.lastTradedQuantity == 25 && t.averageTradedPrice == 160_890)
        #expect(t.volumeTraded == 4_321_987 && t.totalBuyQuantity == 312_456 && t.totalSellQuantity == 287_654)
        #expect(t.open == 160_000 && t.high == 161_550 && t.low == 159_810 && t.close == 160_275)
        #expect(t.lastTradeTime == F.lastTradeTime && t.exchangeTimestamp == F.exchangeTime)
        #expect(t.openInterest == 0 && t.openInterestDayHigh == 0 && t.openInterestDayLow == 0)
        #expect(t.buyDepth == [
            KiteDepthEntry(quantity: 120, price: 161_230, orders: 4), KiteDepthEntry(quantity: 75, price: 161_225, orders: 2),
            KiteDepthEntry(quantity: 300, price: 161_220, orders: 7), KiteDepthEntry(quantity: 10, price: 161_215, orders: 1),
            KiteDepthEntry(quantity: 500, price: 161_210, orders: 12),
        ])
        #expect(t.sellDepth == [
            KiteDepthEntry(quantity: 40, price: 161_235, orders: 1), KiteDepthEntry(quantity: 200, price: 161_240, orders: 3),
            KiteDepthEntry(quantity: 150, price: 161_245, orders: 2), KiteDepthEntry(quantity: 90, price: 161_250, orders: 5),
            KiteDepthEntry(quantity: 1_000, price: 161_255, orders: 9),
        ])
    }

    @Test func frameOfMixedPackets() throws {
        let ticks = try F.ticks(F.bytes("mixed_frame.hex"))
        #expect(ticks.map(\.instrumentToken) == [260_105, 315_907, 1_106_182, 13_115_906, 256_265])
        #expect(ticks.map(\.mode) == [.ltp, .ltp, .ltp, .quote, .full])
        #expect(ticks.map(\.segment) == [9, 3, 6, 2, 9])
        #expect(ticks.map(\.isIndex) == [true, false, false, false, true])
        #expect(ticks.map(\.priceDivisor) == [100, 10_000_000, 10_000, 100, 100])
        // NIFTY BANK 48,123.45; USDINR 83.2575 on CDS (not a whole paisa), 83.25 on BCD.
        #expect(ticks[0].lastPrice == 4_812_345 && ticks[0].lastPricePaise == 4_812_345 && !ticks[0].isTradable)
        #expect(ticks[1].lastPrice == 832_575_000 && ticks[1].lastPricePaise == nil)
        #expect(ticks[1].paise(832_500_000) == 8_325)
        #expect(ticks[2].lastPrice == 832_500 && ticks[2].lastPricePaise == 8_325)
        let future = ticks[3]
        #expect(future.lastPrice == 2_213_550 && future.lastTradedQuantity == 65 && future.volumeTraded == 3_456_789)
        #expect(future.open == 2_205_000 && future.high == 2_216_000 && future.low == 2_201_000 && future.close == 2_204_510)
        #expect(ticks[4].exchangeTimestamp == F.exchangeTime && ticks[4].change == -3_050)
    }

    @Test func heartbeatIsOneByte() throws {
        #expect(try KiteTickerCodec.decode(binary: [0x00]) == .heartbeat)
        #expect(try KiteTickerCodec.decode(binary: [0xff]) == .heartbeat)
    }

    @Test func countOfZeroIsNoTicks() throws {
        #expect(try KiteTickerCodec.decode(binary: [0x00, 0x00]) == .ticks([]))
    }

    @Test func pricesAreSignedAndQuantitiesUnsigned() throws {
        // An LTP of -1 paisa (an MCX contract below zero), and a quote whose volume passes 2^31.
        let ltp = try F.ticks(F.hex("0001 0008 0000 0107 ffffffff"))
        #expect(ltp.first?.lastPrice == -1 && ltp.first?.segment == 7 && ltp.first?.exchangeSegment == .mcx)
        var quote = try F.bytes("quote_infy.hex")
        quote.replaceSubrange(20..<24, with: [0x80, 0x00, 0x00, 0x01])  // volume traded
        #expect(try F.ticks(quote).first?.volumeTraded == 2_147_483_649)
    }

    // MARK: binary errors, with their offsets

    @Test func truncatedFrame() throws {
        let quote = try F.bytes("quote_infy.hex")
        let error = try #require(F.failure(Array(quote.dropLast(4))))
        #expect(error.offset == 4)
        #expect(error.reason == "packet 1 of 1: 44 bytes declared, 40 left in the 44-byte message")
    }

    @Test func unknownPacketLength() throws {
        let error = try #require(F.failure(F.hex("0001 001b" + String(repeating: "00", count: 27))))
        #expect(error.offset == 2)
        #expect(error.reason == "packet 1 of 1: unknown packet length 27 (Kite sends 8, 28, 32, 44 or 184)")
        // In the second packet: after the count (2), the first length (2) and the LTP packet (8).
        let second = try #require(F.failure(F.hex("0002 0008 00063a01 000275d3 0009" + String(repeating: "00", count: 9))))
        #expect(second.offset == 12 && second.reason.hasPrefix("packet 2 of 2: unknown packet length 9"))
    }

    @Test func countOverrunsTheFrame() throws {
        let error = try #require(F.failure(F.hex("0002 0008 00063a01 000275d3")))
        #expect(error.offset == 12)
        #expect(error.reason == "packet 2 of 2: its 2-byte length runs past the end of the 12-byte message")
        let halfLength = try #require(F.failure(F.hex("0002 0008 00063a01 000275d3 00")))
        #expect(halfLength.offset == 12)
    }

    @Test func trailingBytes() throws {
        let error = try #require(F.failure(F.bytes("ltp_infy.hex") + [1, 2, 3]))
        #expect(error.offset == 12 && error.reason == "3 byte(s) after the last of 1 packet(s)")
        #expect(F.failure([0, 0, 7])?.offset == 2)
    }

    @Test func emptyMessage() {
        #expect(F.failure([]) == KiteTickerDecodeError(offset: 0, reason: "an empty binary message"))
    }

    @Test(arguments: KiteTickerFixtures.hexFiles)
    func everyShorterPrefixIsAnError(_ name: String) throws {
        let bytes = try F.bytes(name)
        for size in 2..<bytes.count {
            let error = try #require(F.failure(Array(bytes.prefix(size))), "prefix of \(size) bytes")
            #expect((0...size).contains(error.offset))
        }
    }

    @Test func describesItselfWithTheOffset() {
        #expect("\(KiteTickerDecodeError(offset: 12, reason: "x"))" == "Kite ticker message, byte 12: x")
    }

    // MARK: encoding (for tests and local servers)

    @Test(arguments: KiteTickerFixtures.hexFiles)
    func encodingReproducesTheFixture(_ name: String) throws {
        let bytes = try F.bytes(name)
        #expect(KiteTickerCodec.encode(try F.ticks(bytes)) == bytes)
    }

    @Test func packetsDecodeOnTheirOwn() throws {
        let frame = try F.bytes("full_infy.hex")
        let tick = try KiteTickerCodec.decode(packet: Array(frame.dropFirst(4)))
        #expect(tick == (try F.ticks(frame)).first)
        #expect(throws: KiteTickerDecodeError(offset: 0, reason: "unknown packet length 4 (Kite sends 8, 28, 32, 44 or 184)")) {
            try KiteTickerCodec.decode(packet: [0, 0, 0, 1])
        }
    }

    // MARK: text messages

    @Test func orderUpdate() throws {
        let message = try KiteTickerCodec.decode(text: F.text("order_update.json"))
        guard case .order(let postback) = message else {
            Issue.record("not an order update: \(message)")
            return
        }
        #expect(postback.order.orderID == "260115000123456" && postback.order.status == "COMPLETE")
        #expect(postback.order.tradingsymbol == "INFY" && postback.order.instrumentToken == 408_065)
        #expect(postback.order.price.paise.value == 161_235 && postback.order.averagePrice.paise.value == 161_230)
        #expect(postback.order.filledQuantity == 25 && postback.order.tag == "AP26011500001X")
        #expect(postback.userID == "AB1234" && postback.appID == 1_234 && postback.checksum == "")
        #expect(postback.unfilledQuantity == 0)
    }

    @Test func orderUpdateWithoutThePostbackSignature() throws {
        let text = #"""
            {"type":"order","data":{"placed_by":"AB1234","order_id":"260115000123457","status":"OPEN",
            "order_timestamp":"2026-01-15 10:16:00","variety":"regular","exchange":"NFO","tradingsymbol":"NIFTY26JANFUT",
            "instrument_token":13115906,"order_type":"LIMIT","transaction_type":"SELL","validity":"DAY","product":"MIS",
            "quantity":65,"disclosed_quantity":0,"price":22135.5,"trigger_price":0,"average_price":0,
            "filled_quantity":0,"pending_quantity":65,"cancelled_quantity":0}}
            """#
        guard case .order(let postback) = try KiteTickerCodec.decode(text: text) else {
            Issue.record("not an order update")
            return
        }
        #expect(postback.userID == "AB1234" && postback.appID == 0 && postback.checksum == "")
        #expect(postback.unfilledQuantity == 65 && postback.order.price.paise.value == 2_213_550)
    }

    @Test func errorAndMessage() throws {
        #expect(try KiteTickerCodec.decode(text: #"{"type":"error","data":"Invalid API key or access token"}"#)
                == .error("Invalid API key or access token"))
        #expect(try KiteTickerCodec.decode(text: #"{"type":"message","data":"Markets open at 09:15"}"#)
                == .message("Markets open at 09:15"))
        // Data that is not a string, or none: the raw text.
        let odd = #"{"type":"error","data":{"code":42}}"#
        #expect(try KiteTickerCodec.decode(text: odd) == .error(odd))
        #expect(try KiteTickerCodec.decode(text: #"{"type":"message"}"#) == .message(#"{"type":"message"}"#))
    }

    @Test func unknownTypeIsAMessageWithTheRawText() throws {
        for text in [#"{"type":"instruments_meta","data":{"count":12}}"#, #"{"data":"no type"}"#, #"{"type":7}"#, "{}"] {
            #expect(try KiteTickerCodec.decode(text: text) == .message(text))
        }
    }

    @Test func malformedTextIsAnError() throws {
        for text in ["", "not json", #"{"type":"error","#, "[1,2]", "\"order\"", "42"] {
            #expect(throws: KiteTickerDecodeError.self, "\(text)") { try KiteTickerCodec.decode(text: text) }
        }
        let error = try #require(decodeTextError(#"{"type":"order","data":{"order_id":"1"}}"#))
        #expect(error.offset == 0 && error.reason.contains("`data.placed_by` is missing"), "\(error.reason)")
        let notAnObject = try #require(decodeTextError("[]"))
        #expect(notAnObject.reason.hasPrefix("the message is not a JSON object"))
    }

    @Test func anAbsurdPriceInAnOrderUpdateIsAnErrorNotATrap() throws {
        let text = try F.text("order_update.json").replacingOccurrences(of: #""price":1612.35"#, with: #""price":1e300"#)
        let error = try #require(decodeTextError(text))
        #expect(error.reason.contains("`data.price`"), "\(error.reason)")
    }

    private func decodeTextError(_ text: String) -> KiteTickerDecodeError? {
        do throws(KiteTickerDecodeError) {
            _ = try KiteTickerCodec.decode(text: text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: requests

    @Test func requests() {
        #expect(KiteTickerCodec.subscribe([408_065, 884_737]) == #"{"a":"subscribe","v":[408065,884737]}"#)
        #expect(KiteTickerCodec.unsubscribe([408_065]) == #"{"a":"unsubscribe","v":[408065]}"#)
        #expect(KiteTickerCodec.mode(.full, [408_065]) == #"{"a":"mode","v":["full",[408065]]}"#)
        #expect(KiteTickerCodec.mode(.ltp, [256_265, 260_105]) == #"{"a":"mode","v":["ltp",[256265,260105]]}"#)
        #expect(KiteTickerCodec.mode(.quote, []) == #"{"a":"mode","v":["quote",[]]}"#)
        #expect(KiteTickerCodec.subscribe([]) == #"{"a":"subscribe","v":[]}"#)
        #expect(KiteTickerCodec.subscribe([UInt32.max]) == #"{"a":"subscribe","v":[4294967295]}"#)
    }

    @Test func requestsAreJSON() throws {
        let mode = try JSONSerialization.jsonObject(with: Data(KiteTickerCodec.mode(.quote, [1, 2]).utf8)) as? [String: Any]
        #expect(mode?["a"] as? String == "mode")
        #expect((mode?["v"] as? [Any])?.first as? String == "quote")
    }

    @Test func url() {
        #expect(KiteTickerCodec.url(base: "wss://ws.kite.trade", apiKey: "kitefront", accessToken: "abc123")
                == "wss://ws.kite.trade?api_key=kitefront&access_token=abc123")
        #expect(KiteTickerCodec.url(base: "ws://127.0.0.1:8765", apiKey: "a b", accessToken: "x/y+z=&é")
                == "ws://127.0.0.1:8765?api_key=a%20b&access_token=x%2Fy%2Bz%3D%26%C3%A9")
        #expect(KiteTickerCodec.url(base: "ws://127.0.0.1:8765/ws?v=3", apiKey: "k", accessToken: "t-._~")
                == "ws://127.0.0.1:8765/ws?v=3&api_key=k&access_token=t-._~")
    }
}
