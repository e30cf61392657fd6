import Foundation
import Testing
@testable import AlphaPrimeDomain
@testable import AlphaPrimeStore
@testable import AlphaPrimeKite

/// The instrument master in the state database (migration 6), the same tests on SQLite and PostgreSQL.
@Suite struct InstrumentStoreTests {
    static let day = LocalDate(year: 2026, month: 1, day: 12)!

    /// Kite's instrument CSVs in the fixtures, as the store keeps them.
    static func records(_ name: String, in folder: String = "kiteconnect-mocks") throws -> [InstrumentRecord] {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appending(path: folder).appending(path: name)
        return try KiteInstrument.parseCSV(String(contentsOf: url, encoding: .utf8), file: name).map(\.record)
    }

    /// Every exchange's mock rows plus the index and futures rows the mocks lack.
    static func masterList() throws -> [InstrumentRecord] {
        try records("instruments_all.csv") + records("instruments_indices.csv", in: "kite") + records("instruments_nfo_futures.csv", in: "kite")
    }

    @Test(arguments: TestBackend.enabled)
    func aDownloadedListRoundTrips(_ backend: TestBackend) throws {
        let list = try Self.masterList()
        try TestDatabases.withMigrated(backend) { repository throws in
            try repository.replaceInstruments(list, exchange: nil, downloadedOn: Self.day)
            for record in list {
                #expect(try repository.instrument(token: record.instrumentToken) == record)
            }
            #expect(try repository.instruments(InstrumentQuery()).count == list.count)
            let counts = try repository.instrumentLists()
            #expect(counts.map { "\($0.exchange)/\($0.segment)=\($0.count)" } == [
                "BSE/BSE=19", "NFO/NFO-FUT=7", "NFO/NFO-OPT=27", "NSE/INDICES=4", "NSE/NSE=55",
            ])
            #expect(counts.allSatisfy { $0.downloadedOn == Self.day })
            #expect(try repository.instrument(token: 1) == nil)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func lookUpsMatchEveryFieldGivenInExpiryOrder(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            try repository.replaceInstruments(try Self.masterList(), exchange: nil, downloadedOn: Self.day)
            let nifty = try repository.instruments(InstrumentQuery(exchange: "NSE", tradingsymbol: "NIFTY 50"))
            #expect(nifty.map(\.instrumentToken) == [256265])
            #expect(nifty.first?.expiry == nil && nifty.first?.segment == "INDICES" && nifty.first?.lotSize == 0)
            let futures = try repository.instruments(InstrumentQuery(exchange: "NFO", segment: "NFO-FUT", name: "NIFTY", instrumentType: "FUT"))
            #expect(futures.map(\.tradingsymbol) == ["NIFTY25DECFUT", "NIFTY26JANFUT", "NIFTY26FEBFUT", "NIFTY26MARFUT"])
            let fromFeb = try repository.instruments(InstrumentQuery(exchange: "NFO", name: "NIFTY", instrumentType: "FUT",
                                                                     expiringOnOrAfter: LocalDate(year: 2026, month: 1, day: 28)!))
            #expect(fromFeb.map(\.tradingsymbol) == ["NIFTY26FEBFUT", "NIFTY26MARFUT"])
            // The expiry day itself is still "on or after".
            let onExpiry = try repository.instruments(InstrumentQuery(name: "BANKNIFTY", expiringOnOrAfter: LocalDate(year: 2026, month: 1, day: 27)!))
            #expect(onExpiry.first?.tradingsymbol == "BANKNIFTY26JANFUT")
            let call = try #require(try repository.instruments(InstrumentQuery(tradingsymbol: "NIFTY26JAN24000CE")).first)
            #expect(call.strike == Paise(2_400_000) && call.tickSize == Paise(5) && call.lotSize == 65)
            let bse = try repository.instruments(InstrumentQuery(segment: "BSE"))
            #expect(bse.count == 19 && bse.allSatisfy { $0.exchange == "BSE" })
        }
    }

    @Test(arguments: TestBackend.enabled)
    func aDownloadReplacesOnlyItsExchangeInOneTransaction(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            try repository.replaceInstruments(try Self.masterList(), exchange: nil, downloadedOn: Self.day)
            let nse = try Self.records("instruments_nse.csv")
            let later = Self.day.adding(days: 1)
            try repository.replaceInstruments(nse, exchange: "NSE", downloadedOn: later)
            let counts = Dictionary(uniqueKeysWithValues: try repository.instrumentLists().map { ("\($0.exchange)/\($0.segment)", $0) })
            // The NSE list replaced the NSE rows (the indices were in the old NSE list only) ...
            #expect(counts["NSE/NSE"]?.count == nse.count && counts["NSE/NSE"]?.downloadedOn == later)
            #expect(counts["NSE/INDICES"] == nil)
            // ... and left the other exchanges as they were.
            #expect(counts["NFO/NFO-FUT"]?.count == 7 && counts["NFO/NFO-FUT"]?.downloadedOn == Self.day)
            #expect(counts["BSE/BSE"]?.count == 19)

            // A list holding another exchange's row is refused whole: nothing changes.
            var mixed = nse
            mixed.append(try Self.records("instruments_indices.csv", in: "kite")[0])
            mixed[mixed.count - 1].exchange = "BSE"
            let error = storeError { try repository.replaceInstruments(mixed, exchange: "NSE", downloadedOn: later.adding(days: 1)) }
            #expect(error?.kind == .invalidValue && error?.description.contains("BSE") == true)
            // A duplicate token fails inside the transaction: the delete is rolled back too.
            let duplicate = storeError { try repository.replaceInstruments(nse + [nse[0]], exchange: "NSE", downloadedOn: later.adding(days: 1)) }
            #expect(duplicate?.kind == .uniqueViolation)
            #expect(try repository.instruments(InstrumentQuery(exchange: "NSE")).count == nse.count)
            #expect(try repository.instrumentLists().first { $0.exchange == "NSE" }?.downloadedOn == later)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func largeListsAreInsertedInBatches(_ backend: TestBackend) throws {
        // More rows than one INSERT takes, with the last batch partial.
        let count = StateRepository.instrumentInsertBatch * 3 + 17
        let list = (0..<count).map { i in
            InstrumentRecord(instrumentToken: Int64(1_000_000 + i), exchangeToken: Int64(i), tradingsymbol: "SYM\(i)",
                             name: "NAME \(i)", expiry: i % 2 == 0 ? nil : Self.day.adding(days: i % 60),
                             strike: i % 3 == 0 ? nil : Paise(Int64(i) * 5), tickSize: i % 5 == 0 ? nil : Paise(5),
                             lotSize: Int64(i % 100), instrumentType: "EQ", segment: "NSE", exchange: "NSE")
        }
        try TestDatabases.withMigrated(backend) { repository throws in
            try repository.replaceInstruments(list, exchange: "NSE", downloadedOn: Self.day)
            let back = try repository.instruments(InstrumentQuery(exchange: "NSE"))
            #expect(back.count == count)
            #expect(Set(back) == Set(list))
        }
    }

    @Test func pricesFinerThanAPaisaAreKeptAsUnknownNotRounded() throws {
        let header = KiteInstrument.columns.joined(separator: ",")
        let text = "\(header)\n412675,1612,USDINR26JANFUT,USDINR,0.0,2026-01-28,0.0,0.0025,1,FUT,CDS-FUT,CDS\n"
            + "412931,1613,USDINR26JAN84.25CE,USDINR,0.0,2026-01-28,84.25,0.0025,1,CE,CDS-OPT,CDS\n"
        let records = try KiteInstrument.parseCSV(text, file: "cds.csv").map(\.record)
        #expect(records[0].tickSize == nil && records[0].strike == Paise(0))
        #expect(records[1].strike == Paise(8_425) && records[1].tickSize == nil)
        try TestDatabases.withMigrated(.sqlite) { repository throws in
            try repository.replaceInstruments(records, exchange: "CDS", downloadedOn: Self.day)
            #expect(try repository.instrument(token: 412675)?.tickSize == nil)
            #expect(try repository.instrument(token: 412931) == records[1])
        }
    }
}
