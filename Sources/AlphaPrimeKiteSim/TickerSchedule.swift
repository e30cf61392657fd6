import AlphaPrimeDomain

/// An instrument the ticker streams: its token, whether it is an index, its bars of the day and the
/// previous day's close (0 when unknown).
struct TickerInstrument: Sendable {
    var token: Int64
    var isIndex: Bool
    var bars: [Bar]
    var previousClose: Int64
}

/// One day's 1-minute bars as ticks (docs/kite-sim.md, "The ticker").
///
/// Each bar at minute M becomes exactly four ticks: its open at M+0s, its two extremes at M+15s and
/// M+30s, its close at M+45s. The extremes come in the order of the shorter path through the bar: a
/// bar that closes above its open goes open → low → high → close, one that closes below its open
/// open → high → low → close, one that closes at its open visits the nearer extreme first (the high
/// when they are as near). The paper fill model takes the open first (market orders fill there) and
/// the whole range after it (the rest of the bar), and never decides which extreme came first (its
/// conservative rule fills a stop before a target instead); this path agrees with both.
///
/// The bar's volume is traded over its ticks: a quarter (rounded down) at each of the first three,
/// the rest at the close, so the day's volume at a bar's close tick less that at the previous bar's
/// close tick is the bar's volume, exactly. The average price is the day's volume-weighted price
/// of the ticks so far (the last price before any volume), rounded to the paisa.
struct TickerSchedule: Sendable {
    /// Seconds after a bar's start of its four ticks.
    static let offsets: [Int64] = [0, 15, 30, 45]

    /// A tick with its packet in each mode, encoded once.
    struct EncodedTick: Sendable {
        var tick: TickerTick
        var ltp: [UInt8]
        var quote: [UInt8]
        var full: [UInt8]

        init(_ tick: TickerTick) {
            self.tick = tick
            ltp = TickerPackets.packet(tick, mode: .ltp)
            quote = TickerPackets.packet(tick, mode: .quote)
            full = TickerPackets.packet(tick, mode: .full)
        }

        func packet(_ mode: TickerMode) -> [UInt8] {
            switch mode {
            case .ltp: ltp
            case .quote: quote
            case .full: full
            }
        }
    }

    /// Every instrument's tick of one instant, by token.
    struct Instant: Sendable {
        var time: Int64
        var ticks: [EncodedTick]
    }

    let date: LocalDate
    /// In time order.
    let instants: [Instant]

    init(date: LocalDate, instruments: [TickerInstrument]) {
        self.date = date
        var byTime: [Int64: [TickerTick]] = [:]
        for instrument in instruments {
            for tick in Self.ticks(of: instrument) { byTime[tick.time, default: []].append(tick) }
        }
        instants = byTime.keys.sorted().map { time in
            Instant(time: time, ticks: byTime[time]!.sorted { $0.token < $1.token }.map(EncodedTick.init))
        }
    }

    var isEmpty: Bool { instants.isEmpty }
    var tickCount: Int { instants.reduce(0) { $0 + $1.ticks.count } }

    /// The four prices of a bar in the order the ticker shows them.
    static func path(_ bar: Bar) -> [Int64] {
        let highFirst: Bool
        if bar.close != bar.open {
            highFirst = bar.close < bar.open
        } else {
            highFirst = bar.high - bar.open <= bar.open - bar.low
        }
        return highFirst ? [bar.open, bar.high, bar.low, bar.close] : [bar.open, bar.low, bar.high, bar.close]
    }

    /// The quantities traded at a bar's four ticks: a quarter of its volume (rounded down) at each
    /// of the first three, the rest at the close.
    static func quantities(_ volume: Int64) -> [Int64] {
        let quarter = volume / 4
        return [quarter, quarter, quarter, volume - 3 * quarter]
    }

    /// An instrument's ticks, in time order.
    static func ticks(of instrument: TickerInstrument) -> [TickerTick] {
        var ticks: [TickerTick] = []
        ticks.reserveCapacity(instrument.bars.count * 4)
        var open: Int64 = 0, high: Int64 = 0, low: Int64 = 0
        var volume: Int64 = 0, value: Int64 = 0
        for bar in instrument.bars {
            let prices = path(bar), quantities = instrument.isIndex ? [0, 0, 0, 0] : Self.quantities(bar.volume)
            for k in 0..<4 {
                let price = prices[k], quantity = quantities[k]
                if ticks.isEmpty {
                    open = price; high = price; low = price
                } else {
                    high = max(high, price); low = min(low, price)
                }
                volume += quantity
                value += quantity * price
                let average = volume > 0 ? (value + volume / 2) / volume : price
                ticks.append(TickerTick(
                    token: instrument.token, isIndex: instrument.isIndex, time: bar.time + offsets[k], lastPrice: price,
                    lastQuantity: quantity, averagePrice: instrument.isIndex ? 0 : average, volume: volume,
                    open: open, high: high, low: low, close: instrument.previousClose))
            }
        }
        return ticks
    }

    /// The index of the first instant at or after `time`.
    func firstInstant(atOrAfter time: Int64) -> Int {
        var lo = 0, hi = instants.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if instants[mid].time < time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
