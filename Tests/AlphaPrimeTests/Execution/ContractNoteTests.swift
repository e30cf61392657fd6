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

/// Kite Connect's virtual contract note mock (zerodha/kiteconnect-mocks), the charges Zerodha
/// computed for three orders, against ``CostModel`` to the paisa.
///
/// The mock was recorded in July 2023 (its option, NIFTY2371317900PE, expires 2023-07-13), so the
/// rates are the set in force then, effective 2023-04-01 — which is what effective dates are for.
/// Its exchange charges imply 0.00335 % on equity (0.00325 % + IPFT 0.0001 %), 0.0505 % on options
/// (0.05 % + 0.0005 %) and 0.0026 % on MCX. Two things differ from the shipped 2023-04-01 set and are
/// in the fixture's rates (`virtual_contract_note_rates.json`): the mock charges no stamp duty on its
/// CNC buy (the law says 0.015 %, 8 paise here), and its `total` is the float sum of unrounded
/// components, i.e. ``TotalRounding/exactSum``.
@Suite struct ContractNoteTests {
    struct Note: Decodable {
        struct Entry: Decodable {
            var transactionType: String
            var tradingsymbol: String
            var exchange: String
            var product: String
            var quantity: Int64
            var price: Double
            var charges: Charges
        }
        struct Charges: Decodable {
            struct GST: Decodable { var total: Double }
            var transactionTax: Double
            var exchangeTurnoverCharge: Double
            var sebiTurnoverCharge: Double
            var brokerage: Double
            var stampDuty: Double
            var gst: GST
            var total: Double
        }
        var data: [Entry]
    }

    static let tradeDate = LocalDate(year: 2023, month: 7, day: 12)!

    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/kite"))
        return try Data(contentsOf: url)
    }

    static func note() throws -> Note {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Note.self, from: fixture("virtual_contract_note"))
    }

    static func mockRates() throws -> ChargesConfig {
        try JSONDecoder().decode(ChargesConfig.self, from: fixture("virtual_contract_note_rates"))
    }

    /// The mock's floats rounded to paise (half away from zero), the contract note's precision.
    static func paise(_ rupees: Double) -> Int64 { Paise(rupeesRounded: rupees).value }

    static func ours(_ entry: Note.Entry, _ model: CostModel) throws -> ChargesBreakdown {
        let kind = try #require(InstrumentKind(exchange: entry.exchange, tradingSymbol: entry.tradingsymbol))
        let product = try #require(ProductType(rawValue: entry.product))
        let side = try #require(Side(rawValue: entry.transactionType))
        return model.breakdown(side: side, quantity: entry.quantity, price: paise(entry.price),
                               segment: ChargeSegment(kind: kind, product: product), on: tradeDate)
    }

    @Test func everyComponentAndTheTotalMatchTheKiteMockToThePaisa() throws {
        let note = try Self.note()
        let model = try CostModel(config: Self.mockRates())
        #expect(note.data.count == 3)
        for entry in note.data {
            let got = try Self.ours(entry, model)
            let want = entry.charges
            let name = entry.tradingsymbol
            #expect(got.stt == Self.paise(want.transactionTax), "\(name) STT/CTT")
            #expect(got.exchangeTransaction == Self.paise(want.exchangeTurnoverCharge), "\(name) exchange")
            #expect(got.sebiFee == Self.paise(want.sebiTurnoverCharge), "\(name) SEBI")
            #expect(got.brokerage == Self.paise(want.brokerage), "\(name) brokerage")
            #expect(got.stampDuty == Self.paise(want.stampDuty), "\(name) stamp duty")
            #expect(got.gst == Self.paise(want.gst.total), "\(name) GST")
            #expect(got.total == Self.paise(want.total), "\(name) total")
        }
    }

    @Test func theMockLinesInPaise() throws {
        let note = try Self.note()
        let model = try CostModel(config: Self.mockRates())
        let lines = try note.data.map { try Self.ours($0, model) }
        // SBIN CNC buy 1 @ ₹560: STT 0.1 % = 56 p, exchange 1.876 p, SEBI 0.056 p, GST 0.348 p.
        #expect(lines[0] == ChargesBreakdown(turnover: 56_000, brokerage: 0, stt: 56, exchangeTransaction: 2,
                                             sebiFee: 0, stampDuty: 0, gst: 0, total: 58))
        // GOLDPETAL sell 1 @ ₹5,862: CTT 58.62 p, exchange 15.2412 p, SEBI 0.5862 p, brokerage
        // 0.03 % = 175.86 p, GST 34.503732 p; exact total 284.811132 p.
        #expect(lines[1] == ChargesBreakdown(turnover: 586_200, brokerage: 176, stt: 59, exchangeTransaction: 15,
                                             sebiFee: 1, stampDuty: 0, gst: 35, total: 285))
        // NIFTY put buy 100 @ ₹1.50: flat ₹20 brokerage, exchange 7.575 p, stamp 0.45 p, GST 361.37 p.
        #expect(lines[2] == ChargesBreakdown(turnover: 15_000, brokerage: 2_000, stt: 0, exchangeTransaction: 8,
                                             sebiFee: 0, stampDuty: 0, gst: 361, total: 2_369))
    }

    @Test func theFixtureRatesAreTheShipped2023SetWithoutDeliveryStampDuty() throws {
        let fixture = try Self.mockRates()
        #expect(fixture.totalRounding == .exactSum)
        var expected = ChargeRateSet.nse2023
        expected.equityDelivery.stampDutyBuy = .zero
        expected.source = fixture.rateSets.first?.source
        #expect(fixture.rateSets == [expected])
        // And the shipped defaults pick that set for the mock's date.
        #expect(try CostModel().rateSet(on: Self.tradeDate) == .nse2023)
    }

    @Test func withTheShippedRatesOnlyTheMocksMissingStampDutyAndTheTotalRuleDiffer() throws {
        let note = try Self.note()
        let mock = try CostModel(config: Self.mockRates())
        let shipped = try CostModel()   // sum-of-components, stamp duty as the law says
        let a = try note.data.map { try Self.ours($0, mock) }
        let b = try note.data.map { try Self.ours($0, shipped) }
        // SBIN: 0.015 % of ₹560 = 8.4 p of stamp duty the mock leaves out.
        #expect(b[0].stampDuty == 8)
        #expect(b[0].total == a[0].total + 8)
        // GOLDPETAL: the rounded components add up to 286 p; the exact sum is 284.81 p → 285.
        #expect(b[1].total == 286 && a[1].total == 285)
        #expect(b[1].componentSum == a[1].componentSum)
        // NIFTY put: identical either way.
        #expect(b[2] == a[2])
        for (x, y) in zip(a, b) {
            #expect(x.brokerage == y.brokerage && x.stt == y.stt && x.exchangeTransaction == y.exchangeTransaction
                    && x.sebiFee == y.sebiFee && x.gst == y.gst)
        }
    }
}
