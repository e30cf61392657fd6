/// Kite Connect v3's ticker protocol (`wss://ws.kite.trade`): the binary market-data messages, the
/// text messages, and the requests a client sends (docs/kite.md, "The ticker protocol").
///
/// A binary message is a 2-byte big-endian packet count, then for each packet a 2-byte big-endian
/// length and the packet. A packet's length says its layout:
///
/// | bytes | layout |
/// |---:|---|
/// | 8 | LTP: token, last price |
/// | 28 | index quote: token, last price, high, low, open, close, change |
/// | 32 | index full: the index quote, exchange timestamp |
/// | 44 | quote: token, last price, last traded quantity, average traded price, volume, total buy and sell quantity, open, high, low, close |
/// | 184 | full: the quote, last trade time, OI, OI day high, OI day low, exchange timestamp, then 10 depth entries of 12 bytes (5 buy, then 5 sell: quantity int32, price int32, orders int16, 2 bytes padding) |
///
/// Every field is a 4-byte big-endian integer. Prices (and the index change) are read as signed
/// (Kite documents int32; an MCX contract can trade below zero); quantities, volumes, open interest
/// and timestamps as unsigned (never negative, and a day's volume may pass 2^31), as Kite's own
/// clients read them; depth orders as an unsigned 16-bit integer.
///
/// The decoder reads the `[UInt8]` in place, checks every read against the message's length and
/// never traps: an unknown packet length, a packet or length field running past the end, or bytes
/// left after the last packet throw `KiteTickerDecodeError` with the offending byte offset.
public enum KiteTickerCodec {
    /// The packet lengths Kite sends.
    public enum PacketLength {
        public static let ltp = 8
        public static let indexQuote = 28
        public static let indexFull = 32
        public static let quote = 44
        public static let full = 184
        /// All of them, shortest first.
        public static let all = [ltp, indexQuote, indexFull, quote, full]
    }

    /// Decodes one binary WebSocket message: a heartbeat (exactly 1 byte) or a frame of packets
    /// (`.ticks`, possibly empty when the count is 0).
    public static func decode(binary bytes: [UInt8]) throws(KiteTickerDecodeError) -> KiteTickerMessage {
        let size = bytes.count
        if size == 1 { return .heartbeat }
        guard size >= 2 else { throw KiteTickerDecodeError(offset: 0, reason: "an empty binary message") }
        let count = Int(bytes[0]) << 8 | Int(bytes[1])
        var ticks: [KiteTick] = []
        // Never trust the count for the allocation: a packet takes at least 10 bytes with its length.
        ticks.reserveCapacity(min(count, (size - 2) / (2 + PacketLength.ltp)))
        var offset = 2
        for number in stride(from: 1, through: count, by: 1) {
            guard size - offset >= 2 else {
                throw KiteTickerDecodeError(
                    offset: offset,
                    reason: "packet \(number) of \(count): its 2-byte length runs past the end of the \(size)-byte message")
            }
            let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            guard PacketLength.all.contains(length) else {
                throw KiteTickerDecodeError(
                    offset: offset,
                    reason: "packet \(number) of \(count): unknown packet length \(length) (Kite sends 8, 28, 32, 44 or 184)")
            }
            let start = offset + 2
            guard size - start >= length else {
                throw KiteTickerDecodeError(
                    offset: start,
                    reason: "packet \(number) of \(count): \(length) bytes declared, \(size - start) left in the \(size)-byte message")
            }
            ticks.append(packet(PacketReader(bytes: bytes, start: start), length: length))
            offset = start + length
        }
        guard offset == size else {
            throw KiteTickerDecodeError(
                offset: offset, reason: "\(size - offset) byte(s) after the last of \(count) packet(s)")
        }
        return .ticks(ticks)
    }

    /// Decodes one packet on its own (no count, no length field): 8, 28, 32, 44 or 184 bytes.
    public static func decode(packet bytes: [UInt8]) throws(KiteTickerDecodeError) -> KiteTick {
        guard PacketLength.all.contains(bytes.count) else {
            throw KiteTickerDecodeError(
                offset: 0, reason: "unknown packet length \(bytes.count) (Kite sends 8, 28, 32, 44 or 184)")
        }
        return packet(PacketReader(bytes: bytes, start: 0), length: bytes.count)
    }

    /// The tick of a packet of a known `length` whose bytes all lie within the message.
    static func packet(_ r: PacketReader, length: Int) -> KiteTick {
        let token = r.uint32(0)
        switch length {
        case PacketLength.ltp:
            return KiteTick(instrumentToken: token, mode: .ltp, lastPrice: r.signed(4))
        case PacketLength.indexQuote, PacketLength.indexFull:
            return KiteTick(
                instrumentToken: token, mode: length == PacketLength.indexFull ? .full : .quote,
                lastPrice: r.signed(4), isIndex: true,
                open: r.signed(16), high: r.signed(8), low: r.signed(12), close: r.signed(20), change: r.signed(24),
                exchangeTimestamp: length == PacketLength.indexFull ? r.unsigned(28) : nil)
        default:  // quote (44) or full (184)
            var tick = KiteTick(
                instrumentToken: token, mode: .quote, lastPrice: r.signed(4),
                lastTradedQuantity: r.unsigned(8), averageTradedPrice: r.signed(12), volumeTraded: r.unsigned(16),
                totalBuyQuantity: r.unsigned(20), totalSellQuantity: r.unsigned(24),
                open: r.signed(28), high: r.signed(32), low: r.signed(36), close: r.signed(40))
            guard length == PacketLength.full else { return tick }
            tick.mode = .full
            tick.lastTradeTime = r.unsigned(44)
            tick.openInterest = r.unsigned(48)
            tick.openInterestDayHigh = r.unsigned(52)
            tick.openInterestDayLow = r.unsigned(56)
            tick.exchangeTimestamp = r.unsigned(60)
            tick.buyDepth = r.depth(at: 64)
            tick.sellDepth = r.depth(at: 64 + 5 * 12)
            return tick
        }
    }

    /// Reads big-endian integers at offsets within one packet. Every caller has checked that the
    /// packet's `length` bytes from `start` lie within `bytes`, and reads only below that length.
    struct PacketReader {
        let bytes: [UInt8]
        let start: Int

        @inline(__always) func uint32(_ at: Int) -> UInt32 {
            let i = start + at
            return UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
        }

        @inline(__always) func signed(_ at: Int) -> Int64 { Int64(Int32(bitPattern: uint32(at))) }

        @inline(__always) func unsigned(_ at: Int) -> Int64 { Int64(uint32(at)) }

        @inline(__always) func uint16(_ at: Int) -> Int64 {
            let i = start + at
            return Int64(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
        }

        /// Five 12-byte depth entries from `at`.
        func depth(at: Int) -> [KiteDepthEntry] {
            var entries: [KiteDepthEntry] = []
            entries.reserveCapacity(5)
            for level in 0..<5 {
                let e = at + level * 12
                entries.append(KiteDepthEntry(quantity: unsigned(e), price: signed(e + 4), orders: uint16(e + 8)))
            }
            return entries
        }
    }
}

// MARK: - Encoding

extension KiteTickerCodec {
    /// The binary message Kite would send for `ticks` (for tests and local servers): each tick in
    /// the layout of its mode (the index layouts for an index tick that carries no last traded
    /// quantity), fields it lacks as 0, values truncated to their 32 (orders: 16) bits, depth cut or
    /// padded to five levels a side. Decoding the result gives back the ticks of any message that
    /// decoded. At most 65,535 ticks fit in one message.
    public static func encode(_ ticks: [KiteTick]) -> [UInt8] {
        precondition(ticks.count <= Int(UInt16.max), "a ticker message holds at most 65,535 packets")
        var out: [UInt8] = []
        out.reserveCapacity(2 + ticks.count * (2 + PacketLength.full))
        out.append16(ticks.count)
        for tick in ticks {
            let packet = encode(packet: tick)
            out.append16(packet.count)
            out.append(contentsOf: packet)
        }
        return out
    }

    /// One packet (no length field) for `tick`.
    public static func encode(packet tick: KiteTick) -> [UInt8] {
        var p: [UInt8] = []
        p.reserveCapacity(PacketLength.full)
        p.append32(Int64(tick.instrumentToken))
        p.append32(tick.lastPrice)
        switch (tick.mode, tick.isIndex && tick.lastTradedQuantity == nil) {
        case (.ltp, _):
            break
        case (.quote, true), (.full, true):
            for v in [tick.high, tick.low, tick.open, tick.close, tick.change] { p.append32(v ?? 0) }
            if tick.mode == .full { p.append32(tick.exchangeTimestamp ?? 0) }
        case (.quote, false), (.full, false):
            for v in [tick.lastTradedQuantity, tick.averageTradedPrice, tick.volumeTraded, tick.totalBuyQuantity,
                      tick.totalSellQuantity, tick.open, tick.high, tick.low, tick.close] { p.append32(v ?? 0) }
            guard tick.mode == .full else { break }
            for v in [tick.lastTradeTime, tick.openInterest, tick.openInterestDayHigh, tick.openInterestDayLow,
                      tick.exchangeTimestamp] { p.append32(v ?? 0) }
            for side in [tick.buyDepth, tick.sellDepth] {
                for level in 0..<5 {
                    let entry = level < side.count ? side[level] : KiteDepthEntry(quantity: 0, price: 0, orders: 0)
                    p.append32(entry.quantity)
                    p.append32(entry.price)
                    p.append16(Int(truncatingIfNeeded: entry.orders))
                    p.append16(0)
                }
            }
        }
        return p
    }
}

extension [UInt8] {
    fileprivate mutating func append16(_ value: Int) {
        let v = UInt16(truncatingIfNeeded: value)
        append(UInt8(truncatingIfNeeded: v >> 8))
        append(UInt8(truncatingIfNeeded: v))
    }

    fileprivate mutating func append32(_ value: Int64) {
        let v = UInt32(truncatingIfNeeded: value)
        append(UInt8(truncatingIfNeeded: v >> 24))
        append(UInt8(truncatingIfNeeded: v >> 16))
        append(UInt8(truncatingIfNeeded: v >> 8))
        append(UInt8(truncatingIfNeeded: v))
    }
}
