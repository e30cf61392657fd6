import AlphaPrimeSupport
import AlphaPrimeDomain

extension SessionRun {
    /// At most this often (on the engine's monotonic clock) the live state goes to the cache.
    static var liveCacheInterval: Duration { .seconds(1) }

    /// Hands the live state to the cache (``liveCache``), at most once per ``liveCacheInterval``
    /// unless `force`d; never while catching up (the state being rebuilt is not the live one).
    func publishLiveState(force: Bool = false, status: String? = nil) {
        guard let liveCache, !inCatchUp, mode != .monitor else { return }
        let now = clock.monotonic()
        if !force, let last = lastLiveCachePublish, now - last < Self.liveCacheInterval { return }
        lastLiveCachePublish = now
        let l = core.ledger
        var positions: [LiveStateSnapshot.Position] = []
        for (i, book) in l.books.enumerated() where book.quantity != 0 {
            let last = l.lastPrice[book.symbol]
            let unrealized = book.quantity > 0 ? book.quantity * last - book.openValue : book.openValue + book.quantity * last
            positions.append(.init(strategy: core.strategies[i].name, symbol: core.instruments[book.symbol].symbol, quantity: book.quantity,
                                   averagePrice: book.openValue / max(1, abs(book.quantity)), lastPrice: last, unrealizedPnL: unrealized))
        }
        var prices: [String: Int64] = [:]
        for (s, price) in l.lastPrice.enumerated() where price > 0 { prices[core.instruments[s].symbol] = price }
        let realized = l.closedTrades.reduce(Int64(0)) { $0 + $1.netPnL }
        let halted = core.entriesHaltedReason
        liveCache.sink.publish(LiveStateSnapshot(
            mode: tradingMode, status: status ?? (halted.map { "entries halted: \($0)" } ?? "trading"), pid: liveCache.pid,
            heartbeatAt: clock.now().microseconds / 1_000_000, marketTime: currentMinute > 0 ? currentMinute : nil,
            sessionDate: plan.date.description, realizedPnL: realized, unrealizedPnL: l.unrealizedPnL, charges: l.totalCharges,
            equity: l.equity, trades: l.closedTrades.count, positions: positions, prices: prices, entriesHalted: halted))
    }
}
