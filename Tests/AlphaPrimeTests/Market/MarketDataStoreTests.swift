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

@Suite struct MarketDataStoreTests {
    func at(_ d: String, _ t: String) -> Int64 { MarketDataFixtures.at(d, t) }

    func bars(_ days: [String], minutes: Int = 3) -> BarSeries {
        var s = BarSeries(symbol: "NIFTY50", timeframeSeconds: 60)
        for d in days {
            for m in 0..<minutes {
                let p = Int64(100 + m)
                s.append(Bar(time: at(d, "09:15") + Int64(m) * 60, open: p, high: p, low: p, close: p))
            }
        }
        return s
    }

    @Test func savesOneFilePerYearAndReplacesWholeDays() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = MarketDataStore(home: AlphaPrimeHome(root: dir))
        let saved = try store.save(bars(["2020-12-31", "2021-01-01", "2021-01-04"]), symbol: "NIFTY50")
        #expect(saved.map(\.year) == [2020, 2021])
        #expect(saved.map(\.bars) == [3, 6])
        #expect(saved[1].path.hasSuffix("data/market_data/NIFTY50/1m/2021.csv"))
        #expect(store.years(symbol: "NIFTY50", timeframe: .oneMinute) == [2020, 2021])

        // Re-importing 2021-01-04 with one bar replaces that day; 2021-01-05 is new.
        let again = try store.save(bars(["2021-01-04", "2021-01-05"], minutes: 1), symbol: "NIFTY50")
        #expect(again.count == 1)
        #expect(again[0].daysReplaced == 1)
        #expect(again[0].daysAdded == 1)
        #expect(again[0].bars == 3 + 1 + 1)

        let all = try store.load(symbol: "NIFTY50", timeframe: .oneMinute)
        #expect(all.count == 3 + 5)
        #expect(all.time == all.time.sorted())
        let january = try store.load(symbol: "NIFTY50", timeframe: .oneMinute, from: LocalDate("2021-01-04"), through: LocalDate("2021-01-31"))
        #expect(january.time == [at("2021-01-04", "09:15"), at("2021-01-05", "09:15")])
        // Loads go through the home's cache.
        #expect(FileManager.default.fileExists(atPath: dir.appending(path: "var/cache/market_data").path))
    }

    @Test func refusesNamesThatAreNotFolders() {
        #expect(MarketDataStore.isValidSymbol("NIFTY50"))
        #expect(MarketDataStore.isValidSymbol("M&M"))
        #expect(MarketDataStore.isValidSymbol("BAJAJ-AUTO"))
        #expect(!MarketDataStore.isValidSymbol("../etc"))
        #expect(!MarketDataStore.isValidSymbol("A/B"))
        #expect(!MarketDataStore.isValidSymbol(""))
    }

    @Test func loadingASymbolWithNoFilesIsNoInput() {
        let store = MarketDataStore(root: URL(filePath: "/nonexistent/market_data"), cache: nil)
        #expect {
            try store.load(symbol: "NIFTY50", timeframe: .oneMinute)
        } throws: { ($0 as? MarketDataError)?.exitStatus == .noInput }
    }
}
