/// Kite's ticker modes: what a subscribed instrument's packets carry.
enum TickerMode: String, Sendable, CaseIterable {
    /// The last price only: 8 bytes.
    case ltp
    /// The quote without depth: 44 bytes (an index: 28).
    case quote
    /// The quote with timestamps, open interest and five levels of depth: 184 bytes (an index: 32).
    case full
}

/// One level of market depth, prices in paise.
struct TickerDepthLevel: Sendable, Equatable {
    var quantity: Int64 = 0
    var price: Int64 = 0
    var orders: Int64 = 0
}

/// What one instrument shows at one tick: the numbers Kite's ticker packets carry. Prices are paise,
/// times UTC epoch seconds.
struct TickerTick: Sendable, Equatable {
    var token: Int64
    /// An index (segment INDICES): index packets, no volume.
    var isIndex: Bool
    /// The tick's time: the exchange timestamp and the last trade time.
    var time: Int64
    var lastPrice: Int64
    var lastQuantity: Int64 = 0
    var averagePrice: Int64 = 0
    /// The day's volume so far.
    var volume: Int64 = 0
    var buyQuantity: Int64 = 0
    var sellQuantity: Int64 = 0
    /// The day's open, high and low so far.
    var open: Int64
    var high: Int64
    var low: Int64
    /// The previous day's close, 0 when unknown.
    var close: Int64
    var openInterest: Int64 = 0
    var openInterestDayHigh: Int64 = 0
    var openInterestDayLow: Int64 = 0
    /// Five bids then five offers.
    var buyDepth = Array(repeating: TickerDepthLevel(), count: 5)
    var sellDepth = Array(repeating: TickerDepthLevel(), count: 5)
}

/// Kite's ticker binary format (docs/kite-sim.md, "The ticker"): every field big-endian, prices in
/// paise as int32, quantities and times (UTC epoch seconds) as 32-bit numbers.
///
/// A message is a 2-byte packet count, then for each packet a 2-byte length and the packet. The
/// packets:
///
/// | mode | length | bytes |
/// |---|---|---|
/// | ltp | 8 | 0 token, 4 last price |
/// | quote, index | 28 | 0 token, 4 last price, 8 high, 12 low, 16 open, 20 close, 24 change (last − close, 0 without a close) |
/// | full, index | 32 | the 28 bytes, then 28 exchange timestamp |
/// | quote | 44 | 0 token, 4 last price, 8 last quantity, 12 average price, 16 volume, 20 buy quantity, 24 sell quantity, 28 open, 32 high, 36 low, 40 close |
/// | full | 184 | the 44 bytes, then 44 last trade time, 48 OI, 52 OI day high, 56 OI day low, 60 exchange timestamp, 64 depth: 10 entries of 12 bytes (quantity int32, price int32, orders int16, 2 bytes of padding), five bids then five offers |
///
/// A heartbeat is a message of one byte.
enum TickerPackets {
    static let heartbeat: [UInt8] = [0]

    /// The packet of `tick` in `mode`.
    static func packet(_ tick: TickerTick, mode: TickerMode) -> [UInt8] {
        var out: [UInt8] = []
        if mode == .ltp {
            out.reserveCapacity(8)
            put(tick.token, &out)
            put(tick.lastPrice, &out)
        } else if tick.isIndex {
            out.reserveCapacity(32)
            put(tick.token, &out)
            put(tick.lastPrice, &out)
            put(tick.high, &out)
            put(tick.low, &out)
            put(tick.open, &out)
            put(tick.close, &out)
            put(tick.close > 0 ? tick.lastPrice - tick.close : 0, &out)
            if mode == .full { put(tick.time, &out) }
        } else {
            out.reserveCapacity(184)
            put(tick.token, &out)
            put(tick.lastPrice, &out)
            put(tick.lastQuantity, &out)
            put(tick.averagePrice, &out)
            put(tick.volume, &out)
            put(tick.buyQuantity, &out)
            put(tick.sellQuantity, &out)
            put(tick.open, &out)
            put(tick.high, &out)
            put(tick.low, &out)
            put(tick.close, &out)
            if mode == .full {
                put(tick.time, &out)
                put(tick.openInterest, &out)
                put(tick.openInterestDayHigh, &out)
                put(tick.openInterestDayLow, &out)
                put(tick.time, &out)
                let empty = TickerDepthLevel()
                for i in 0..<10 {
                    let side = i < 5 ? tick.buyDepth : tick.sellDepth
                    let level = i % 5 < side.count ? side[i % 5] : empty
                    put(level.quantity, &out)
                    put(level.price, &out)
                    out.append(UInt8(truncatingIfNeeded: level.orders >> 8))
                    out.append(UInt8(truncatingIfNeeded: level.orders))
                    out.append(contentsOf: [0, 0])
                }
            }
        }
        return out
    }

    /// One binary message of `packets` (at most 65535, each shorter than 65536 bytes).
    static func message(_ packets: [[UInt8]]) -> [UInt8] {
        precondition(packets.count <= Int(UInt16.max), "a ticker message holds at most 65535 packets")
        var out: [UInt8] = []
        out.reserveCapacity(2 + packets.reduce(0) { $0 + 2 + $1.count })
        put16(packets.count, &out)
        for packet in packets {
            put16(packet.count, &out)
            out.append(contentsOf: packet)
        }
        return out
    }

    /// A 32-bit big-endian field: its low 32 bits (prices are int32; a volume past 2^32 − 1 wraps,
    /// as it would in Kite's packet).
    static func put(_ value: Int64, _ out: inout [UInt8]) {
        let v = UInt32(truncatingIfNeeded: value)
        out.append(UInt8(truncatingIfNeeded: v >> 24))
        out.append(UInt8(truncatingIfNeeded: v >> 16))
        out.append(UInt8(truncatingIfNeeded: v >> 8))
        out.append(UInt8(truncatingIfNeeded: v))
    }

    static func put16(_ value: Int, _ out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value))
    }
}
