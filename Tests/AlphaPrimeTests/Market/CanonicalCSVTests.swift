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

@Suite struct CanonicalCSVTests {
    func at(_ d: String, _ t: String) -> Int64 { MarketDataFixtures.at(d, t) }

    func read(_ text: String, zone: MarketZone? = nil) throws -> BarSeries {
        try CanonicalCSV.read(bytes: Array(text.utf8), file: "bars.csv", options: CanonicalCSV.Options(naiveZone: zone))
    }

    func badRow(_ text: String) -> (line: Int, message: String)? {
        do {
            _ = try read(text)
            return nil
        } catch let MarketDataError.badRow(file, line, message) {
            #expect(file == "bars.csv")
            return (line, message)
        } catch {
            return nil
        }
    }

    @Test func writesBarStartsAsUTCAndPricesWithTwoDecimals() throws {
        var s = BarSeries(symbol: "NIFTY50", timeframeSeconds: 60)
        s.append(Bar(time: at("2021-02-23", "09:15"), open: 1_478_235, high: 1_478_235, low: 1_473_765, close: 1_474_065))
        s.append(Bar(time: at("2021-02-23", "09:16"), open: 5, high: 1_000, low: 5, close: 990, volume: 1_234_567))
        let text = String(decoding: CanonicalCSV.encode(s), as: UTF8.self)
        #expect(text == """
            timestamp,open,high,low,close,volume
            2021-02-23T03:45:00Z,14782.35,14782.35,14737.65,14740.65,0
            2021-02-23T03:46:00Z,0.05,10.00,0.05,9.90,1234567

            """)
    }

    @Test func roundTripOfRealBarsIsExact() throws {
        let imported = try MarketDataImporter.importFiles(
            [MarketDataFixtures.url("NIFTY50_2021-02-23_24.txt")],
            options: ImportOptions(format: .headerless, symbol: "NIFTY50", policy: .skip), calendar: MarketDataFixtures.calendar).bars
        let back = try CanonicalCSV.read(bytes: CanonicalCSV.encode(imported), file: "x.csv",
                                         options: CanonicalCSV.Options(symbol: "NIFTY50"))
        #expect(back == imported)
    }

    @Test func readsOffsetsNaiveTimesWithAZoneAndEpochSeconds() throws {
        let expected = [at("2021-02-23", "09:15"), at("2021-02-23", "09:16"), at("2021-02-23", "09:17"), at("2021-02-23", "09:18")]
        let withOffsets = try read("""
            datetime,open,high,low,close,volume\r
            2021-02-23 09:15:00+05:30,14782.35,14782.35,14737.65,14740.65,0\r
            2021-02-23T09:16:00+0530,100,101,99,100.5,7\r
            2021-02-23T03:47:00Z,100,101,99,100.5,7\r
            1614052080,100,101,99,100.5,7\r

            """)
        #expect(withOffsets.time == expected)
        #expect(withOffsets.open[0] == 1_478_235)
        #expect(withOffsets.close[1] == 10_050)
        #expect(withOffsets.volume[1] == 7)
        #expect(withOffsets.timeframeSeconds == 60)

        let naive = "\u{FEFF}Timestamp,Open,High,Low,Close\n2021-02-23 09:15:00,100,101,99,100\n2021-02-23 09:16:00,100,101,99,100\n"
        #expect(try read(naive, zone: .ist).time == Array(expected[0..<2]))
        #expect(try read(naive, zone: .utc).time == [at("2021-02-23", "14:45"), at("2021-02-23", "14:46")])
        #expect(try read(naive, zone: .ist).volume == [0, 0])
    }

    @Test func naiveTimesWithoutAZoneAskForOne() {
        #expect {
            try read("timestamp,open,high,low,close,volume\n2021-02-23 09:15:00,100,101,99,100,0\n")
        } throws: { error in
            guard let e = error as? MarketDataError, case .ambiguous = e else { return false }
            return e.description == "bars.csv: line 2: timestamp '2021-02-23 09:15:00' has no zone: say which with --zone ist or --zone utc"
                && e.exitStatus == .usage
        }
    }

    @Test func everyBadRowNamesItsLine() {
        let head = "timestamp,open,high,low,close,volume\n2021-02-23T03:45:00Z,100,101,99,100,0\n"
        #expect(badRow(head + "2021-02-23T03:46:00Z,abc,101,99,100,0\n")?.line == 3)
        #expect(badRow(head + "2021-02-23T03:46:00Z,100,101,99,100\n")?.message.hasPrefix("expected 6 fields") == true)
        #expect(badRow(head + "2021-02-23T03:46:00Z,100,101,99,100,0,1\n")?.message.hasPrefix("expected 6 fields") == true)
        #expect(badRow(head + "2021-02-23T03:46:00Z,100.005,101,99,100,0\n")?.message.hasPrefix("a price has more than two decimals") == true)
        #expect(badRow(head + "2021-02-23T03:46:00Z,100,98,99,100,0\n")?.message == "high 98.00 is below low 99.00")
        #expect(badRow(head + "2021-02-23T03:46:00Z,0,101,99,100,0\n")?.message == "price not positive: open 0.00")
        #expect(badRow(head + "2021-02-23T03:46:00Z,100,101,99,102,0\n")?.message == "close 102.00 is outside [low 99.00, high 101.00]")
        #expect(badRow(head + "2021-02-23T03:46:00Z,100,101,99,100,-5\n")?.message == "volume -5 is negative")
        #expect(badRow(head + "2021-02-23T03:45:00Z,100,101,99,100,0\n")?.message == "timestamp 2021-02-23T03:45:00Z repeats the row before")
        #expect(badRow(head + "2021-02-23T03:44:00Z,100,101,99,100,0\n")?.message == "timestamp 2021-02-23T03:44:00Z is earlier than the row before (2021-02-23T03:45:00Z)")
        #expect(badRow(head + "2021-02-23,100,101,99,100,0\n")?.line == 3)
        #expect(badRow("time,o,h,l,c\n")?.line == 1)
        let rounded = try? CanonicalCSV.read(bytes: Array((head + "2021-02-23T03:46:00Z,100.005,101,99,100,0\n").utf8), file: "bars.csv",
                                             options: CanonicalCSV.Options(roundSubPaisa: true))
        #expect(rounded?.open.last == 10_001)
    }

    @Test func symbolAndTimeframeComeFromTheCanonicalLayout() throws {
        let identity = CanonicalCSV.layoutIdentity(path: "/home/ap/data/market_data/NIFTY50/5m/2021.csv")
        #expect(identity.symbol == "NIFTY50")
        #expect(identity.timeframe == .fiveMinutes)
        #expect(CanonicalCSV.layoutIdentity(path: "/tmp/bars.csv").symbol == nil)
        let daily = try read("timestamp,open,high,low,close,volume\n2021-02-22T03:45:00Z,1,1,1,1,0\n2021-02-23T03:45:00Z,1,1,1,1,0\n2021-02-26T03:45:00Z,1,1,1,1,0\n")
        #expect(daily.timeframeSeconds == 86_400)
        #expect(daily.symbol == "bars")
    }

    @Test func readingInPiecesGivesTheSameBarsLinesAndChecksum() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = "\u{FEFF}timestamp,open,high,low,close,volume\r\n"
        for m in 0..<300 {
            text += "\(UTCText.iso(at("2021-02-23", "09:15") + Int64(m) * 60)),100.\(m % 100 < 10 ? "0" : "")\(m % 100),101,99,100,\(m)\r\n"
            if m == 150 { text += "\n   \n" }
        }
        text += "2021-02-23T09:00:00Z,100,101,99,100,\(String(repeating: "1", count: 18))"  // a last line without a newline
        let url = try MarketDataFixtures.write(text, "bars.csv", in: dir)
        var wholeLog = ProblemLog()
        let whole = try CanonicalCSV.scan(Array(text.utf8), file: url.path, options: .init(), strict: false, log: &wholeLog)
        for chunk in [64, 100, 4_096] {
            var log = ProblemLog()
            let pieces = try CanonicalCSV.scan(path: url.path, options: .init(), strict: false, log: &log, hashing: true, chunkSize: chunk)
            #expect(pieces.bars.series == whole.series)
            #expect(pieces.bars.lines == whole.lines)
            #expect(pieces.checksum == FNV1a64.hash(Array(text.utf8)))
        }
        #expect(whole.series.count == 301)
        #expect(whole.lines.last == 304)
        #expect(whole.series.volume.last == 111_111_111_111_111_111)
    }

    @Test func aMissingFileIsNoInput() {
        #expect {
            try CanonicalCSV.read(url: URL(filePath: "/nonexistent/bars.csv"))
        } throws: { error in
            (error as? MarketDataError)?.exitStatus == .noInput
        }
    }
}
