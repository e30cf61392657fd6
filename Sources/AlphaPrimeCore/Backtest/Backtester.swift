import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Equity at the close of one trading day (IST).
public struct DailyEquity: Sendable, Equatable, Codable {
    public var date: LocalDate
    public var equity: Int64
    public var realizedPnL: Int64
    public var charges: Int64
}

/// Everything a backtest produced: the trades, the day-by-day equity, the orders and refusals.
public struct BacktestOutcome<S: Strategy>: Sendable {
    public var core: TradingCore<S>
    public var dailyEquity: [DailyEquity]
    public var barsProcessed: Int
    /// Bars processed while at least one position was open (exposure).
    public var barsWithPosition: Int
    public var firstBarTime: Int64
    public var lastBarTime: Int64

    public var trades: [ClosedTrade] { core.ledger.closedTrades }
    public var ledger: Ledger { core.ledger }
}

/// Session open and close (UTC epoch seconds) for an IST date, or nil when it is not a trading day.
public typealias SessionLookup = @Sendable (LocalDate) -> (open: Int64, close: Int64)?

/// Runs a trading core over recorded bars with a simulated broker: the backtest host of the one
/// ``SessionLoop``.
///
/// Bars of several symbols are merged by time (ties by symbol id) by the ``ReplayFeed``. For every
/// bar: working orders fill against it (``FillModel``), protective orders placed by those fills are
/// checked against the rest of the bar, then the strategies see the closed bar and their approved
/// orders go to the broker for the next bar.
///
/// **The session's end is the clock's, not the data's** (the loop's session-close rule). When a
/// session ends (the next bar is of a later day, or the data ends) with an intraday (MIS) position
/// open, it is squared off as the broker's auto square-off would, whether or not a bar came after
/// the square-off time: a square-off order fills at the session's last known price (the last close
/// of its symbol), stamped with the session's last bar; orders still working then expire at the
/// close. The engine runs the same loop, so both give the same trades. A carry product (NRML, CNC)
/// is never squared off: after the last bar its orders are cancelled ("end of data"), so a signal on
/// the last bar never trades, and a position still open is left open and reported as such.
public enum Backtester {
    public static func run<S: Strategy>(
        core initialCore: TradingCore<S>, series: [BarSeries], broker initialBroker: SimulatedBroker,
        sessions: SessionLookup? = nil, progress: (@Sendable (_ processed: Int, _ total: Int) -> Void)? = nil
    ) -> BacktestOutcome<S> {
        precondition(series.count == initialCore.instruments.count, "one bar series per instrument")
        var host = Host(core: initialCore, broker: initialBroker, sessions: sessions, progress: progress,
                        total: series.reduce(0) { $0 + $1.count })
        // Room for an order every 16 bars: reserved, not touched, so a run that trades less pays nothing.
        host.core.reserveOrders(min(host.total / 16, 1 << 22))
        host.core.start()
        if series.count == 1 {
            // One symbol: nothing to merge; its columns are walked through buffer pointers.
            let only = series[0]
            only.time.withUnsafeBufferPointer { t in
                only.open.withUnsafeBufferPointer { o in
                    only.high.withUnsafeBufferPointer { h in
                        only.low.withUnsafeBufferPointer { l in
                            only.close.withUnsafeBufferPointer { c in
                                only.volume.withUnsafeBufferPointer { v in
                                    var feed = ColumnFeed(time: t, open: o, high: h, low: l, close: c, volume: v)
                                    _ = SessionLoop.run(feed: &feed, host: &host)
                                }
                            }
                        }
                    }
                }
            }
        } else {
            // Several symbols: merged as ``ReplayFeed`` merges them, from columns read through pointers.
            MergedColumnFeed.withFeed(over: series) { feed in
                _ = SessionLoop.run(feed: &feed, host: &host)
            }
        }
        return host.finish()
    }

    /// One symbol's bars as a feed, read through buffer pointers valid for the run (no merge, no
    /// bounds checks in the hot loop).
    struct ColumnFeed: MarketFeed {
        let time, open, high, low, close, volume: UnsafeBufferPointer<Int64>
        var position = 0

        @inline(__always)
        mutating func next() -> MarketEvent? {
            let i = position
            guard i < time.count else { return nil }
            position = i + 1
            return .bar(Bar(time: time[i], open: open[i], high: high[i], low: low[i], close: close[i], volume: volume[i]), symbol: 0)
        }
    }

    /// Several symbols' bars merged by time, ties by symbol id: the order of ``ReplayFeed``, read
    /// through buffer pointers valid for the run. Each symbol's cursor, column pointers and next bar
    /// time sit together in one lane, so choosing and reading the next bar touches no array header
    /// (the replay's six headers per symbol are pushed out of the cache by the columns streaming past).
    struct MergedColumnFeed: MarketFeed {
        struct Lane {
            var time, open, high, low, close, volume: UnsafePointer<Int64>
            var count: Int
            var cursor = 0
            /// The time of the lane's next bar; `Int64.max` once it has none.
            var nextTime: Int64
        }

        let lanes: UnsafeMutableBufferPointer<Lane>

        @inline(__always)
        mutating func next() -> MarketEvent? {
            var symbol = -1
            var best = Int64.max
            for s in 0..<lanes.count where lanes[s].nextTime < best {
                best = lanes[s].nextTime
                symbol = s
            }
            guard symbol >= 0 else { return nil }
            let lane = lanes[symbol]
            let i = lane.cursor
            lanes[symbol].cursor = i + 1
            lanes[symbol].nextTime = i + 1 < lane.count ? lane.time[i + 1] : .max
            return .bar(Bar(time: lane.time[i], open: lane.open[i], high: lane.high[i], low: lane.low[i],
                            close: lane.close[i], volume: lane.volume[i]), symbol: symbol)
        }

        /// Runs `body` with a feed over `series`; the pointers are valid only inside it.
        static func withFeed<R>(over series: [BarSeries], _ body: (inout MergedColumnFeed) -> R) -> R {
            let lanes = UnsafeMutableBufferPointer<Lane>.allocate(capacity: series.count)
            defer { lanes.deallocate() }
            // Each column's pointer is taken inside the closures of the ones before it, so all are
            // valid where the body runs.
            func pin(_ s: Int) -> R {
                if s == series.count {
                    var feed = MergedColumnFeed(lanes: lanes)
                    return body(&feed)
                }
                let bars = series[s]
                return bars.time.withUnsafeBufferPointer { t in
                    bars.open.withUnsafeBufferPointer { o in
                        bars.high.withUnsafeBufferPointer { h in
                            bars.low.withUnsafeBufferPointer { l in
                                bars.close.withUnsafeBufferPointer { c in
                                    bars.volume.withUnsafeBufferPointer { v in
                                        let count = t.count
                                        precondition([o.count, h.count, l.count, c.count, v.count].allSatisfy { $0 == count },
                                                     "the columns of a bar series have one length")
                                        (lanes.baseAddress! + s).initialize(to: Lane(
                                            time: Self.base(t), open: Self.base(o), high: Self.base(h), low: Self.base(l),
                                            close: Self.base(c), volume: Self.base(v), count: count,
                                            nextTime: count > 0 ? t[0] : .max))
                                        return pin(s + 1)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return pin(0)
        }

        /// A column's first element; an empty column (never read) points at a placeholder.
        private static func base(_ column: UnsafeBufferPointer<Int64>) -> UnsafePointer<Int64> {
            column.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Int64>.alignment)!
        }
    }

    /// The backtest's side of the loop: the simulated broker as a value, the day-by-day equity.
    struct Host<S: Strategy>: SessionHost {
        typealias Failure = Never

        var core: TradingCore<S>
        var broker: SimulatedBroker
        let sessions: SessionLookup?
        let progress: (@Sendable (Int, Int) -> Void)?
        let total: Int
        var fills: [Fill] = []
        var daily: [DailyEquity] = []
        var sessionOpen: Int64 = -1
        var sessionEnd: Int64 = -1
        var processed = 0
        var withPosition = 0
        var firstTime: Int64 = 0
        var lastTime: Int64 = 0

        init(core: TradingCore<S>, broker: SimulatedBroker, sessions: SessionLookup?,
             progress: (@Sendable (Int, Int) -> Void)?, total: Int) {
            self.core = core; self.broker = broker; self.sessions = sessions; self.progress = progress; self.total = total
            fills.reserveCapacity(8)
        }

        var nextClockEvent: Int64 { core.nextClockEvent }
        var sessionClose: Int64? { sessionOpen >= 0 ? sessionEnd : nil }

        @inline(__always)
        mutating func minuteBegins(_ minute: Int64, previous: Int64?) -> Bool { true }

        @inline(__always)
        mutating func bar(_ bar: Bar, symbol: SymbolID) {
            if processed == 0 { firstTime = bar.time }
            processed += 1
            if let progress, processed & 0x3FFFF == 0 { progress(processed, total) }
            lastTime = bar.time

            // Requests can wait only after fills (more rounds than ``deliver`` routes) or when the
            // core acted on the bar.
            var mayHaveRequests = false
            if broker.hasWorkingOrders {
                fills.removeAllKeepingCapacity()
                broker.processBar(bar, symbol: symbol, fills: &fills)
                deliver(&fills, to: &core, broker: &broker, bar: bar, symbol: symbol)
                mayHaveRequests = true
            }
            if sessionOpen >= 0 {
                core.setSessionPosition(minutesSinceOpen: Int((bar.time - sessionOpen) / 60),
                                        minutesToClose: Int((sessionEnd - bar.time) / 60))
            }
            if core.ledger.openPositionCount > 0 { withPosition += 1 }
            if core.onBar(bar, symbol: symbol) { mayHaveRequests = true }
            if mayHaveRequests && core.hasRequests {
                route(&core, &broker, time: bar.time)
            }
        }

        mutating func sessionOpens(day: Int64) {
            core.startDay()
            if let sessions, let session = sessions(LocalDate(daysSinceEpoch: Int(day))) {
                sessionOpen = session.open; sessionEnd = session.close
            } else {
                sessionOpen = -1; sessionEnd = -1
                core.setSessionPosition(minutesSinceOpen: -1, minutesToClose: -1)
            }
        }

        /// The clock reached `time` between bars (the square-off instant): the core acts on it and
        /// the orders it makes go to the broker, to fill from the next bar.
        mutating func clockReached(_ time: Int64) {
            core.onClock(time: time)
            if core.hasRequests { route(&core, &broker, time: time) }
        }

        mutating func feedEnded(lastMinute: Int64?) -> Bool { true }

        /// Intraday (MIS) positions are squared off at the last known price of their symbol, stamped
        /// with the session's last bar. A carry product keeps its positions.
        mutating func squareOffAtClose(lastBarTime: Int64?) {
            guard core.product == .mis, let time = lastBarTime, core.ledger.openPositionCount > 0 else { return }
            core.flattenAll(time: time)
            if core.hasRequests { route(&core, &broker, time: time) }
            for symbol in 0..<core.instruments.count where broker.hasWorkingOrders {
                let price = core.ledger.lastPrice[symbol]
                guard price > 0 else { continue }
                let last = Bar(time: time, open: price, high: price, low: price, close: price)
                fills.removeAllKeepingCapacity()
                broker.processBar(last, symbol: symbol, fills: &fills)
                deliver(&fills, to: &core, broker: &broker, bar: last, symbol: symbol)
            }
        }

        /// Orders of an intraday product still working expire at the close; a carry product's stay.
        mutating func expireWorkingOrders(at close: Int64) {
            guard core.product == .mis else { return }
            for order in broker.working {
                broker.cancel(orderID: order.id)
                core.orderCancelled(order.id, reason: "expired at the close", time: close)
            }
        }

        mutating func sessionClosed(day: Int64) {
            daily.append(closeOfDay(day, core.ledger))
        }

        mutating func finish() -> BacktestOutcome<S> {
            for order in broker.working {
                broker.cancel(orderID: order.id)
                core.orderCancelled(order.id, reason: "end of data", time: lastTime)
            }
            core.stop()
            return BacktestOutcome(core: core, dailyEquity: daily, barsProcessed: processed,
                                   barsWithPosition: withPosition, firstBarTime: firstTime, lastBarTime: lastTime)
        }
    }

    /// Days since 1970-01-01 of the IST date of a UTC instant.
    @inline(__always)
    static func istDay(_ time: Int64) -> Int64 { RiskManager.istDay(time) }

    static func closeOfDay(_ day: Int64, _ ledger: Ledger) -> DailyEquity {
        DailyEquity(date: LocalDate(daysSinceEpoch: Int(day)), equity: ledger.equity,
                    realizedPnL: ledger.realizedPnL, charges: ledger.totalCharges)
    }

    /// Fills go to the core; protective orders they cause are checked against the rest of the bar.
    static func deliver<S: Strategy>(_ fills: inout [Fill], to core: inout TradingCore<S>, broker: inout SimulatedBroker,
                                     bar: Bar, symbol: SymbolID) {
        var rounds = 0
        while !fills.isEmpty {
            for fill in fills { core.onFill(fill) }
            if broker.hasCancelledByOCO {
                for id in broker.takeCancelledByOCO() { core.orderCancelled(id, reason: "OCO sibling filled", time: bar.time) }
            }
            fills.removeAllKeepingCapacity()
            guard core.hasRequests else { break }
            route(&core, &broker, time: bar.time)
            rounds += 1
            if rounds > 4 { break }
            broker.processRestOfBar(bar, symbol: symbol, fills: &fills)
        }
    }

    static func route<S: Strategy>(_ core: inout TradingCore<S>, _ broker: inout SimulatedBroker, time: Int64) {
        if !core.cancelRequests.isEmpty {
            for id in core.cancelRequests where broker.cancel(orderID: id) {
                core.orderCancelled(id, reason: "cancelled by engine", time: time)
            }
            core.cancelRequests.removeAllKeepingCapacity()
        }
        if !core.modifyRequests.isEmpty {
            for m in core.modifyRequests where !broker.modify(orderID: m.id, triggerPrice: m.trigger) {
                core.stopModifyRefused(m.id, previous: m.previous)
            }
            core.modifyRequests.removeAllKeepingCapacity()
        }
        for order in core.outbox {
            broker.submit(order)
            core.orderAccepted(order.id, time: time)
        }
        core.outbox.removeAllKeepingCapacity()
    }
}
