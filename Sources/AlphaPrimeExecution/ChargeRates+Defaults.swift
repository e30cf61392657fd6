import AlphaPrimeSupport
import AlphaPrimeDomain

/// The rates ALPHA-PRIME charges with when the configuration says nothing: Indian statutory charges
/// plus a discount broker's brokerage (Zerodha's published schedule), as three dated sets. The same
/// numbers, with their sources, are in `docs/charges.md`; the YAML there decodes to exactly these
/// (a test holds them together).
///
/// | from | what changed | source |
/// |---|---|---|
/// | 2023-04-01 | STT futures 0.0125 %, options 0.0625 %; NSE rolls back its 2021 6 % rise in transaction charges and sets the IPFT contribution to ₹10 / ₹50 per crore | Finance Act 2023; NSE circular of March 2023 |
/// | 2024-10-01 | STT futures 0.02 %, options 0.1 %; NSE "true to label" flat charges ₹2.97 / ₹1.73 / ₹35.03 per lakh; MCX ₹2.10 per lakh | Finance (No. 2) Act 2024; NSE and MCX circulars of September 2024 |
/// | 2026-04-01 | STT futures 0.05 %, options 0.15 % | Finance Act 2026 (Union Budget 2026-27) |
///
/// Unchanged through all three: stamp duty (Indian Stamp Act, uniform since 2020-07-01: 0.015 %
/// delivery, 0.003 % intraday and options, 0.002 % futures, buy side), SEBI fee ₹10 per crore,
/// GST 18 %, equity STT (0.1 % delivery both sides, 0.025 % intraday sell), CTT 0.01 % (MCX
/// non-agricultural futures, sell), brokerage ₹0 delivery, min(₹20, 0.03 %) intraday and futures,
/// flat ₹20 options.
extension ChargesConfig {
    /// NSE (and MCX) rates from 2023-04-01 to today, with sum-of-components rounding.
    public static let nseDefaults = ChargesConfig(
        totalRounding: .sumOfComponents,
        rateSets: [ChargeRateSet.nse2023, ChargeRateSet.nse2024, ChargeRateSet.nse2026])
}

extension ChargeRateSet {
    private static let sebi = ChargeRate(rupeesPerCrore: 10)
    private static let none = ChargeRate.zero
    private static let flat20 = BrokerageRule.flatPerOrder(2_000)
    private static let free = BrokerageRule.flatPerOrder(0)

    /// In force 2023-04-01 … 2024-09-30. The Kite virtual contract note mock (July 2023) was
    /// recorded under these: its exchange charge of 0.00335 % on equity is 0.00325 % + IPFT
    /// 0.0001 %, and 0.0505 % on options is 0.05 % + 0.0005 %. Brokers passed on volume-slab rates
    /// then, so a contract note of that time may show a slightly different exchange charge.
    public static let nse2023 = ChargeRateSet(
        effectiveFrom: LocalDate(year: 2023, month: 4, day: 1)!,
        source: "STT: Finance Act 2023 (F&O from 2023-04-01); NSE transaction charges after the 2023-04-01 rollback, IPFT ₹10/₹50 per crore; MCX 0.0026%; stamp duty: Indian Stamp Act (2020-07-01); brokerage: Zerodha schedule",
        gst: ChargeRate(percent: 18),
        equityIntraday: SegmentChargeRates(
            brokerage: .discountIntraday, sttBuy: none, sttSell: ChargeRate(rupeesPerCrore: 2_500),
            exchangeTransaction: ChargeRate(rupeesPerCrore: 325), ipft: ChargeRate(rupeesPerCrore: 10),
            sebiFee: sebi, stampDutyBuy: ChargeRate(rupeesPerCrore: 300)),
        equityDelivery: SegmentChargeRates(
            brokerage: free, sttBuy: ChargeRate(rupeesPerCrore: 10_000), sttSell: ChargeRate(rupeesPerCrore: 10_000),
            exchangeTransaction: ChargeRate(rupeesPerCrore: 325), ipft: ChargeRate(rupeesPerCrore: 10),
            sebiFee: sebi, stampDutyBuy: ChargeRate(rupeesPerCrore: 1_500)),
        equityFutures: SegmentChargeRates(
            brokerage: .discountIntraday, sttBuy: none, sttSell: ChargeRate(rupeesPerCrore: 1_250),
            exchangeTransaction: ChargeRate(rupeesPerCrore: 190), ipft: ChargeRate(rupeesPerCrore: 10),
            sebiFee: sebi, stampDutyBuy: ChargeRate(rupeesPerCrore: 200)),
        equityOptions: SegmentChargeRates(
            brokerage: flat20, sttBuy: none, sttSell: ChargeRate(rupeesPerCrore: 6_250),
            exchangeTransaction: ChargeRate(rupeesPerCrore: 5_000), ipft: ChargeRate(rupeesPerCrore: 50),
            sebiFee: sebi, stampDutyBuy: ChargeRate(rupeesPerCrore: 300)),
        commodityFutures: SegmentChargeRates(
            brokerage: .discountIntraday, sttBuy: none, sttSell: ChargeRate(rupeesPerCrore: 1_000),
            exchangeTransaction: ChargeRate(rupeesPerCrore: 260), ipft: none,
            sebiFee: sebi, stampDutyBuy: ChargeRate(rupeesPerCrore: 200)))

    /// In force 2024-10-01 … 2026-03-31.
    public static let nse2024: ChargeRateSet = {
        var set = nse2023
        set.effectiveFrom = LocalDate(year: 2024, month: 10, day: 1)!
        set.source = "STT: Finance (No. 2) Act 2024 (F&O from 2024-10-01); NSE true-to-label transaction charges from 2024-10-01 (₹2.97/₹1.73/₹35.03 per lakh), IPFT ₹10/₹50 per crore; MCX ₹2.10 per lakh; stamp duty: Indian Stamp Act (2020-07-01); brokerage: Zerodha schedule"
        set.equityIntraday.exchangeTransaction = ChargeRate(rupeesPerCrore: 297)
        set.equityDelivery.exchangeTransaction = ChargeRate(rupeesPerCrore: 297)
        set.equityFutures.exchangeTransaction = ChargeRate(rupeesPerCrore: 173)
        set.equityFutures.sttSell = ChargeRate(rupeesPerCrore: 2_000)
        set.equityOptions.exchangeTransaction = ChargeRate(rupeesPerCrore: 3_503)
        set.equityOptions.sttSell = ChargeRate(rupeesPerCrore: 10_000)
        set.commodityFutures.exchangeTransaction = ChargeRate(rupeesPerCrore: 210)
        return set
    }()

    /// In force from 2026-04-01.
    public static let nse2026: ChargeRateSet = {
        var set = nse2024
        set.effectiveFrom = LocalDate(year: 2026, month: 4, day: 1)!
        set.source = "STT: Finance Act 2026 (futures 0.05%, options 0.15% on premium, from 2026-04-01); exchange charges, stamp duty and brokerage as from 2024-10-01"
        set.equityFutures.sttSell = ChargeRate(rupeesPerCrore: 5_000)
        set.equityOptions.sttSell = ChargeRate(rupeesPerCrore: 15_000)
        return set
    }()
}
