import AlphaPrimeSupport
import AlphaPrimeDomain

/// What an instrument is, as far as charges and order products care.
public enum InstrumentKind: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Cash equity (NSE, BSE), and an index traded as a notional in research.
    case equity
    /// Index or stock future (NFO, BFO).
    case future
    /// Index or stock option (NFO, BFO), charged on the premium.
    case option
    /// Commodity future (MCX).
    case commodityFuture = "commodity_future"

    public var description: String {
        switch self {
        case .equity: "an equity"
        case .future: "a future"
        case .option: "an option"
        case .commodityFuture: "a commodity future"
        }
    }

    /// What a configured instrument is charged as: an index is traded through its futures (its
    /// quote lives in INDICES, its orders go to NFO, in lots), so it pays the futures rates; an
    /// instrument not configured is charged as an equity. The backtester and the engine's paper
    /// broker both ask here, so they charge alike.
    public init(tradedAs segment: InstrumentConfig.Segment?) {
        switch segment {
        case .indices?, .futures?: self = .future
        case .options?: self = .option
        case .equity?, nil: self = .equity
        }
    }

    /// From the exchange and trading symbol as Kite names them: NSE/BSE are equity; on NFO/BFO a
    /// symbol ending in `FUT` is a future and one ending in `CE`/`PE` an option; `FUT` on MCX is a
    /// commodity future. Nil for anything else (commodity options, currency).
    public init?(exchange: String, tradingSymbol: String) {
        switch exchange.uppercased() {
        case "NSE", "BSE":
            self = .equity
        case "NFO", "BFO":
            if tradingSymbol.hasSuffix("FUT") { self = .future }
            else if tradingSymbol.hasSuffix("CE") || tradingSymbol.hasSuffix("PE") { self = .option }
            else { return nil }
        case "MCX":
            guard tradingSymbol.hasSuffix("FUT") else { return nil }
            self = .commodityFuture
        default:
            return nil
        }
    }
}

extension ChargeSegment {
    /// The segment an order's charges follow. Equity is intraday under MIS and delivery under CNC;
    /// derivatives are their own segment under any product. Combinations order validation
    /// refuses (NRML on equity, CNC on a derivative) are charged as equity delivery and as the
    /// derivative respectively, so a mistake never looks cheaper than it is.
    @inlinable
    public init(kind: InstrumentKind, product: ProductType) {
        switch kind {
        case .equity: self = product == .mis ? .equityIntraday : .equityDelivery
        case .future: self = .equityFutures
        case .option: self = .equityOptions
        case .commodityFuture: self = .commodityFutures
        }
    }
}

/// Indian trading charges per executed order: brokerage, STT/CTT, exchange transaction charge
/// (with IPFT), SEBI fee, stamp duty and GST, by segment, at the rates in force on the trade date.
/// One model for backtests, paper and live reconciliation (DESIGN §3).
///
/// **Exactness.** Turnover is quantity × price in paise. Every component is first computed
/// exactly in 128-bit integers (10⁻¹⁰ paise; GST, a rate of a rate, in 10⁻²⁰ paise) from the exact
/// (unrounded) amounts, then rounded half-up to the paisa: brokerage = min(cap, rate × turnover)
/// or the flat amount; STT = side rate × turnover; exchange = (transaction rate + IPFT) ×
/// turnover; SEBI = fee × turnover; stamp = buy rate × turnover on buys; GST = 18 % × (brokerage +
/// exchange + SEBI), all unrounded. The total is the sum of the rounded components, or under
/// ``TotalRounding/exactSum`` the exact sum rounded once. No floating point anywhere.
public struct CostModel: ChargesModel {
    /// The validated configuration, its rate sets in date order.
    public let config: ChargesConfig
    /// What each symbol is, indexed by ``SymbolID`` (the run's instrument table).
    public let instrumentKinds: [InstrumentKind]
    /// The date whose rates the undated ``charges(side:quantity:price:product:symbol:)`` uses;
    /// nil for the newest set. Prefer the dated calls: a backtest over 2023 should pay 2023 rates.
    public let pricingDate: LocalDate?
    /// When set, every order is priced at the rates of this date, whatever its own date (a
    /// historical run priced at today's rates, `--charges-as-of`); nil prices each order at its
    /// own IST date.
    public let ratesAsOf: LocalDate?
    @usableFromInline let undatedRates: ChargeRateSet

    /// - Parameters:
    ///   - config: rate sets and rounding; ``ChargesConfig/nseDefaults`` unless configured.
    ///   - instrumentKinds: what each symbol of the run is, by ``SymbolID``.
    ///   - pricingDate: the date the undated protocol call prices at; nil for the newest rates.
    ///   - ratesAsOf: the date every call prices at, dated or not; nil for each order's own date.
    public init(config: ChargesConfig = .nseDefaults, instrumentKinds: [InstrumentKind] = [],
                pricingDate: LocalDate? = nil, ratesAsOf: LocalDate? = nil) throws(ChargesConfigError) {
        try config.validate()
        var sorted = config
        sorted.rateSets.sort { $0.effectiveFrom < $1.effectiveFrom }
        self.config = sorted
        self.instrumentKinds = instrumentKinds
        self.pricingDate = ratesAsOf ?? pricingDate
        self.ratesAsOf = ratesAsOf
        undatedRates = (ratesAsOf ?? pricingDate).map { CostModel.rateSet(in: sorted.rateSets, on: $0) } ?? sorted.rateSets[sorted.rateSets.count - 1]
    }

    /// The rate set in force on an IST trading date; a date before the first set gets the first.
    public func rateSet(on date: LocalDate) -> ChargeRateSet { config.rateSets[CostModel.index(in: config.rateSets, on: date)] }

    static func rateSet(in sorted: [ChargeRateSet], on date: LocalDate) -> ChargeRateSet {
        sorted[index(in: sorted, on: date)]
    }

    /// Position of the set in force on `date` in date-sorted sets (0 before the first).
    static func index(in sorted: [ChargeRateSet], on date: LocalDate) -> Int {
        var chosen = 0
        while chosen + 1 < sorted.count && sorted[chosen + 1].effectiveFrom <= date { chosen += 1 }
        return chosen
    }

    /// The segment of `symbol` traded under `product`.
    @inlinable
    public func segment(symbol: SymbolID, product: ProductType) -> ChargeSegment {
        ChargeSegment(kind: instrumentKinds[symbol], product: product)
    }

    // MARK: Breakdowns

    /// The charges of one executed order of `quantity` at `price` paise, on an IST trading date.
    public func breakdown(side: Side, quantity: Int64, price: Int64, segment: ChargeSegment,
                          on date: LocalDate) -> ChargesBreakdown {
        let i = CostModel.index(in: config.rateSets, on: date)
        return CostModel.breakdown(side: side, quantity: quantity, price: price,
                                   rates: config.rateSets[i].rates(for: segment),
                                   gst: config.rateSets[i].gst, totalRounding: config.totalRounding)
    }

    /// As ``breakdown(side:quantity:price:segment:on:)``, the segment from the symbol and product.
    public func breakdown(side: Side, quantity: Int64, price: Int64, product: ProductType, symbol: SymbolID,
                          on date: LocalDate) -> ChargesBreakdown {
        breakdown(side: side, quantity: quantity, price: price, segment: segment(symbol: symbol, product: product), on: date)
    }

    /// The charges of an order executed at `time` (UTC epoch seconds), at the rates of its IST date
    /// (or of ``ratesAsOf``).
    public func breakdown(side: Side, quantity: Int64, price: Int64, product: ProductType, symbol: SymbolID,
                          time: Int64) -> ChargesBreakdown {
        breakdown(side: side, quantity: quantity, price: price, product: product, symbol: symbol,
                  on: ratesAsOf ?? IST.dateTime(epochSeconds: time).date)
    }

    /// At the undated rates (``pricingDate``, or the newest set).
    public func breakdown(side: Side, quantity: Int64, price: Int64, segment: ChargeSegment) -> ChargesBreakdown {
        CostModel.breakdown(side: side, quantity: quantity, price: price, rates: undatedRates.rates(for: segment),
                            gst: undatedRates.gst, totalRounding: config.totalRounding)
    }

    // MARK: ChargesModel

    public func charges(side: Side, quantity: Int64, price: Int64, product: ProductType, symbol: SymbolID) -> Int64 {
        breakdown(side: side, quantity: quantity, price: price, segment: segment(symbol: symbol, product: product)).total
    }

    /// At the rates in force on the IST date of `time` (UTC epoch seconds).
    public func charges(side: Side, quantity: Int64, price: Int64, product: ProductType, symbol: SymbolID,
                        time: Int64) -> Int64 {
        breakdown(side: side, quantity: quantity, price: price, product: product, symbol: symbol, time: time).total
    }

    // MARK: The arithmetic

    /// One order's charges under one segment's rates. Quantity and price are taken by magnitude.
    public static func breakdown(side: Side, quantity: Int64, price: Int64, rates: SegmentChargeRates,
                                 gst gstRate: ChargeRate, totalRounding: TotalRounding) -> ChargesBreakdown {
        let scale = Int128(ChargeRate.partsPerWhole)           // exact amounts are in 1/scale paise
        let turnover = Int128(quantity.magnitude) * Int128(price.magnitude)

        let brokerage: Int128
        switch rates.brokerage {
        case .flatPerOrder(let paise):
            brokerage = Int128(paise) * scale
        case .percentOfTurnover(let rate, let cap):
            let share = turnover * Int128(rate.parts)
            brokerage = cap.map { min(share, Int128($0) * scale) } ?? share
        }
        let stt = turnover * Int128((side == .buy ? rates.sttBuy : rates.sttSell).parts)
        let exchange = turnover * Int128(rates.exchangeTransaction.parts + rates.ipft.parts)
        let sebi = turnover * Int128(rates.sebiFee.parts)
        let stamp = side == .buy ? turnover * Int128(rates.stampDutyBuy.parts) : 0
        let gst = (brokerage + exchange + sebi) * Int128(gstRate.parts)   // 1/scale² paise

        var result = ChargesBreakdown(
            turnover: Int64(turnover),
            brokerage: roundHalfUp(brokerage, scale), stt: roundHalfUp(stt, scale),
            exchangeTransaction: roundHalfUp(exchange, scale), sebiFee: roundHalfUp(sebi, scale),
            stampDuty: roundHalfUp(stamp, scale), gst: roundHalfUp(gst, scale * scale))
        switch totalRounding {
        case .sumOfComponents:
            result.total = result.componentSum
        case .exactSum:
            result.total = roundHalfUp((brokerage + stt + exchange + sebi + stamp) * scale + gst, scale * scale)
        }
        return result
    }

    /// `amount / unit` rounded half-up (amounts here are never negative).
    @inline(__always)
    static func roundHalfUp(_ amount: Int128, _ unit: Int128) -> Int64 {
        Int64((amount + unit / 2) / unit)
    }
}
