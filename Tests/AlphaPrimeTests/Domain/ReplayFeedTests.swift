import Testing
@testable import AlphaPrimeDomain

/// The replay feed merges recorded bars of several symbols into one stream: by time, ties by symbol id.
@Suite struct ReplayFeedTests {
    static func series(_ symbol: String, _ times: [Int64]) -> BarSeries {
        var s = BarSeries(symbol: symbol, timeframeSeconds: 60)
        for t in times { s.append(Bar(time: t, open: t, high: t, low: t, close: t)) }
        return s
    }

    @Test func mergesByTimeThenSymbolId() {
        var feed = ReplayFeed(series: [Self.series("A", [60, 180, 240]), Self.series("B", []), Self.series("C", [60, 120, 240, 300])])
        #expect(feed.remaining == 7)
        var seen: [String] = []
        while let event = feed.next() {
            guard case .bar(let bar, let symbol) = event else { Issue.record("a replay gives bars only"); continue }
            seen.append("\(bar.time)/\(symbol)")
        }
        #expect(seen == ["60/0", "60/2", "120/2", "180/0", "240/0", "240/2", "300/2"])
        #expect(feed.remaining == 0)
        #expect(feed.next() == nil)
    }

    @Test func anEmptyReplayEndsAtOnce() {
        var feed = ReplayFeed(series: [])
        #expect(feed.nextBar() == nil)
    }
}
