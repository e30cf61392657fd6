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

/// Every problem kind, each with its file and line, through `MarketDataVerifier` on canonical files.
@Suite struct BarValidatorTests {
    static let text = """
        timestamp,open,high,low,close,volume
        2021-02-23T03:45:00Z,100.00,101.00,99.00,100.50,10
        2021-02-23T03:46:00Z,0.00,101.00,99.00,100.50,10
        2021-02-23T03:47:00Z,100.00,98.00,99.00,100.50,10
        2021-02-23T03:48:00Z,102.00,101.00,99.00,100.50,10
        2021-02-23T03:49:00Z,100.00,101.00,99.00,98.50,10
        2021-02-23T03:50:00Z,100.00,101.00,99.00,100.50,-1
        2021-02-23T03:50:00Z,100.00,101.00,99.00,100.50,1
        2021-02-23T03:50:00Z,100.00,101.00,99.00,100.50,1
        2021-02-23T03:49:00Z,100.00,101.00,99.00,100.50,1
        2021-02-23T03:51:30Z,100.00,101.00,99.00,100.50,1
        2021-02-23T10:00:00Z,100.00,101.00,99.00,100.50,1
        2021-01-26T03:45:00Z,100.00,101.00,99.00,100.50,1
        not a row
        2021-02-23T03:52:00Z,100.005,101.00,99.00,100.50,1
        2021-02-25T03:45:00Z,100.00,101.00,99.00,100.50,1

        """

    func verify(_ text: String, calendar: TradingCalendar? = MarketDataFixtures.calendar, policy: BadRowPolicy = .fail,
                gapsFail: Bool = false) throws -> VerifyResult {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try MarketDataFixtures.write(text, "TEST/1m/2021.csv", in: dir)
        return try MarketDataVerifier.verify([url], calendar: calendar, policy: policy, gapsFail: gapsFail)
    }

    @Test func everyKindIsReportedAtItsLine() throws {
        let r = try verify(Self.text)
        let found = r.log.sorted.map { "\($0.line) \($0.kind.rawValue)" }
        #expect(found == [
            "3 non_positive_price",
            "4 high_below_low",
            "5 open_outside_range",
            "6 close_outside_range",
            "7 negative_volume",
            "8 missing_bars",  // 09:16–09:20 (the bad rows), noticed at the next good bar
            "8 missing_bars",  // 09:21–15:30, after the day's last good bar
            "9 duplicate_timestamp",
            "10 out_of_order",
            "11 misaligned_time",
            "12 outside_session",
            "13 non_trading_day",
            "14 unparsable",
            "15 sub_paisa_price",
            "16 missing_trading_day",  // 2021-02-24, noticed at the next bar
            "16 missing_bars",
        ])
        #expect(!r.passed)
        #expect(r.log.errorCount == 12)
        #expect(r.files[0].barsPassed == 3)
        #expect(r.files[0].rowsRead == 15)
        #expect(r.files[0].symbol == "TEST")
        #expect(r.calendarChecked)
    }

    @Test func messagesSayWhatIsWrong() throws {
        let r = try verify(Self.text)
        func message(_ line: Int, _ kind: DataProblemKind) -> String? {
            r.log.sorted.first { $0.line == line && $0.kind == kind }?.message
        }
        #expect(message(9, .duplicateTimestamp) == "bar at 2021-02-23 09:20 IST repeats line 8")
        #expect(message(10, .outOfOrder) == "bar at 2021-02-23 09:19 IST comes after 2021-02-23 09:20 IST (line 8)")
        #expect(message(11, .misalignedTime) == "bar at 2021-02-23 09:21:30 IST is not on the 1m grid from the open 09:15")
        #expect(message(12, .outsideSession) == "bar at 2021-02-23 15:30 IST starts after the session 09:15–15:30 IST has closed")
        #expect(message(13, .nonTradingDay) == "bar at 2021-01-26 09:15 IST: 2021-01-26 is an exchange holiday: Republic Day")
        #expect(message(16, .missingTradingDay) == "no bars on 2021-02-24 Wednesday, a trading day (Normal session 09:15–15:30 IST)")
        let gaps = r.log.sorted.filter { $0.kind == .missingBars }.map(\.message)
        #expect(gaps == ["2021-02-23: 4 1m bars missing 09:16–09:20 IST", "2021-02-23: 369 1m bars missing 09:21–15:30 IST",
                         "2021-02-25: 374 1m bars missing 09:16–15:30 IST"])
        let summary = r.log
        #expect(summary.count(.missingBars) == 3)
        #expect(summary.bars[.missingBars] == 4 + 369 + 374)
    }

    @Test func skipPolicyPassesAndKeepsTheGoodBars() throws {
        let r = try verify(Self.text, policy: .skip)
        #expect(r.passed)
        #expect(r.log.errorCount == 12)
    }

    @Test func gapsFailOnlyWhenAsked() throws {
        let clean = "timestamp,open,high,low,close,volume\n2021-02-23T03:45:00Z,100,101,99,100,0\n"
        let warn = try verify(clean)
        #expect(warn.passed)
        #expect(warn.log.count(.gap) == 1)
        let fail = try verify(clean, gapsFail: true)
        #expect(!fail.passed)
    }

    @Test func withoutACalendarOnlyRowsAndOrderAreChecked() throws {
        let r = try verify(Self.text, calendar: nil)
        #expect(!r.calendarChecked)
        let kinds = Set(r.log.problems.map(\.kind))
        #expect(kinds.isDisjoint(with: [.outsideSession, .nonTradingDay, .misalignedTime, .missingBars, .missingTradingDay]))
        #expect(kinds.isSuperset(of: [.nonPositivePrice, .duplicateTimestamp, .outOfOrder, .unparsable]))
    }

    @Test func aCleanDayPasses() throws {
        let imported = try MarketDataImporter.importFiles(
            [MarketDataFixtures.url("NIFTY50_2021-11-04_muhurat.txt")],
            options: ImportOptions(format: .headerless, symbol: "NIFTY50"), calendar: MarketDataFixtures.calendar)
        let r = try verify(String(decoding: CanonicalCSV.encode(imported.bars), as: UTF8.self))
        #expect(r.passed)
        #expect(r.log.isEmpty)
        #expect(r.files[0].barsPassed == 60)
    }

    @Test func problemsAreCountedBeyondTheOnesKept() {
        var log = ProblemLog(keepPerKind: 2)
        for line in 1...5 { log.record(.outOfOrder, file: "f", line: line, "m") }
        #expect(log.count(.outOfOrder) == 5)
        #expect(log.problems.count == 2)
        #expect(log.problems.map(\.description) == ["f:1: out_of_order: m", "f:2: out_of_order: m"])
    }
}
