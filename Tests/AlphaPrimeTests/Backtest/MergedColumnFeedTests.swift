import Testing
@testable import AlphaPrimeDomain
@testable import AlphaPrimeCore

/// The backtester's merge of several symbols gives the replay feed's order, bar for bar.
@Suite struct MergedColumnFeedTests {
    static func series(_ symbol: String, _ times: [Int64], offset: Int64 = 0) -> BarSeries {
        var s = BarSeries(symbol: symbol, timeframeSeconds: 60)
        for (k, t) in times.enumerated() {
            let p = 10_000 + offset + Int64(k) * 5
            s.append(Bar(time: t, open: p, high: p + 20, low: p - 15, close: p + 5, volume: Int64(k) + offset))
        }
        return s
    }

    static func drain<F: MarketFeed>(_ feed: inout F) -> [MarketEvent] {
        var events: [MarketEvent] = []
        while let event = feed.next() { events.append(event) }
        return events
    }

    @Test func mergesAsTheReplayFeed() {
        let all = [
            Self.series("A", [60, 180, 240, 600]),
            Self.series("B", []),
            Self.series("C", [60, 120, 240, 300], offset: 7),
            Self.series("D", [0, 240, 900], offset: 3),
        ]
        var replay = ReplayFeed(series: all)
        let expected = Self.drain(&replay)
        let merged = Backtester.MergedColumnFeed.withFeed(over: all) { feed in Self.drain(&feed) }
        #expect(merged == expected)
        #expect(merged.count == 11)
        // Ties go by symbol id: at 240, A (0) then C (2) then D (3).
        let at240 = merged.compactMap { event -> SymbolID? in
            guard case .bar(let bar, let symbol) = event, bar.time == 240 else { return nil }
            return symbol
        }
        #expect(at240 == [0, 2, 3])
    }

    @Test func noBarsAtAllEndAtOnce() {
        let merged = Backtester.MergedColumnFeed.withFeed(over: [Self.series("A", []), Self.series("B", [])]) { feed in
            Self.drain(&feed)
        }
        #expect(merged.isEmpty)
    }
}
