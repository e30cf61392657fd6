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

/// Side rules, brokerage, GST base, effective dates and exactness of ``CostModel``. Amounts in
/// paise; the arithmetic behind each expectation is in its comment.
@Suite struct CostModelTests {
    static let d2023 = LocalDate(year: 2023, month: 7, day: 12)!   // nse2023
    static let d2025 = LocalDate(year: 2025, month: 1, day: 15)!   // nse2024
    static let d2026 = LocalDate(year: 2026, month: 5, day: 4)!    // nse2026

    static func model(_ config: ChargesConfig = .nseDefaults) throws -> CostModel {
        try CostModel(config: config, instrumentKinds: [.equity, .future, .option])
    }

    // MARK: Segments and sides

    @Test func intradaySTTIsOnTheSellOnlyAndStampDutyOnTheBuyOnly() throws {
        let m = try Self.model()
        // 100 @ ₹1,000: turnover ₹1,00,000 = 10,000,000 p.
        let buy = m.breakdown(side: .buy, quantity: 100, price: 100_000, segment: .equityIntraday, on: Self.d2025)
        let sell = m.breakdown(side: .sell, quantity: 100, price: 100_000, segment: .equityIntraday, on: Self.d2025)
        // brokerage min(2000, 0.03 % = 3000) = 2000; exchange 0.00297 % + IPFT 0.0001 % = 307;
        // SEBI 10; stamp 0.003 % = 300 (buy); STT 0.025 % = 2500 (sell); GST 18 % × 2317 = 417.06.
        #expect(buy == ChargesBreakdown(turnover: 10_000_000, brokerage: 2_000, stt: 0, exchangeTransaction: 307,
                                        sebiFee: 10, stampDuty: 300, gst: 417, total: 3_034))
        #expect(sell == ChargesBreakdown(turnover: 10_000_000, brokerage: 2_000, stt: 2_500, exchangeTransaction: 307,
                                         sebiFee: 10, stampDuty: 0, gst: 417, total: 5_234))
    }

    @Test func deliverySTTIsOnBothSidesAndBrokerageIsFree() throws {
        let m = try Self.model()
        // 10 @ ₹2,500: turnover 2,500,000 p. STT 0.1 % = 2500 both sides; exchange 76.75 → 77;
        // SEBI 2.5 → 3 (half-up); stamp 0.015 % = 375 on the buy; GST 18 % × 79.25 = 14.265 → 14.
        let buy = m.breakdown(side: .buy, quantity: 10, price: 250_000, segment: .equityDelivery, on: Self.d2025)
        let sell = m.breakdown(side: .sell, quantity: 10, price: 250_000, segment: .equityDelivery, on: Self.d2025)
        #expect(buy == ChargesBreakdown(turnover: 2_500_000, brokerage: 0, stt: 2_500, exchangeTransaction: 77,
                                        sebiFee: 3, stampDuty: 375, gst: 14, total: 2_969))
        #expect(sell == ChargesBreakdown(turnover: 2_500_000, brokerage: 0, stt: 2_500, exchangeTransaction: 77,
                                         sebiFee: 3, stampDuty: 0, gst: 14, total: 2_594))
    }

    @Test func futuresSTTIsOnTheSellAtTheRateOfTheDay() throws {
        let m = try Self.model()
        // NIFTY future, 75 @ ₹24,000: turnover 180,000,000 p. Brokerage capped at 2000; exchange
        // 0.00173 % + 0.0001 % = 3294; SEBI 180; GST 18 % × 5474 = 985.32; stamp 0.002 % = 3600 (buy).
        let sell = m.breakdown(side: .sell, quantity: 75, price: 2_400_000, segment: .equityFutures, on: Self.d2025)
        #expect(sell == ChargesBreakdown(turnover: 180_000_000, brokerage: 2_000, stt: 36_000, exchangeTransaction: 3_294,
                                         sebiFee: 180, stampDuty: 0, gst: 985, total: 42_459))
        let buy = m.breakdown(side: .buy, quantity: 75, price: 2_400_000, segment: .equityFutures, on: Self.d2025)
        #expect(buy.stt == 0 && buy.stampDuty == 3_600 && buy.total == 10_059)
        // STT on the sell: 0.0125 % (2023), 0.02 % (2024-10-01), 0.05 % (2026-04-01).
        #expect(m.breakdown(side: .sell, quantity: 75, price: 2_400_000, segment: .equityFutures, on: Self.d2023).stt == 22_500)
        #expect(m.breakdown(side: .sell, quantity: 75, price: 2_400_000, segment: .equityFutures, on: Self.d2026).stt == 90_000)
    }

    @Test func optionsAreChargedOnThePremiumWithFlatBrokerage() throws {
        let m = try Self.model()
        // 75 @ ₹100 premium: turnover 750,000 p. Brokerage flat ₹20; exchange 0.03503 % + 0.0005 %
        // = 266.475 → 266; SEBI 0.75 → 1; STT 0.1 % = 750 (sell); stamp 0.003 % = 22.5 → 23 (buy);
        // GST 18 % × 2267.225 = 408.1.
        let sell = m.breakdown(side: .sell, quantity: 75, price: 10_000, segment: .equityOptions, on: Self.d2025)
        #expect(sell == ChargesBreakdown(turnover: 750_000, brokerage: 2_000, stt: 750, exchangeTransaction: 266,
                                         sebiFee: 1, stampDuty: 0, gst: 408, total: 3_425))
        let buy = m.breakdown(side: .buy, quantity: 75, price: 10_000, segment: .equityOptions, on: Self.d2025)
        #expect(buy == ChargesBreakdown(turnover: 750_000, brokerage: 2_000, stt: 0, exchangeTransaction: 266,
                                        sebiFee: 1, stampDuty: 23, gst: 408, total: 2_698))
        // A ₹1.50 premium still pays ₹20: options brokerage is flat, not min(₹20, 0.03 %).
        #expect(m.breakdown(side: .buy, quantity: 75, price: 150, segment: .equityOptions, on: Self.d2025).brokerage == 2_000)
    }

    @Test func theSymbolAndProductChooseTheSegment() throws {
        let m = try Self.model()
        #expect(m.segment(symbol: 0, product: .mis) == .equityIntraday)
        #expect(m.segment(symbol: 0, product: .cnc) == .equityDelivery)
        #expect(m.segment(symbol: 0, product: .nrml) == .equityDelivery)   // refused by order checks; never cheaper
        #expect(m.segment(symbol: 1, product: .mis) == .equityFutures)
        #expect(m.segment(symbol: 1, product: .nrml) == .equityFutures)
        #expect(m.segment(symbol: 2, product: .nrml) == .equityOptions)
        #expect(InstrumentKind(exchange: "NFO", tradingSymbol: "NIFTY24DECFUT") == .future)
        #expect(InstrumentKind(exchange: "NFO", tradingSymbol: "BANKNIFTY24D1152000CE") == .option)
        #expect(InstrumentKind(exchange: "NSE", tradingSymbol: "RELIANCE") == .equity)
        #expect(InstrumentKind(exchange: "MCX", tradingSymbol: "GOLDPETAL23JULFUT") == .commodityFuture)
        #expect(InstrumentKind(exchange: "CDS", tradingSymbol: "USDINR24DECFUT") == nil)
    }

    // MARK: Brokerage

    @Test func brokerageIsPointZeroThreePercentBelowTwentyRupeesAndTwentyAbove() throws {
        let m = try Self.model()
        func brokerage(_ quantity: Int64, _ price: Int64) -> Int64 {
            m.breakdown(side: .buy, quantity: quantity, price: price, segment: .equityIntraday, on: Self.d2025).brokerage
        }
        #expect(brokerage(500, 10_000) == 1_500)             // ₹50,000 × 0.03 % = ₹15
        #expect(brokerage(1, 6_666_666) == 2_000)            // 1999.9998 p rounds to ₹20.00
        #expect(brokerage(1, 6_666_667) == 2_000)            // 2000.0001 p: capped
        #expect(brokerage(100, 100_000) == 2_000)            // ₹1,00,000: capped
        #expect(brokerage(10_000, 100_000) == 2_000)         // ₹1 crore: still one order, ₹20
        #expect(brokerage(1, 5_000) == 2)                    // 1.5 p rounds half-up
        #expect(brokerage(1, 4_995) == 1)                    // 1.4985 p
        #expect(m.breakdown(side: .buy, quantity: 1, price: 100, segment: .equityDelivery, on: Self.d2025).brokerage == 0)
    }

    @Test func brokerageCanBeFlatOrUncapped() throws {
        var config = ChargesConfig.nseDefaults
        for i in config.rateSets.indices {
            config.rateSets[i].equityIntraday.brokerage = .flatPerOrder(1_500)
            config.rateSets[i].equityFutures.brokerage = .percentOfTurnover(ChargeRate("0.03%")!, maxPerOrder: nil)
        }
        let m = try Self.model(config)
        #expect(m.breakdown(side: .sell, quantity: 1, price: 100, segment: .equityIntraday, on: Self.d2025).brokerage == 1_500)
        // 0.03 % of ₹18 lakh, no cap: ₹540.
        #expect(m.breakdown(side: .sell, quantity: 75, price: 2_400_000, segment: .equityFutures, on: Self.d2025).brokerage == 54_000)
    }

    // MARK: GST

    static func plainRates(stt: String = "0%", stamp: String = "0%", exchange: String, ipft: String = "0%",
                           sebi: String) -> SegmentChargeRates {
        SegmentChargeRates(brokerage: .flatPerOrder(0), sttBuy: ChargeRate(stt)!, sttSell: ChargeRate(stt)!,
                           exchangeTransaction: ChargeRate(exchange)!, ipft: ChargeRate(ipft)!,
                           sebiFee: ChargeRate(sebi)!, stampDutyBuy: ChargeRate(stamp)!)
    }

    @Test func gstIsOnBrokerageExchangeAndSEBIOnlyAndOnTheirExactAmounts() {
        let gst = ChargeRate(percent: 18)
        // Turnover 10,000 p: exchange 1.4 p and SEBI 1.4 p round to 1 p each, but GST is 18 % of the
        // exact 2.8 p = 0.504 p → 1 p (18 % of the rounded 2 p would give 0).
        let base = CostModel.breakdown(side: .buy, quantity: 1, price: 10_000,
                                       rates: Self.plainRates(exchange: "0.014%", sebi: "0.014%"),
                                       gst: gst, totalRounding: .sumOfComponents)
        #expect(base.exchangeTransaction == 1 && base.sebiFee == 1 && base.gst == 1)
        // STT and stamp duty are not in the GST base.
        let taxed = CostModel.breakdown(side: .buy, quantity: 1, price: 10_000,
                                        rates: Self.plainRates(stt: "0.1%", stamp: "0.1%", exchange: "0.014%", sebi: "0.014%"),
                                        gst: gst, totalRounding: .sumOfComponents)
        #expect(taxed.stt == 10 && taxed.stampDuty == 10 && taxed.gst == base.gst)
        // IPFT is: 0.1 % of 10,000 p = 10 p, GST 1.8 p → 2 p.
        let ipft = CostModel.breakdown(side: .sell, quantity: 1, price: 10_000,
                                       rates: Self.plainRates(exchange: "0%", ipft: "0.1%", sebi: "0%"),
                                       gst: gst, totalRounding: .sumOfComponents)
        #expect(ipft.exchangeTransaction == 10 && ipft.gst == 2)
        // Brokerage is: ₹20 → ₹3.60.
        var withBrokerage = Self.plainRates(exchange: "0%", sebi: "0%")
        withBrokerage.brokerage = .flatPerOrder(2_000)
        #expect(CostModel.breakdown(side: .buy, quantity: 1, price: 100, rates: withBrokerage, gst: gst,
                                    totalRounding: .sumOfComponents).gst == 360)
    }

    // MARK: Effective dates

    @Test func aTradeBeforeAndAfterARateChangePaysTheRateOfItsDay() throws {
        let m = try Self.model()
        func optionSTT(_ y: Int, _ mo: Int, _ d: Int) -> Int64 {
            m.breakdown(side: .sell, quantity: 75, price: 10_000, segment: .equityOptions,
                        on: LocalDate(year: y, month: mo, day: d)!).stt
        }
        #expect(optionSTT(2024, 9, 30) == 469)     // 0.0625 % of 750,000 p = 468.75
        #expect(optionSTT(2024, 10, 1) == 750)     // 0.1 %
        #expect(optionSTT(2026, 3, 31) == 750)
        #expect(optionSTT(2026, 4, 1) == 1_125)    // 0.15 %
        #expect(optionSTT(2020, 1, 1) == 469)      // before every set: the first set
        #expect(m.rateSet(on: LocalDate(year: 2024, month: 9, day: 30)!) == .nse2023)
        #expect(m.rateSet(on: LocalDate(year: 2024, month: 10, day: 1)!) == .nse2024)
        #expect(m.rateSet(on: LocalDate(year: 2026, month: 4, day: 1)!) == .nse2026)
        #expect(ChargesConfig.nseDefaults.rateSet(inForceOn: LocalDate(year: 2022, month: 1, day: 1)!) == nil)
        // Exchange charges changed on 2024-10-01 too: 0.00335 % → 0.00307 % on equity.
        #expect(m.breakdown(side: .buy, quantity: 100, price: 100_000, segment: .equityIntraday,
                            on: LocalDate(year: 2024, month: 9, day: 30)!).exchangeTransaction == 335)
        #expect(m.breakdown(side: .buy, quantity: 100, price: 100_000, segment: .equityIntraday,
                            on: LocalDate(year: 2024, month: 10, day: 1)!).exchangeTransaction == 307)
    }

    @Test func theDatedProtocolCallUsesTheISTDateOfTheFill() throws {
        let m = try Self.model()
        let firstApril = LocalDate(year: 2026, month: 4, day: 1)!
        let halfPastMidnight = IST.epochSeconds(date: firstApril, time: TimeOfDay(hour: 0, minute: 30)!)
        // 2026-03-31 19:00 UTC is already 1 April in India.
        let before = m.charges(side: .sell, quantity: 75, price: 10_000, product: .nrml, symbol: 2, time: halfPastMidnight - 3_600)
        let after = m.charges(side: .sell, quantity: 75, price: 10_000, product: .nrml, symbol: 2, time: halfPastMidnight)
        #expect(after - before == 1_125 - 750)
    }

    @Test func theUndatedCallUsesThePricingDateOrTheNewestRates() throws {
        let newest = try CostModel(instrumentKinds: [.future])
        #expect(newest.charges(side: .sell, quantity: 75, price: 2_400_000, product: .nrml, symbol: 0) == 96_459)
        let dated = try CostModel(instrumentKinds: [.future], pricingDate: Self.d2025)
        #expect(dated.charges(side: .sell, quantity: 75, price: 2_400_000, product: .nrml, symbol: 0) == 42_459)
        // NoCharges still answers both calls.
        #expect(NoCharges().charges(side: .buy, quantity: 1, price: 1, product: .mis, symbol: 0, time: 0) == 0)
    }

    /// The simulated broker charges each fill at the rates of the fill's own IST date, whatever the
    /// model's undated pricing date (docs/charges.md).
    @Test func theSimulatedBrokerChargesTheCostModelPerFillAtItsDate() throws {
        let model = try CostModel(instrumentKinds: [.future])  // undated calls would price at the newest rates
        var broker = SimulatedBroker(charges: model, tickSizes: [5])
        broker.submit(OrderRequest(id: 1, strategy: 0, symbol: 0, side: .sell, quantity: 75, product: .nrml, time: 0))
        var fills: [Fill] = []
        let at2025 = Int64(Self.d2025.daysSinceEpoch) * 86_400 + 4 * 3_600  // 09:30 IST
        broker.processBar(Bar(time: at2025, open: 2_400_000, high: 2_401_000, low: 2_399_000, close: 2_400_500),
                          symbol: 0, fills: &fills)
        #expect(fills.map(\.charges) == [42_459])
        let asOf = try CostModel(instrumentKinds: [.future], ratesAsOf: LocalDate(year: 2026, month: 4, day: 1))
        #expect(asOf.charges(side: .sell, quantity: 75, price: 2_400_000, product: .nrml, symbol: 0, time: at2025) == 96_459)
    }

    // MARK: Rounding and exactness

    @Test func exactSumRoundingRoundsTheTotalOnce() throws {
        var config = ChargesConfig.nseDefaults
        config.totalRounding = .exactSum
        let exact = try Self.model(config)
        let summed = try Self.model()
        // Delivery buy 10 @ ₹2,500 (see above): exact total 2500 + 76.75 + 2.5 + 375 + 14.265 = 2968.515.
        let a = exact.breakdown(side: .buy, quantity: 10, price: 250_000, segment: .equityDelivery, on: Self.d2025)
        let b = summed.breakdown(side: .buy, quantity: 10, price: 250_000, segment: .equityDelivery, on: Self.d2025)
        #expect(a.total == 2_969 && b.total == 2_969)
        #expect(a.componentSum == b.componentSum)
        // A sell of 1 @ ₹0.05 in equity intraday: every component, brokerage too, is below half a paisa.
        let tiny = exact.breakdown(side: .sell, quantity: 1, price: 5, segment: .equityIntraday, on: Self.d2025)
        #expect(tiny.total == 0 && tiny.componentSum == 0)
    }

    @Test func largeOrdersAreExactWithoutOverflow() throws {
        let m = try Self.model()
        // BANKNIFTY futures, 9,000 units @ ₹60,000: turnover ₹54 crore = 54,000,000,000 p.
        let b = m.breakdown(side: .sell, quantity: 9_000, price: 6_000_000, segment: .equityFutures, on: Self.d2026)
        #expect(b.turnover == 54_000_000_000)
        #expect(b.stt == 27_000_000)               // 0.05 % = ₹2,70,000
        #expect(b.exchangeTransaction == 988_200)  // 0.00183 % = ₹9,882
        #expect(b.sebiFee == 54_000)               // ₹10 per crore × 54 = ₹540
        #expect(b.gst == 187_956)                  // 18 % × (2000 + 988200 + 54000) = 187956
    }

    /// An independent decimal computation of the documented formula over seeded random orders.
    @Test func matchesADecimalReferenceOverRandomOrders() throws {
        let m = try Self.model()
        var rng = ChargesTestRandom(seed: 20_241_001)
        let dates = [Self.d2023, Self.d2025, Self.d2026]
        for _ in 0..<2_000 {
            let segment = ChargeSegment.allCases[Int(rng.next() % 5)]
            let side: Side = rng.next() % 2 == 0 ? .buy : .sell
            let quantity = Int64(rng.next() % 5_000) + 1
            let price = (Int64(rng.next() % 2_000_000) + 1) * 5
            let date = dates[Int(rng.next() % 3)]
            let got = m.breakdown(side: side, quantity: quantity, price: price, segment: segment, on: date)
            let set = m.rateSet(on: date), r = set.rates(for: segment)
            let turnover = Decimal(quantity) * Decimal(price)
            func frac(_ rate: ChargeRate) -> Decimal { Decimal(rate.parts) / Decimal(ChargeRate.partsPerWhole) }
            let brokerage: Decimal
            switch r.brokerage {
            case .flatPerOrder(let p): brokerage = Decimal(p)
            case .percentOfTurnover(let rate, let cap):
                brokerage = cap.map { Swift.min(turnover * frac(rate), Decimal($0)) } ?? turnover * frac(rate)
            }
            let stt = turnover * frac(side == .buy ? r.sttBuy : r.sttSell)
            let exchange = turnover * (frac(r.exchangeTransaction) + frac(r.ipft))
            let sebi = turnover * frac(r.sebiFee)
            let stamp = side == .buy ? turnover * frac(r.stampDutyBuy) : 0
            let gst = (brokerage + exchange + sebi) * frac(set.gst)
            let want = ChargesBreakdown(
                turnover: quantity * price, brokerage: Self.halfUp(brokerage), stt: Self.halfUp(stt),
                exchangeTransaction: Self.halfUp(exchange), sebiFee: Self.halfUp(sebi), stampDuty: Self.halfUp(stamp),
                gst: Self.halfUp(gst),
                total: [brokerage, stt, exchange, sebi, stamp, gst].map(Self.halfUp).reduce(0, +))
            #expect(got == want, "\(segment) \(side) \(quantity) @ \(price) on \(date)")
            if got != want { break }
        }
    }

    static func halfUp(_ x: Decimal) -> Int64 {
        var value = x, rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    @Test func moneyCodeHasNoFloatingPoint() throws {
        let execution = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/AlphaPrimeExecution")
        for file in ["CostModel.swift", "ChargeRates.swift", "ChargeRates+Defaults.swift", "ChargesBreakdown.swift",
                     "ChargesModel.swift", "OrderProducts.swift"] {
            let text = try String(contentsOf: execution.appendingPathComponent(file), encoding: .utf8)
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            for line in code {
                for word in ["Double", "Float", "Decimal", "CGFloat"] {
                    #expect(!line.contains(word), "\(file): \(line)")
                }
            }
        }
    }

    // MARK: Breakdown

    @Test func breakdownsAddUpAndEncodeWithSnakeCaseKeys() throws {
        let m = try Self.model()
        let buy = m.breakdown(side: .buy, quantity: 100, price: 100_000, segment: .equityIntraday, on: Self.d2025)
        let sell = m.breakdown(side: .sell, quantity: 100, price: 100_000, segment: .equityIntraday, on: Self.d2025)
        var day = ChargesBreakdown.zero
        day += buy
        day += sell
        #expect(day.total == 3_034 + 5_234 && day.componentSum == day.total && day.turnover == 20_000_000)
        #expect(day.stt == 2_500 && day.stampDuty == 300 && day.brokerage == 4_000)
        let json = try JSONEncoder().encode(day)
        let text = String(decoding: json, as: UTF8.self)
        for key in ["\"exchange_transaction\"", "\"sebi_fee\"", "\"stamp_duty\"", "\"stt\"", "\"gst\"", "\"total\""] {
            #expect(text.contains(key))
        }
        #expect(try JSONDecoder().decode(ChargesBreakdown.self, from: json) == day)
        #expect(sell.description == "brokerage 20.00, STT 25.00, exchange 3.07, SEBI 0.10, stamp 0.00, GST 4.17, total 52.34")
    }
}

/// A small seeded generator, so a failing case can be replayed.
struct ChargesTestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
