import Foundation
import Testing
@testable import AlphaPrimeDomain
@testable import AlphaPrimeCore
@testable import AlphaPrimeStore
@testable import AlphaPrimeKite

/// Configured instruments and typed symbols resolved through the instrument master: the Kite mocks
/// (NSE and BSE equities, NFO options) plus the index and futures rows they lack.
@Suite struct InstrumentResolverTests {
    static let nifty = InstrumentConfig(symbol: "NIFTY 50", tradingSymbol: "NIFTY", exchange: .NSE, segment: .indices,
                                        lotSize: 65, tickSizePaise: 5, freezeQuantity: 1800)
    static let bankNifty = InstrumentConfig(symbol: "BANKNIFTY", tradingSymbol: "BANKNIFTY", exchange: .NSE, segment: .indices,
                                            lotSize: 30, tickSizePaise: 5, freezeQuantity: 900)
    static let january = LocalDate(year: 2026, month: 1, day: 12)!

    func withMaster<T>(_ body: (InstrumentResolver) throws -> T) throws -> T {
        try TestDatabases.withMigrated(.sqlite) { repository throws in
            try repository.replaceInstruments(try InstrumentStoreTests.masterList(), exchange: nil, downloadedOn: Self.january)
            return try body(InstrumentResolver(store: repository))
        }
    }

    @Test func indicesResolveToTheirIndexTokensAndAreCheckedAgainstTheNearestMonthlyFuture() throws {
        try withMaster { resolver throws in
            let nifty = try resolver.resolve(Self.nifty, on: Self.january)
            #expect(nifty.priceInstrument?.instrumentToken == 256265 && nifty.priceInstrument?.tradingsymbol == "NIFTY 50")
            #expect(nifty.contract?.tradingsymbol == "NIFTY26JANFUT")
            #expect(nifty.disagreements.isEmpty && nifty.notes.isEmpty)

            // BANKNIFTY is NIFTY BANK at the exchange.
            let bank = try resolver.resolve(Self.bankNifty, on: Self.january)
            #expect(bank.priceInstrument?.instrumentToken == 260105 && bank.priceInstrument?.tradingsymbol == "NIFTY BANK")
            #expect(bank.contract?.tradingsymbol == "BANKNIFTY26JANFUT" && bank.disagreements.isEmpty)
        }
    }

    @Test func aLotSizeTheMasterContradictsIsReported() throws {
        try withMaster { resolver throws in
            // In December 2025 the current contracts still had the old lots (75, 35).
            let december = LocalDate(year: 2025, month: 12, day: 15)!
            let nifty = try resolver.resolve(Self.nifty, on: december)
            #expect(nifty.contract?.tradingsymbol == "NIFTY25DECFUT")
            #expect(nifty.disagreements == [InstrumentDisagreement(symbol: "NIFTY 50", field: .lotSize, configured: 65, master: 75,
                                                                   contract: "NFO:NIFTY25DECFUT")])
            #expect(nifty.disagreements[0].description
                == "NIFTY 50: lot_size is 65 in general_config.yaml but 75 for NFO:NIFTY25DECFUT in the instrument master")
            // After the December expiry (2025-12-30) the January contract is the nearest.
            #expect(try resolver.resolve(Self.nifty, on: LocalDate(year: 2025, month: 12, day: 31)!).disagreements.isEmpty)
            var tick = Self.bankNifty
            tick.tickSizePaise = 10
            #expect(try resolver.resolve(tick, on: Self.january).disagreements.map(\.field) == [.tickSize])
        }
    }

    @Test func futuresResolveToTheNearestMonthlyContractOnOrAfterTheDate() throws {
        let future = InstrumentConfig(symbol: "NIFTY FUT", tradingSymbol: "NIFTY", exchange: .NFO, segment: .futures,
                                      lotSize: 65, tickSizePaise: 5, freezeQuantity: 1800)
        try withMaster { resolver throws in
            #expect(try resolver.resolve(future, on: Self.january).priceInstrument?.tradingsymbol == "NIFTY26JANFUT")
            #expect(try resolver.resolve(future, on: LocalDate(year: 2026, month: 1, day: 27)!).priceInstrument?.tradingsymbol == "NIFTY26JANFUT")
            #expect(try resolver.resolve(future, on: LocalDate(year: 2026, month: 1, day: 28)!).priceInstrument?.tradingsymbol == "NIFTY26FEBFUT")
            let none = #expect(throws: InstrumentResolutionError.self) {
                try resolver.resolve(future, on: LocalDate(year: 2026, month: 4, day: 1)!)
            }
            #expect(none?.kind == .notInMaster && none?.exitStatus == .noInput)
            #expect(none?.description.contains("market-data instruments --exchange NFO") == true)
        }
    }

    @Test func onlyMonthlyContractsCount() {
        func future(_ symbol: String) -> InstrumentRecord {
            InstrumentRecord(instrumentToken: 1, exchangeToken: 1, tradingsymbol: symbol, name: "NIFTY", expiry: nil, strike: nil,
                             tickSize: Paise(5), lotSize: 65, instrumentType: "FUT", segment: "NFO-FUT", exchange: "NFO")
        }
        #expect(InstrumentResolver.isMonthlyFuture(future("NIFTY26JANFUT")))
        #expect(!InstrumentResolver.isMonthlyFuture(future("NIFTY26J08FUT")))
        #expect(!InstrumentResolver.isMonthlyFuture(future("NIFTYNXT5026JANFUT")))
        #expect(!InstrumentResolver.isMonthlyFuture(future("NIFTY26JAN24000CE")))
    }

    @Test func equitiesResolveByTradingSymbolAndOptionsHaveNoSinglePriceInstrument() throws {
        let stock = InstrumentConfig(symbol: "Emmbi", tradingSymbol: "EMMBI-BL", exchange: .NSE, segment: .equity,
                                     lotSize: 1, tickSizePaise: 5, freezeQuantity: 100_000)
        let options = InstrumentConfig(symbol: "NIFTY OPT", tradingSymbol: "NIFTY", exchange: .NFO, segment: .options,
                                       lotSize: 75, tickSizePaise: 5, freezeQuantity: 1800)
        try withMaster { resolver throws in
            let emmbi = try resolver.resolve(stock, on: Self.january)
            #expect(emmbi.priceInstrument?.instrumentToken == 4645121 && emmbi.disagreements.isEmpty)
            let chain = try resolver.resolve(options, on: Self.january)
            #expect(chain.priceInstrument == nil && chain.contract?.tradingsymbol == "NIFTY26JAN24000CE")
            #expect(chain.disagreements.map(\.description) == ["NIFTY OPT: lot_size is 75 in general_config.yaml but 65 for NFO:NIFTY26JAN24000CE in the instrument master"])
            let typed = #expect(throws: InstrumentResolutionError.self) {
                try resolver.resolve(symbol: "NIFTY OPT", configured: [options], exchange: nil, on: Self.january)
            }
            #expect(typed?.kind == .noSingleInstrument)
        }
    }

    @Test func typedSymbolsFindConfiguredInstrumentsByAnyOfTheirNamesThenTheMaster() throws {
        let configured = [Self.nifty, Self.bankNifty]
        try withMaster { resolver throws in
            for typed in ["NIFTY 50", "NIFTY", "nifty50"] {
                let found = try resolver.resolve(symbol: typed, configured: configured, exchange: nil, on: Self.january)
                #expect(found.instrument.instrumentToken == 256265 && found.configured?.symbol == "NIFTY 50", "\(typed)")
            }
            let bank = try resolver.resolve(symbol: "NIFTY BANK", configured: configured, exchange: nil, on: Self.january)
            #expect(bank.instrument.instrumentToken == 260105 && bank.configured?.symbol == "BANKNIFTY")
            // Not configured: the master by trading symbol, or EXCHANGE:TRADINGSYMBOL.
            let vix = try resolver.resolve(symbol: "INDIA VIX", configured: configured, exchange: nil, on: Self.january)
            #expect(vix.instrument.instrumentToken == 264969 && vix.configured == nil)
            let future = try resolver.resolve(symbol: "NFO:NIFTY26FEBFUT", configured: configured, exchange: nil, on: Self.january)
            #expect(future.instrument.instrumentToken == 12683266)
            let unknown = #expect(throws: InstrumentResolutionError.self) {
                try resolver.resolve(symbol: "NOSUCH", configured: configured, exchange: nil, on: Self.january)
            }
            #expect(unknown?.kind == .notInMaster)
            #expect(unknown?.description == "'NOSUCH' is not a configured symbol, and no instrument has that trading symbol (instrument master downloaded 2026-01-12); download the list with: market-data instruments")
        }
    }

    @Test func anEmptyMasterSaysWhatToDownload() throws {
        try TestDatabases.withMigrated(.sqlite) { repository throws in
            let resolver = InstrumentResolver(store: repository)
            let error = #expect(throws: InstrumentResolutionError.self) { try resolver.resolve(Self.nifty, on: Self.january) }
            #expect(error?.description == "'NIFTY 50': no index on NSE is named NIFTY 50 or NIFTY (the instrument master is empty); download the list with: market-data instruments --exchange NSE")
            // Indices without NFO: resolved, with the lot left unchecked and saying why.
            try repository.replaceInstruments(try InstrumentStoreTests.records("instruments_indices.csv", in: "kite"), exchange: "NSE",
                                              downloadedOn: Self.january)
            let nifty = try resolver.resolve(Self.nifty, on: Self.january)
            #expect(nifty.priceInstrument?.instrumentToken == 256265 && nifty.contract == nil)
            #expect(nifty.notes == ["lot and tick not checked: no monthly NIFTY future expiring on or after 2026-01-12 in the instrument master (market-data instruments --exchange NFO)"])
        }
    }
}
