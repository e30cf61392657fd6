import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

@Suite struct BarCacheTests {
    func realBars() throws -> BarSeries {
        try MarketDataImporter.importFiles([MarketDataFixtures.url("NIFTY50_2021-02-23_24.txt")],
                                           options: ImportOptions(format: .headerless, symbol: "NIFTY50", policy: .skip),
                                           calendar: MarketDataFixtures.calendar).bars
    }

    @Test func roundTripEqualsTheSourceAndSecondLoadIsAHit() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appending(path: "data/market_data/NIFTY50/1m/2021.csv")
        try CanonicalCSV.write(try realBars(), to: source)
        let cache = BarCache(directory: dir.appending(path: "var/cache/market_data"))

        let first = try cache.loadReporting(csv: source)
        #expect(first.outcome == .rebuilt(reason: "no cache entry"))
        let second = try cache.loadReporting(csv: source)
        #expect(second.outcome == .hit)
        let direct = try CanonicalCSV.read(url: source)
        #expect(second.series == direct)
        #expect(first.series == direct)
        #expect(second.series.symbol == "NIFTY50")
        #expect(second.series.timeframeSeconds == 60)
        // Header, then six columns of Int64.
        let entry = cache.entryURL(for: source)
        let size = try FileManager.default.attributesOfItem(atPath: entry.path)[.size] as? Int
        #expect(size == 72 + 8 + direct.count * 48)
    }

    @Test func aChangedSourceInvalidatesTheEntry() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appending(path: "bars.csv")
        let bars = try realBars()
        try CanonicalCSV.write(bars, to: source)
        let cache = BarCache(directory: dir.appending(path: "cache"))
        _ = try cache.load(csv: source)

        // Fewer bars: a different size.
        let shorter = bars.slice(from: bars.time[0], to: bars.time[100])
        try CanonicalCSV.write(shorter, to: source)
        let afterShrink = try cache.loadReporting(csv: source)
        guard case .rebuilt(let reason) = afterShrink.outcome else { Issue.record("expected a rebuild"); return }
        #expect(reason.hasPrefix("source changed (size"))
        #expect(afterShrink.series.count == 100)

        // Same size, one digit changed: the checksum notices.
        var text = try String(contentsOf: source, encoding: .utf8)
        text = text.replacingOccurrences(of: "14782.35,14782.35,14737.65,14740.65", with: "14782.35,14782.35,14737.65,14740.75")
        try Data(text.utf8).write(to: source)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 5)], ofItemAtPath: source.path)
        let afterEdit = try cache.loadReporting(csv: source)
        #expect(afterEdit.outcome == .rebuilt(reason: "source changed (checksum differs)"))
        #expect(afterEdit.series.close[0] == 1_474_075)
        #expect(try cache.loadReporting(csv: source).outcome == .hit)
    }

    @Test func aTouchedButUnchangedSourceKeepsItsEntry() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appending(path: "bars.csv")
        try CanonicalCSV.write(try realBars(), to: source)
        let cache = BarCache(directory: dir.appending(path: "cache"))
        _ = try cache.load(csv: source)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: source.path)
        #expect(try cache.loadReporting(csv: source).outcome == .hitAfterChecksum)
        #expect(try cache.loadReporting(csv: source).outcome == .hit)
    }

    @Test func aDamagedEntryIsRebuilt() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appending(path: "bars.csv")
        let bars = try realBars()
        try CanonicalCSV.write(bars, to: source)
        let cache = BarCache(directory: dir.appending(path: "cache"))
        _ = try cache.load(csv: source)
        let entry = cache.entryURL(for: source)

        var bytes = try Data(contentsOf: entry)
        bytes.removeLast(8)
        try bytes.write(to: entry)
        #expect(try cache.loadReporting(csv: source).outcome == .rebuilt(reason: "cache entry length does not match its header"))

        bytes = try Data(contentsOf: entry)
        bytes[0] = UInt8(ascii: "X")
        try bytes.write(to: entry)
        let again = try cache.loadReporting(csv: source)
        #expect(again.outcome == .rebuilt(reason: "cache entry has a wrong magic number"))
        #expect(again.series == bars.withSymbol("bars"))
    }

    @Test func readOptionsHaveTheirOwnEntries() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try MarketDataFixtures.write("timestamp,open,high,low,close,volume\n2021-02-23 09:15:00,100,101,99,100,0\n", "naive.csv", in: dir)
        let cache = BarCache(directory: dir.appending(path: "cache"))
        let ist = try cache.load(csv: source, options: CanonicalCSV.Options(naiveZone: .ist))
        let utc = try cache.load(csv: source, options: CanonicalCSV.Options(naiveZone: .utc))
        #expect(ist.time[0] == utc.time[0] - IST.offsetSeconds)
        #expect(try cache.loadReporting(csv: source, options: CanonicalCSV.Options(naiveZone: .ist)).outcome == .hit)
    }
}

extension BarSeries {
    func withSymbol(_ symbol: String) -> BarSeries {
        var copy = self
        copy.symbol = symbol
        return copy
    }
}
