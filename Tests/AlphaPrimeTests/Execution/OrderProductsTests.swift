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

/// Products, lot rounding and freeze-quantity slicing.
@Suite struct OrderProductsTests {
    static let nifty = Instrument(symbol: "NIFTY24DECFUT", exchange: "NFO", lotSize: 75, tickSize: 5, freezeQuantity: 1_800)
    static let reliance = Instrument(symbol: "RELIANCE", exchange: "NSE")

    @Test func productsFitTheInstrument() throws {
        #expect(ProductType.allowed(for: .equity) == [.mis, .cnc])
        #expect(ProductType.allowed(for: .future) == [.mis, .nrml])
        #expect(ProductType.allowed(for: .option) == [.mis, .nrml])
        #expect(ProductType.allowed(for: .commodityFuture) == [.mis, .nrml])
        try Self.reliance.checkOrder(quantity: 10, product: .cnc, kind: .equity)
        try Self.reliance.checkOrder(quantity: 10, product: .mis, kind: .equity)
        try Self.nifty.checkOrder(quantity: 150, product: .nrml, kind: .future)
        try Self.nifty.checkOrder(quantity: 75, product: .mis, kind: .future)

        let cnc = #expect(throws: OrderProductError.self) {
            try Self.nifty.checkOrder(quantity: 75, product: .cnc, kind: .future)
        }
        #expect(cnc == .productNotAllowed(symbol: "NIFTY24DECFUT", product: .cnc, kind: .future))
        #expect(cnc?.description == "CNC is equity delivery only: NIFTY24DECFUT is a future (use MIS or NRML)")
        let nrml = #expect(throws: OrderProductError.self) {
            try Self.reliance.checkOrder(quantity: 10, product: .nrml, kind: .equity)
        }
        #expect(nrml?.description == "NRML is for F&O and commodity carry-forward: RELIANCE is an equity (use MIS or CNC)")
    }

    @Test func quantitiesMustBePositiveWholeLots() {
        let zero = #expect(throws: OrderProductError.self) {
            try Self.nifty.checkOrder(quantity: 0, product: .nrml, kind: .future)
        }
        #expect(zero == .quantityNotPositive(symbol: "NIFTY24DECFUT", quantity: 0))
        let odd = #expect(throws: OrderProductError.self) {
            try Self.nifty.checkOrder(quantity: 100, product: .nrml, kind: .future)
        }
        #expect(odd?.description == "quantity 100 of NIFTY24DECFUT is not a whole number of lots of 75 (nearest below: 75)")
        #expect(throws: OrderProductError.self) { try Self.nifty.checkOrder(quantity: 74, product: .mis, kind: .future) }
    }

    @Test func lotRoundingGoesTowardZero() {
        let n = Self.nifty
        #expect(n.roundDownToLot(100) == 75)
        #expect(n.roundDownToLot(150) == 150)      // exact multiple
        #expect(n.roundDownToLot(74) == 0)         // less than one lot
        #expect(n.roundDownToLot(0) == 0)
        #expect(n.roundDownToLot(-100) == -75)     // a signed position never grows
        #expect(n.lots(in: 224) == 2)
        #expect(n.isWholeLots(225) && !n.isWholeLots(226))
        #expect(Self.reliance.roundDownToLot(37) == 37)   // lot 1
        #expect(Self.reliance.isWholeLots(37))
    }

    @Test func ordersAboveTheFreezeQuantityAreSlicedInWholeLots() throws {
        let n = Self.nifty
        #expect(Array(try n.freezeSlices(3_975)) == [1_800, 1_800, 375])
        #expect(Array(try n.freezeSlices(3_600)) == [1_800, 1_800])   // exact multiple of the freeze
        #expect(Array(try n.freezeSlices(1_800)) == [1_800])
        #expect(Array(try n.freezeSlices(1_875)) == [1_800, 75])
        #expect(Array(try n.freezeSlices(75)) == [75])
        #expect(Array(try n.freezeSlices(0)) == [])                   // nothing to send
        #expect(n.largestOrderQuantity == 1_800)
        // Less than one lot, or not whole lots, is refused rather than sliced.
        #expect(throws: OrderProductError.notWholeLots(symbol: "NIFTY24DECFUT", quantity: 74, lotSize: 75)) {
            try n.freezeSlices(74)
        }
        #expect(throws: OrderProductError.self) { try n.freezeSlices(1_801) }
        #expect(throws: OrderProductError.self) { try n.freezeSlices(-75) }
    }

    @Test func theFreezeQuantityIsRoundedDownToWholeLots() throws {
        // An exchange file listing the first frozen quantity (1801): slices stay whole lots.
        let n = Instrument(symbol: "NIFTY", exchange: "NFO", lotSize: 75, freezeQuantity: 1_801)
        #expect(Array(try n.freezeSlices(3_675)) == [1_800, 1_800, 75])
        let tight = Instrument(symbol: "X", exchange: "NFO", lotSize: 75, freezeQuantity: 50)
        #expect(throws: OrderProductError.freezeBelowOneLot(symbol: "X", freezeQuantity: 50, lotSize: 75)) {
            try tight.freezeSlices(75)
        }
        // No freeze limit: the order itself.
        #expect(Array(try Self.reliance.freezeSlices(250_000)) == [250_000])
        // A huge order is sliced lazily: 2,000,000 lots in 1800-unit slices.
        let huge = try Self.nifty.freezeSlices(150_000_000)
        #expect(huge.count == 83_334 && huge.first == 1_800 && huge.last == 150_000_000 - 1_800 * 83_333)
        #expect(huge.reduce(0, +) == 150_000_000)
    }

    @Test func everySlicePaysItsOwnBrokerage() throws {
        let model = try CostModel(instrumentKinds: [.future], pricingDate: LocalDate(year: 2025, month: 1, day: 15)!)
        let slices = try Self.nifty.freezeSlices(3_975)
        let sliced = slices.map {
            model.breakdown(side: .buy, quantity: $0, price: 2_400_000, product: .nrml, symbol: 0,
                            on: LocalDate(year: 2025, month: 1, day: 15)!)
        }.reduce(ChargesBreakdown.zero, +)
        let whole = model.breakdown(side: .buy, quantity: 3_975, price: 2_400_000, segment: .equityFutures)
        #expect(sliced.brokerage == 3 * 2_000 && whole.brokerage == 2_000)
        #expect(sliced.turnover == whole.turnover)
        #expect(sliced.stampDuty == whole.stampDuty)   // 0.002 % of each slice is a whole number of paise here
    }

    @Test func misSquareOffDefaultsTo1520() throws {
        #expect(OrderProductRules().misSquareOff == TimeOfDay(hour: 15, minute: 20))
        #expect(OrderProductRules.defaultMISSquareOff.description == "15:20")
        let decoded = try JSONDecoder().decode(OrderProductRules.self, from: Data(#"{"mis_square_off": "15:15"}"#.utf8))
        #expect(decoded.misSquareOff == TimeOfDay(hour: 15, minute: 15))
        #expect(try JSONDecoder().decode(OrderProductRules.self, from: Data("{}".utf8)) == OrderProductRules())
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(OrderProductRules.self, from: Data(#"{"mis_squareoff": "15:15"}"#.utf8))
        }
    }
}
