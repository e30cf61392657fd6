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

/// Each importer on real rows, with their quirks.
@Suite struct MarketDataImporterTests {
    let calendar = MarketDataFixtures.calendar
    func at(_ d: String, _ t: String) -> Int64 { MarketDataFixtures.at(d, t) }

    func load(_ name: String, _ format: MarketDataFormat, policy: BadRowPolicy = .skip,
              calendar: TradingCalendar = MarketDataFixtures.calendar, label: BarLabel? = nil,
              zone: MarketZone? = nil) throws -> ImportResult {
        try MarketDataImporter.importFiles([MarketDataFixtures.url(name)],
                                           options: ImportOptions(format: format, symbol: "TEST", label: label, zone: zone, policy: policy,
                                                                  checksSourceSymbol: false),
                                           calendar: calendar)
    }

    func lines(_ r: ImportResult, _ kind: DataProblemKind) -> [Int] {
        r.log.sorted.filter { $0.kind == kind }.map(\.line)
    }

    // MARK: Headerless 1-minute files

    @Test func headerlessIsDetectedEndLabelledISTAndRelabelledToStarts() throws {
        let r = try load("NIFTY50_2021-02-23_24.txt", .headerless)
        let c = try #require(r.files[0].conventions)
        #expect(c.timeframe == .oneMinute)
        #expect(c.label == .end)
        #expect(c.labelSource.hasPrefix("detected"))
        #expect(c.zone == .ist)
        #expect(c.zoneSource.hasPrefix("detected"))
        #expect(r.files[0].sourceSymbol == "NIFTY")
        #expect(r.files[0].rowsRead == 510)
        // The row stamped 09:16 is the bar that started at 09:15; prices exact in paise.
        #expect(r.bars.time[0] == at("2021-02-23", "09:15"))
        #expect(r.bars[0] == Bar(time: at("2021-02-23", "09:15"), open: 1_478_235, high: 1_478_235, low: 1_473_765, close: 1_474_065))
        // The row stamped 15:30 is the last bar, 15:29–15:30.
        let lastOfDay = try #require(r.bars.time.firstIndex(of: at("2021-02-23", "15:29")))
        #expect(r.bars[lastOfDay].close == 1_471_780)
        #expect(r.bars.time[lastOfDay + 1] == at("2021-02-24", "09:15"))
        #expect(r.bars.symbol == "TEST")
    }

    @Test func headerlessPreOpenAndClosingRowsAreDroppedAndReported() throws {
        let r = try load("NIFTY50_2021-02-23_24.txt", .headerless)
        #expect(lines(r, .preOpenRow) == [1, 379])
        #expect(lines(r, .closingRow) == [377, 378])
        #expect(r.log.errorCount == 78)  // the outage day's evening rows, below
        #expect(r.log.count(.notice) == 4)
        #expect(r.bars.count == 375 + 53)
        #expect(r.rowsDropped == 510 - 428)
    }

    @Test func outageDayWithTheNormalCalendarHasAGapAndEveningRowsOutsideTheSession() throws {
        let fail = try load("NIFTY50_2021-02-23_24.txt", .headerless, policy: .fail)
        #expect(!fail.passed)
        let outside = fail.log.sorted.filter { $0.kind == .outsideSession }
        #expect(outside.count == 78)
        #expect(outside.first?.line == 433)
        #expect(outside.first?.message == "bar at 2021-02-24 15:37 IST starts after the session 09:15–15:30 IST has closed")
        #expect(outside.last?.line == 510)
        let gap = try #require(fail.log.sorted.first { $0.kind == .missingBars })
        #expect(gap.bars == 322)
        #expect(gap.message == "2021-02-24: 322 1m bars missing 10:08–15:30 IST")
        #expect(gap.file.hasSuffix("NIFTY50_2021-02-23_24.txt"))

        let skip = try load("NIFTY50_2021-02-23_24.txt", .headerless, policy: .skip)
        #expect(skip.passed)
        #expect(skip.bars.time.last == at("2021-02-24", "10:07"))
    }

    @Test func outageDayWithAnExtendedSessionKeepsTheEveningBars() throws {
        let r = try load("NIFTY50_2021-02-23_24.txt", .headerless, policy: .fail, calendar: MarketDataFixtures.calendarWithOutageSession)
        #expect(r.passed)
        #expect(r.log.errorCount == 0)
        #expect(lines(r, .closingRow) == [377, 378, 509, 510])
        let gaps = r.log.sorted.filter { $0.kind == .missingBars }
        #expect(gaps.map(\.message) == ["2021-02-24: 329 1m bars missing 10:08–15:37 IST", "2021-02-24: 7 1m bars missing 15:38–15:45 IST"])
        #expect(gaps.map(\.line) == [433, 434])
        #expect(r.bars.count == 504)
        #expect(r.bars.time.last == at("2021-02-24", "16:59"))
    }

    @Test func muhuratEveningSessionIsASpecialSession() throws {
        let r = try load("NIFTY50_2021-11-04_muhurat.txt", .headerless, policy: .fail)
        #expect(r.passed)
        #expect(r.files[0].conventions?.label == .end)
        #expect(lines(r, .preOpenRow) == [1])
        #expect(lines(r, .closingRow) == [62, 63])
        #expect(r.bars.count == 60)
        #expect(r.bars.time.first == at("2021-11-04", "18:15"))
        #expect(r.bars.time.last == at("2021-11-04", "19:14"))
        #expect(r.log.count(.gap) == 0)
    }

    @Test func aLabelFlagOverridesDetection() throws {
        let r = try load("NIFTY50_2021-11-04_muhurat.txt", .headerless, policy: .skip, label: .start)
        #expect(r.files[0].conventions?.labelSource == "flag")
        #expect(r.bars.time.first == at("2021-11-04", "18:16"))
    }

    // MARK: ISO CSV

    @Test func isoWithOffsetIsStartLabelledAndKeepsTheMuhuratSession() throws {
        let r = try load("RELIANCE_5minute_2025-10-20_21.csv", .iso, policy: .fail)
        #expect(r.passed)
        #expect(r.log.isEmpty)
        let c = try #require(r.files[0].conventions)
        #expect(c.timeframe == .fiveMinutes)
        #expect(c.label == .start)
        #expect(c.zone == nil)
        #expect(c.zoneSource == "not needed: every timestamp carries its offset")
        #expect(r.bars.count == 87)
        #expect(r.bars[0] == Bar(time: at("2025-10-20", "09:15"), open: 144_000, high: 145_990, low: 143_500, close: 145_600, volume: 240_934))
        let muhurat = r.bars.slice(from: at("2025-10-21", "00:00"), to: at("2025-10-22", "00:00"))
        #expect(muhurat.count == 12)
        #expect(muhurat.time.first == at("2025-10-21", "13:45"))
    }

    @Test func isoNaiveTimestampsAreDetectedISTAndAdjCloseIsNotUsed() throws {
        let r = try load("RELIANCE_15minute_2022-10-31_11-01.csv", .iso, policy: .fail)
        #expect(r.passed)
        let c = try #require(r.files[0].conventions)
        #expect(c.timeframe == .fifteenMinutes)
        #expect(c.zone == .ist)
        #expect(c.zoneSource.hasPrefix("detected"))
        #expect(c.label == .start)
        #expect(r.files[0].notes.contains("columns not used: adj close"))
        #expect(r.bars[0] == Bar(time: at("2022-10-31", "09:15"), open: 253_730, high: 254_910, low: 253_300, close: 253_915))
        #expect(r.bars.count == 50)
    }

    @Test func isoZoneFlagWinsOverDetection() throws {
        let r = try load("RELIANCE_15minute_2022-10-31_11-01.csv", .iso, policy: .skip, zone: .utc)
        #expect(r.files[0].conventions?.zoneSource == "flag")
        // Read as UTC, 09:15 is 14:45 IST: most bars are then after the close.
        #expect(r.log.count(.outsideSession) > 0)
    }

    @Test func isoNaiveUTCDailyExportIsDetectedUTC() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Rows 1 and 5244–5248 of DERIVED_banknifty_daily_export.csv (KagisoNhlapo/Indian-Stock-Markets-Data- @ 24a4fc5).
        let url = try MarketDataFixtures.write("""
            timestamp_utc_in_file,date_ist,open,high,low,close
            2021-02-22 03:45:00,2021-02-22,35874.301,36128.898,35097.551,35257.199
            2021-02-23 03:45:00,2021-02-23,35540.551,35680.852,34976.0,35116.949
            2021-02-24 03:45:00,2021-02-24,35205.398,36567.648,35060.648,36452.301
            2021-02-25 03:45:00,2021-02-25,36763.148,37232.199,36494.0,36549.0
            2021-02-26 03:45:00,2021-02-26,35806.648,35902.898,34658.699,34803.602

            """, "banknifty_daily.csv", in: dir)
        let r = try MarketDataImporter.importFiles([url], options: ImportOptions(format: .iso, symbol: "BANKNIFTY"), calendar: calendar)
        #expect(r.passed)
        let c = try #require(r.files[0].conventions)
        #expect(c.timeframe == .oneDay)
        #expect(c.zone == .utc)
        #expect(r.files[0].notes == ["columns not used: date_ist"])
        #expect(r.bars.time == (22...26).map { at("2021-02-\($0)", "09:15") })
        #expect(r.bars[0] == Bar(time: at("2021-02-22", "09:15"), open: 3_587_430, high: 3_612_890, low: 3_509_755, close: 3_525_720))
        #expect(r.log.count(.roundedPrice) == 5)
    }

    @Test func aCanonicalFileImportsAsISO() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bars = try load("NIFTY50_2021-11-04_muhurat.txt", .headerless).bars
        let url = dir.appending(path: "canonical.csv")
        try CanonicalCSV.write(bars, to: url)
        let again = try MarketDataImporter.importFiles([url], options: ImportOptions(format: .iso, symbol: "TEST"), calendar: calendar)
        #expect(again.passed)
        #expect(again.log.isEmpty)
        #expect(again.files[0].conventions?.label == .start)
        #expect(again.bars == bars)
    }

    // MARK: NSE exports

    @Test func nseExportWithBOMPaddedHeaderAndMonthNames() throws {
        let r = try load("india_vix_2024-06_nse_export.csv", .nse, policy: .fail)
        #expect(r.passed)
        let c = try #require(r.files[0].conventions)
        #expect(c.timeframe == .oneDay)
        #expect(c.label == nil)
        #expect(r.files[0].notes.contains("columns not used: prev. close, change, % change"))
        // A daily bar starts at its session's open; 2024-06-17 (Bakri Id) is a holiday, not a gap.
        #expect(r.bars.time[0] == at("2024-06-14", "09:15"))
        #expect(r.bars.time[1] == at("2024-06-18", "09:15"))
        #expect(r.log.count(.gap) == 0)
        // VIX has four decimals: rounded to the paisa and reported.
        #expect(r.log.count(.roundedPrice) == 10)
        #expect(r.bars[0].open == 1_349)
    }

    @Test func nseExportNewestFirstQuotedIsPutInOrder() throws {
        let r = try load("nifty50_2025-06_nse_export.csv", .nse, policy: .fail)
        #expect(r.passed)
        #expect(r.log.isEmpty)
        #expect(r.files[0].conventions?.newestFirst == true)
        #expect(r.files[0].notes.contains("rows were newest first: put in time order"))
        #expect(r.files[0].sourceSymbol == "NIFTY 50")
        #expect(r.bars.count == 10)
        #expect(r.bars[0] == Bar(time: at("2025-06-02", "09:15"), open: 2_466_970, high: 2_475_440, low: 2_452_615, close: 2_471_660))
        #expect(r.bars.time.last == at("2025-06-13", "09:15"))
        #expect(r.bars.time == r.bars.time.sorted())
    }

    @Test func vixZeroRowsAreRejectedWithFileAndLine() throws {
        let r = try load("india_vix_2021_bad_rows.csv", .nse, policy: .fail)
        #expect(!r.passed)
        #expect(r.files[0].notes.contains("numeric dates read as month/day/year (detected)"))
        let bad = r.log.sorted.filter { $0.kind.severity == .error }
        #expect(bad.map(\.kind) == [.nonPositivePrice, .nonPositivePrice])
        #expect(bad.map(\.line) == [7, 13])
        #expect(bad[0].description.hasSuffix("india_vix_2021_bad_rows.csv:7: non_positive_price: price not positive: open 0.00, high 0.00, low 0.00"))
        // The rejected days become gaps.
        let missing = r.log.sorted.filter { $0.kind == .missingTradingDay }.map(\.message)
        #expect(missing.contains("no bars on 2021-02-12 Friday, a trading day (Normal session 09:15–15:30 IST)"))
        #expect(missing.contains("no bars on 2021-03-30 Tuesday, a trading day (Normal session 09:15–15:30 IST)"))
        // The weeks the excerpt leaves out are one gap (2021-03-11, Mahashivratri, is not counted).
        #expect(missing.contains("no bars on 24 trading days, 2021-02-17 Wednesday … 2021-03-23 Tuesday"))
        #expect(r.log.count(.missingTradingDay) == 3)
        #expect(r.log.bars[.missingTradingDay] == 26)
        // 2021-03-29 is Holi: not a gap.
        #expect(!missing.contains { $0.contains("2021-03-29") })

        let skip = try load("india_vix_2021_bad_rows.csv", .nse, policy: .skip)
        #expect(skip.passed)
        #expect(skip.bars.count == 12)
    }

    // MARK: Kite candles

    @Test func kiteCandlesWithCompactOffset() throws {
        let r = try load("historical_minute.json", .kite, policy: .fail)
        #expect(r.passed)
        let c = try #require(r.files[0].conventions)
        #expect(c.label == .start)
        #expect(c.timeframe == .oneMinute)
        #expect(r.bars.count == 6)
        #expect(r.bars[0] == Bar(time: at("2017-12-15", "09:15"), open: 170_450, high: 170_500, low: 169_925, close: 170_280, volume: 2_499))
        // Only six minutes of the day: the rest of the session is a reported gap, at the last candle's line.
        let gap = try #require(r.log.sorted.first { $0.kind == .missingBars })
        #expect(gap.bars == 369)
        #expect(gap.line == 45)
    }

    @Test func kiteCandlesWithOpenInterest() throws {
        let r = try load("historical_oi.json", .kite, policy: .fail)
        #expect(r.bars.count == 6)
        #expect(r.bars[0] == Bar(time: at("2019-12-04", "09:15"), open: 1_200_990, high: 1_201_935, low: 1_200_125, close: 1_200_150, volume: 163_275))
    }

    @Test func kiteErrorResponseIsNamed() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try MarketDataFixtures.write(#"{"status":"error","message":"Invalid token","error_type":"TokenException"}"#, "err.json", in: dir)
        #expect {
            try MarketDataImporter.importFiles([url], options: ImportOptions(format: .kite, symbol: "X"), calendar: calendar)
        } throws: { error in
            "\(error)".contains("the response is an error: Invalid token")
        }
    }

    /// `market-data fetch` hands Kite's answers to the importer from memory, named by the request.
    @Test func sourcesInMemoryGoThroughTheSameReaderAndChecks() throws {
        let body = try Data(contentsOf: MarketDataFixtures.url("historical_minute.json"))
        let options = ImportOptions(format: .kite, symbol: "X", label: .start, timeframe: .oneMinute, allowsEmptySources: true)
        let r = try MarketDataImporter.importSources(["kite NSE:X minute 2017-12-15"], options: options, calendar: calendar) { _ in [UInt8](body) }
        let file = try load("historical_minute.json", .kite, policy: .fail)
        #expect(r.passed && r.bars.time == file.bars.time && r.bars.open == file.bars.open && r.bars.close == file.bars.close)
        #expect(r.files[0].path == "kite NSE:X minute 2017-12-15")
        #expect(r.log.sorted.first?.file == "kite NSE:X minute 2017-12-15")

        // An answer without candles is noted when allowed, and refused otherwise (an empty file to import).
        let none = Array(#"{"status":"success","data":{"candles":[]}}"#.utf8)
        let empty = try MarketDataImporter.importSources(["kite NSE:X minute 2017-12-16"], options: options, calendar: calendar) { _ in none }
        #expect(empty.bars.isEmpty && empty.log.errorCount == 0 && !empty.passed && empty.files[0].notes == ["no rows"])
        var strict = options
        strict.allowsEmptySources = false
        #expect(throws: MarketDataError.self) {
            try MarketDataImporter.importSources(["kite NSE:X minute 2017-12-16"], options: strict, calendar: calendar) { _ in none }
        }
    }

    // MARK: Ambiguity and several files

    @Test func ambiguousLabelAsksForTheFlag() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 10:00–10:04 only: neither the open nor the close is there.
        let text = "datetime,open,high,low,close\n" + (0..<5).map { "2021-02-23 10:0\($0):00+05:30,100,101,99,100" }.joined(separator: "\n")
        let url = try MarketDataFixtures.write(text, "mid.csv", in: dir)
        #expect(throws: MarketDataError.self) {
            try MarketDataImporter.importFiles([url], options: ImportOptions(format: .iso, symbol: "X"), calendar: calendar)
        }
        do {
            _ = try MarketDataImporter.importFiles([url], options: ImportOptions(format: .iso, symbol: "X"), calendar: calendar)
        } catch let error as MarketDataError {
            #expect(error.exitStatus == .usage)
            #expect(error.description.contains("pass --label start|end"))
        }
        let r = try MarketDataImporter.importFiles([url], options: ImportOptions(format: .iso, symbol: "X", label: .start), calendar: calendar)
        #expect(r.bars.count == 5)
    }

    @Test func severalFilesAreMergedInTimeOrderAndOverlapsReported() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try String(contentsOf: MarketDataFixtures.url("NIFTY50_2021-02-23_24.txt"), encoding: .utf8)
        let rows = source.split(separator: "\n")
        let day1 = try MarketDataFixtures.write(rows[0..<378].joined(separator: "\n") + "\n", "a.txt", in: dir)
        // The second file repeats the last two bars of the first day.
        let day2 = try MarketDataFixtures.write(rows[374..<432].joined(separator: "\n") + "\n", "b.txt", in: dir)
        let r = try MarketDataImporter.importFiles([day2, day1], options: ImportOptions(format: .headerless, symbol: "NIFTY50", policy: .skip),
                                                   calendar: calendar)
        let dups = r.log.sorted.filter { $0.kind == .duplicateTimestamp }
        #expect(dups.count == 2)
        #expect(dups.allSatisfy { $0.file.hasSuffix("b.txt") })
        #expect(dups.first?.line == 1)
        #expect(r.bars.count == 428)
        #expect(r.bars.time == r.bars.time.sorted())
    }

    // MARK: The file's own symbol

    /// A BANKNIFTY file imported as NIFTY50 is refused (exit 65), naming both; NIFTY and NIFTY 50
    /// are names of NIFTY50; the explicit override keeps the bars and says what the file named.
    @Test func aFileOfAnotherSymbolIsRefusedUnlessOverridden() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try String(contentsOf: MarketDataFixtures.url("NIFTY50_2021-02-23_24.txt"), encoding: .utf8)
        let bank = try MarketDataFixtures.write(source.replacingOccurrences(of: "NIFTY,", with: "BANKNIFTY,"), "bank.txt", in: dir)
        do {
            _ = try MarketDataImporter.importFiles([bank], options: ImportOptions(format: .headerless, symbol: "NIFTY50", policy: .skip),
                                                   calendar: calendar)
            Issue.record("a BANKNIFTY file was imported as NIFTY50")
        } catch let error as MarketDataError {
            #expect(error.exitStatus == .dataError)
            #expect(error.description.contains("bank.txt: the rows name 'BANKNIFTY', not NIFTY50 (--symbol): nothing imported"), "\(error)")
            #expect(error.description.contains("--allow-symbol-mismatch"))
        }
        let kept = try MarketDataImporter.importFiles([bank], options: ImportOptions(format: .headerless, symbol: "NIFTY50", policy: .skip,
                                                                                     allowsSymbolMismatch: true), calendar: calendar)
        #expect(kept.passed && kept.bars.count > 0)
        #expect(kept.files[0].notes.contains("the file's rows name 'BANKNIFTY': kept as NIFTY50 (--allow-symbol-mismatch)"))

        let nifty = try MarketDataImporter.importFiles([MarketDataFixtures.url("NIFTY50_2021-02-23_24.txt")],
                                                       options: ImportOptions(format: .headerless, symbol: "NIFTY50", policy: .skip), calendar: calendar)
        #expect(nifty.files[0].sourceSymbol == "NIFTY" && nifty.bars.count > 0)
        #expect(SymbolNames.same("NIFTY 50", "NIFTY50") && SymbolNames.same("Nifty Bank", "BANKNIFTY") && SymbolNames.same("NSE:RELIANCE-EQ", "RELIANCE"))
        #expect(!SymbolNames.same("BANKNIFTY", "NIFTY50") && !SymbolNames.same("NIFTY", "FINNIFTY"))
    }

    /// The iso format's symbol column is checked too, on every row.
    @Test func anISOSymbolColumnIsChecked() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = (0..<3).map { "2021-02-23 09:1\($0 + 5):00+05:30,\($0 == 2 ? "TCS" : "RELIANCE"),100,101,99,100,10" }
        let url = try MarketDataFixtures.write("datetime,symbol,open,high,low,close,volume\n" + rows.joined(separator: "\n") + "\n", "r.csv", in: dir)
        #expect(throws: MarketDataError.symbolMismatch(file: url.relativePath, found: "RELIANCE", expected: "INFY")) {
            try MarketDataImporter.importFiles([url], options: ImportOptions(format: .iso, symbol: "INFY"), calendar: calendar)
        }
        let r = try MarketDataImporter.importFiles([url], options: ImportOptions(format: .iso, symbol: "RELIANCE", label: .start), calendar: calendar)
        #expect(!r.passed)
        #expect(r.log.sorted.contains { $0.line == 4 && $0.message.contains("symbol 'TCS' differs from 'RELIANCE' of the first row") })
    }

    /// An empty file, or one whose every row is dropped, never passes.
    @Test func nothingToImportNeverPasses() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try MarketDataFixtures.write("", "empty.txt", in: dir)
        #expect(throws: MarketDataError.badFile(file: empty.relativePath, message: "no data rows: an empty file has nothing to import")) {
            try MarketDataImporter.importFiles([empty], options: ImportOptions(format: .headerless, symbol: "NIFTY50"), calendar: calendar)
        }
        let headerOnly = try MarketDataFixtures.write("datetime,open,high,low,close\n", "header.csv", in: dir)
        #expect(throws: MarketDataError.self) {
            try MarketDataImporter.importFiles([headerOnly], options: ImportOptions(format: .iso, symbol: "X"), calendar: calendar)
        }
        let garbage = try MarketDataFixtures.write("NIFTY,2021XXXX,09:15,1,1,1,1,0,0\n", "bad.txt", in: dir)
        let r = try MarketDataImporter.importFiles([garbage], options: ImportOptions(format: .headerless, symbol: "NIFTY50", policy: .skip),
                                                   calendar: calendar)
        #expect(r.bars.isEmpty)
        #expect(!r.passed)
    }
}
