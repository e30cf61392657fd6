import AlphaPrimeDomain
@testable import AlphaPrimeKiteSim
import Testing

/// kite-sim's pieces without a server: rupee text, form fields, the candle grid, the fault draw,
/// the built-in instrument list, the strict bar reader.
@Suite struct KiteSimUnitTests {
    @Test func rupeesAreWrittenExactlyFromPaise() {
        #expect(JSON.rupeeText(10_940) == "109.4")
        #expect(JSON.rupeeText(7_200) == "72")
        #expect(JSON.rupeeText(-5) == "-0.05")
        #expect(JSON.rupeeText(1_528_335) == "15283.35")
        #expect(JSON.object([("a", .rupees(0)), ("b", .null), ("c", .string("q\"\n"))]).text == #"{"a":0,"b":null,"c":"q\"\n"}"#)
    }

    @Test func formFieldsKeepRepeatedKeysAndDecodeSpaces() throws {
        let fields = try FormFields(encoded: "i=NSE%3ANIFTY+50&i=NSE:NIFTY%20BANK&price=109.40&empty=")
        #expect(fields.all("i") == ["NSE:NIFTY 50", "NSE:NIFTY BANK"])
        #expect(try fields.rupees("price") == 10_940)
        #expect(try fields.rupees("empty") == nil)
        #expect(throws: KiteAPIError.self) { try fields.required("empty") }
        #expect(throws: KiteAPIError.self) { try FormFields(encoded: "price=1.234").rupees("price") }
        #expect(throws: KiteAPIError.self) { try FormFields(encoded: "bad=%ZZ") }
        #expect(try FormFields(encoded: "p=0.5").rupees("p") == 50)
        #expect(throws: KiteAPIError.self) { try FormFields(encoded: "p=--1").rupees("p") }
    }

    @Test func candlesStartOnTheSessionGrid() {
        let day = LocalDate("2021-02-15")!
        func at(_ h: Int, _ m: Int) -> Int64 { IST.epochSeconds(date: day, secondOfDay: (h * 60 + m) * 60) }
        #expect(Candles.bucketStart(at(9, 19), interval: .fiveMinute) == at(9, 15))
        #expect(Candles.bucketStart(at(10, 14), interval: .sixtyMinute) == at(9, 15))
        #expect(Candles.bucketStart(at(15, 29), interval: .sixtyMinute) == at(15, 15))
        #expect(Candles.bucketStart(at(9, 8), interval: .fiveMinute) == at(9, 5))
        #expect(Candles.bucketStart(at(12, 0), interval: .day) == at(0, 0))
        #expect(CandleInterval.allCases.map(\.maximumDays) == [60, 100, 100, 100, 200, 200, 400, 2000])
    }

    @Test func aPlacementsFaultIsPickedFromTheStackedRates() {
        var s = FaultSettings()
        s.place503Rate = 0.1; s.place504Rate = 0.2; s.placeTimeout400Rate = 0.3; s.placeDropRate = 0.1
        #expect(PlacementFault.pick(0.05, settings: s) == .unavailable503)
        #expect(PlacementFault.pick(0.1, settings: s) == .gateway504)
        #expect(PlacementFault.pick(0.59, settings: s) == .timeout400)
        #expect(PlacementFault.pick(0.65, settings: s) == .drop)
        #expect(PlacementFault.pick(0.71, settings: s) == nil)
        var a = SeededDraws(seed: 9), b = SeededDraws(seed: 9)
        let draws = (0..<100).map { _ in a.unit() }
        #expect(draws == (0..<100).map { _ in b.unit() } && draws.allSatisfy { (0..<1).contains($0) })
    }

    @Test func faultSettingsAreCheckedByName() throws {
        var s = FaultSettings()
        try s.set("token_expires_at", to: "+30", now: 1_000)
        #expect(s.tokenExpiresAt == 1_030)
        try s.set("token-expires-at", to: "2021-02-15 15:30", now: 0)
        #expect(s.tokenExpiresAt == IST.epochSeconds(date: LocalDate("2021-02-15")!, secondOfDay: 55_800))
        #expect(throws: FaultSettingError.self) { try s.set("place-503-rate", to: "-0.1", now: 0) }
        #expect(throws: FaultSettingError.self) { try s.set("latency", to: "5", now: 0) }
    }

    @Test func theBuiltInInstrumentListIsWhole() throws {
        let list = try SimInstrumentList(csv: DefaultInstruments.csv, file: "built-in")
        #expect(list.count == 104)
        let nifty = try #require(list.index(exchange: "NSE", tradingsymbol: "NIFTY").map { list.instruments[$0] })
        #expect(nifty.tickSize == 5 && nifty.isTradable && nifty.dataFolder == "NIFTY50")
        let index = try #require(list.index(token: 260105).map { list.instruments[$0] })
        #expect(!index.isTradable && index.dataFolder == "BANKNIFTY")
        #expect(throws: InstrumentListError.self) {
            try SimInstrumentList(csv: SimInstrumentList.header + "\n1,1,A,A,0,,0,0.05,1,EQ,NSE,NSE\n2,2,A,A,0,,0,0.05,1,EQ,NSE,NSE\n", file: "twice")
        }
        #expect(SimInstrumentList.fields("1,\"A, B\",\"say \"\"hi\"\"\"") == ["1", "A, B", "say \"hi\""])
        #expect(SimInstrumentList.fields("1,A\"B") == nil)
        #expect(SimInstrumentList.rupeeAmount("0.0500") == 5 && SimInstrumentList.rupeeAmount("0.0025") == nil)
    }

    @Test func barFilesAreReadStrictly() throws {
        let good = "timestamp,open,high,low,close,volume\n2021-02-15T03:45:00Z,15247.60,15292.90,15243.40,15283.35,0\n"
        let bars = try BarFiles.parse(good, file: "f", symbol: "NIFTY50")
        #expect(bars.count == 1 && bars[0].open == 1_524_760 && bars[0].time == 1_613_360_700)
        for (text, line) in [
            ("time,open,high,low,close,volume\n", 1),
            (good + "2021-02-15T03:45:00Z,1.00,1.00,1.00,1.00,0\n", 3),
            (good + "2021-02-15T03:46:00Z,15247.6,15292.90,15243.40,15283.35,0\n", 3),
            (good + "2021-02-15 03:46:00Z,15247.60,15292.90,15243.40,15283.35,0\n", 3),
            (good + "2021-02-15T03:46:00Z,15247.60,15200.00,15243.40,15283.35,0\n", 3),
        ] {
            #expect(throws: BarFileError.self) { try BarFiles.parse(text, file: "f", symbol: "X") }
            do { _ = try BarFiles.parse(text, file: "f", symbol: "X") } catch { #expect(error.line == line) }
        }
    }
}
