/// The rates a ``CostModel`` charges with: plain `Codable` values, so the configuration loader can
/// hang them off the `charges` section of a config file. Rates change (STT on F&O changed on
/// 2023-04-01, 2024-10-01 and 2026-04-01; NSE transaction charges on 2024-10-01), so they are
/// data with effective dates, never constants in code. See `docs/charges.md`.
///
/// Every key is snake_case; unknown keys are errors; rates are percentage strings (`"0.025%"`) and
/// money is rupee text (`"20"`, `"20.00"`), so nothing passes through floating point.

// MARK: - Rate

/// A charge rate held exactly, as a whole number of 10⁻¹⁰ parts of its base.
///
/// 0.025 % = 2_500_000 parts; 0.00297 % (₹297 per crore) = 297_000 parts; 18 % = 1_800_000_000.
/// Configuration writes it as a percentage with at most eight decimals: `"0.00297%"`.
public struct ChargeRate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Parts in a whole (100 %).
    public static let partsPerWhole: Int64 = 10_000_000_000
    public static let zero = ChargeRate(parts: 0)

    /// The rate × 10¹⁰.
    public let parts: Int64

    @inlinable public init(parts: Int64) { self.parts = parts }

    /// A rate given as rupees per crore of turnover, how exchanges publish theirs: ₹10 per crore
    /// (the SEBI fee) is 0.0001 %.
    public init(rupeesPerCrore: Int64) { parts = rupeesPerCrore * 1_000 }

    /// A whole-number percentage: `ChargeRate(percent: 18)` for GST.
    public init(percent: Int64) { parts = percent * 100_000_000 }

    /// Parses `"0.00297%"` exactly: digits, an optional point with up to eight decimals, and the
    /// percent sign. Nil for anything else, or above 100 %.
    public init?(_ text: String) {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        guard s.hasSuffix("%") else { return nil }
        s = s.dropLast()
        let pieces = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count) else { return nil }
        let whole = pieces[0], fraction = pieces.count == 2 ? pieces[1] : ""
        guard !whole.isEmpty, whole.count <= 3, fraction.count <= 8, pieces.count == 1 || !fraction.isEmpty,
              whole.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), fraction.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let w = Int64(whole) else { return nil }
        var f: Int64 = 0
        for digit in fraction.utf8 { f = f * 10 + Int64(digit - 48) }
        for _ in fraction.count..<8 { f *= 10 }
        let parts = w * 100_000_000 + f
        guard parts <= ChargeRate.partsPerWhole else { return nil }
        self.parts = parts
    }

    /// `0.00297%`: the shortest exact percentage.
    public var description: String {
        let whole = parts / 100_000_000, fraction = parts % 100_000_000
        if fraction == 0 { return "\(whole)%" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 8 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)%"
    }

    public static func < (a: ChargeRate, b: ChargeRate) -> Bool { a.parts < b.parts }
    public static func + (a: ChargeRate, b: ChargeRate) -> ChargeRate { ChargeRate(parts: a.parts + b.parts) }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let text = try? c.decode(String.self) else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "expected a percentage string such as \"0.025%\" (rates are never floating point)")
        }
        guard let rate = ChargeRate(text) else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "expected a percentage such as \"0.025%\" (the % sign, at most 8 decimals, at most 100%), got '\(text)'")
        }
        self = rate
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

// MARK: - Brokerage

/// What the broker charges per executed order.
public enum BrokerageRule: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The same amount, in paise, on every executed order; `.flatPerOrder(0)` is free delivery.
    /// YAML: `{ flat_per_order: "20" }`.
    case flatPerOrder(Int64)
    /// A share of the order's turnover, at most `maxPerOrder` paise when set: min(₹20, 0.03 %) is
    /// `.percentOfTurnover(ChargeRate("0.03%")!, maxPerOrder: 2_000)`.
    /// YAML: `{ percent: "0.03%", max_per_order: "20" }`.
    case percentOfTurnover(ChargeRate, maxPerOrder: Int64?)

    /// min(₹20, 0.03 % of turnover) per executed order.
    public static let discountIntraday = BrokerageRule.percentOfTurnover(ChargeRate(rupeesPerCrore: 3_000), maxPerOrder: 2_000)

    public var description: String {
        switch self {
        case .flatPerOrder(let p): "₹\(Paise(p)) per order"
        case .percentOfTurnover(let r, let cap?): "min(₹\(Paise(cap)), \(r)) per order"
        case .percentOfTurnover(let r, nil): "\(r) of turnover"
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case flatPerOrder = "flat_per_order", percent, maxPerOrder = "max_per_order"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownChargeKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.flatPerOrder) {
            guard !c.contains(.percent), !c.contains(.maxPerOrder) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .flatPerOrder, in: c,
                    debugDescription: "give either flat_per_order, or percent with an optional max_per_order, not both")
            }
            self = .flatPerOrder(try c.decodeRupees(.flatPerOrder))
        } else {
            let rate = try c.decode(ChargeRate.self, forKey: .percent)
            self = .percentOfTurnover(rate, maxPerOrder: c.contains(.maxPerOrder) ? try c.decodeRupees(.maxPerOrder) : nil)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .flatPerOrder(let p):
            try c.encode(Paise(p).description, forKey: .flatPerOrder)
        case .percentOfTurnover(let r, let cap):
            try c.encode(r, forKey: .percent)
            if let cap { try c.encode(Paise(cap).description, forKey: .maxPerOrder) }
        }
    }
}

// MARK: - One segment's rates

/// The rates of one segment (equity intraday, delivery, futures, options, commodity futures).
///
/// Turnover is quantity × price of the order (the premium for options). The side rules are data:
/// intraday STT is `stt_buy: "0%"`, `stt_sell: "0.025%"`; delivery has both. Stamp duty is by law
/// on the buyer only, so it has a buy rate alone.
public struct SegmentChargeRates: Hashable, Sendable, Codable {
    public var brokerage: BrokerageRule
    /// Securities transaction tax (commodities transaction tax on MCX) on a buy's turnover.
    public var sttBuy: ChargeRate
    /// STT / CTT on a sell's turnover.
    public var sttSell: ChargeRate
    /// The exchange's transaction charge on turnover, both sides.
    public var exchangeTransaction: ChargeRate
    /// The exchange's Investor Protection Fund Trust contribution on turnover, both sides (NSE:
    /// ₹10 per crore cash and futures, ₹50 per crore options). Reported inside the exchange
    /// transaction charge, as Kite's contract note does, and part of the GST base.
    public var ipft: ChargeRate
    /// SEBI turnover fee, both sides (₹10 per crore).
    public var sebiFee: ChargeRate
    /// Stamp duty on a buy's turnover (none on a sell).
    public var stampDutyBuy: ChargeRate

    public init(brokerage: BrokerageRule, sttBuy: ChargeRate, sttSell: ChargeRate, exchangeTransaction: ChargeRate,
                ipft: ChargeRate, sebiFee: ChargeRate, stampDutyBuy: ChargeRate) {
        self.brokerage = brokerage; self.sttBuy = sttBuy; self.sttSell = sttSell
        self.exchangeTransaction = exchangeTransaction; self.ipft = ipft; self.sebiFee = sebiFee
        self.stampDutyBuy = stampDutyBuy
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case brokerage, sttBuy = "stt_buy", sttSell = "stt_sell", exchangeTransaction = "exchange_transaction"
        case ipft, sebiFee = "sebi_fee", stampDutyBuy = "stamp_duty_buy"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownChargeKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        brokerage = try c.decode(BrokerageRule.self, forKey: .brokerage)
        sttBuy = try c.decode(ChargeRate.self, forKey: .sttBuy)
        sttSell = try c.decode(ChargeRate.self, forKey: .sttSell)
        exchangeTransaction = try c.decode(ChargeRate.self, forKey: .exchangeTransaction)
        ipft = try c.decode(ChargeRate.self, forKey: .ipft)
        sebiFee = try c.decode(ChargeRate.self, forKey: .sebiFee)
        stampDutyBuy = try c.decode(ChargeRate.self, forKey: .stampDutyBuy)
    }
}

// MARK: - A dated rate set

/// Which rates a trade pays, by what it is and how it is held.
public enum ChargeSegment: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Cash equity bought and sold the same day (product MIS).
    case equityIntraday = "equity_intraday"
    /// Cash equity taken or given in delivery (product CNC).
    case equityDelivery = "equity_delivery"
    /// Index and stock futures on NFO (NRML or MIS).
    case equityFutures = "equity_futures"
    /// Index and stock options on NFO, charged on the premium (NRML or MIS).
    case equityOptions = "equity_options"
    /// Non-agricultural commodity futures on MCX (outside the NSE scope; kept so the Kite contract
    /// note's MCX line can be checked).
    case commodityFutures = "commodity_futures"

    public var description: String { rawValue }
}

/// Every rate in force from one date until the next set's date.
public struct ChargeRateSet: Hashable, Sendable, Codable {
    /// The first trading date (IST) these rates apply to.
    public var effectiveFrom: LocalDate
    /// Where the rates come from: circulars, acts, the broker's schedule. Documentation only.
    public var source: String?
    /// GST on (brokerage + exchange transaction charge incl. IPFT + SEBI fee): 18 %.
    public var gst: ChargeRate
    public var equityIntraday: SegmentChargeRates
    public var equityDelivery: SegmentChargeRates
    public var equityFutures: SegmentChargeRates
    public var equityOptions: SegmentChargeRates
    public var commodityFutures: SegmentChargeRates

    public init(effectiveFrom: LocalDate, source: String? = nil, gst: ChargeRate, equityIntraday: SegmentChargeRates,
                equityDelivery: SegmentChargeRates, equityFutures: SegmentChargeRates,
                equityOptions: SegmentChargeRates, commodityFutures: SegmentChargeRates) {
        self.effectiveFrom = effectiveFrom; self.source = source; self.gst = gst
        self.equityIntraday = equityIntraday; self.equityDelivery = equityDelivery
        self.equityFutures = equityFutures; self.equityOptions = equityOptions
        self.commodityFutures = commodityFutures
    }

    @inlinable
    public func rates(for segment: ChargeSegment) -> SegmentChargeRates {
        switch segment {
        case .equityIntraday: equityIntraday
        case .equityDelivery: equityDelivery
        case .equityFutures: equityFutures
        case .equityOptions: equityOptions
        case .commodityFutures: commodityFutures
        }
    }

    public subscript(segment: ChargeSegment) -> SegmentChargeRates {
        get { rates(for: segment) }
        set {
            switch segment {
            case .equityIntraday: equityIntraday = newValue
            case .equityDelivery: equityDelivery = newValue
            case .equityFutures: equityFutures = newValue
            case .equityOptions: equityOptions = newValue
            case .commodityFutures: commodityFutures = newValue
            }
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case effectiveFrom = "effective_from", source, gst
        case equityIntraday = "equity_intraday", equityDelivery = "equity_delivery"
        case equityFutures = "equity_futures", equityOptions = "equity_options"
        case commodityFutures = "commodity_futures"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownChargeKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        effectiveFrom = try c.decode(LocalDate.self, forKey: .effectiveFrom)
        source = try c.decodeIfPresent(String.self, forKey: .source)
        gst = try c.decode(ChargeRate.self, forKey: .gst)
        equityIntraday = try c.decode(SegmentChargeRates.self, forKey: .equityIntraday)
        equityDelivery = try c.decode(SegmentChargeRates.self, forKey: .equityDelivery)
        equityFutures = try c.decode(SegmentChargeRates.self, forKey: .equityFutures)
        equityOptions = try c.decode(SegmentChargeRates.self, forKey: .equityOptions)
        commodityFutures = try c.decode(SegmentChargeRates.self, forKey: .commodityFutures)
    }
}

// MARK: - The `charges` section

/// How the total of one order's charges is rounded to the paisa.
public enum TotalRounding: String, Hashable, Sendable, Codable, CaseIterable {
    /// Each component is rounded half-up to the paisa and the total is their sum, so a report's
    /// components always add up to what the ledger charged (the default).
    case sumOfComponents = "sum_of_components"
    /// The total is the exact sum of the unrounded components, rounded half-up once: what Kite's
    /// virtual contract note gives (its `total` is the float sum). It can differ from the sum of
    /// the rounded components by up to 3 paise.
    case exactSum = "exact_sum"
}

/// The `charges` section of the configuration: the dated rate sets and the rounding rule.
public struct ChargesConfig: Hashable, Sendable, Codable {
    public var totalRounding: TotalRounding
    /// Rate sets, each in force from its `effective_from` until the next one's. Any order.
    public var rateSets: [ChargeRateSet]

    public init(totalRounding: TotalRounding = .sumOfComponents, rateSets: [ChargeRateSet]) {
        self.totalRounding = totalRounding
        self.rateSets = rateSets
    }

    /// The set in force on `date` (IST trading date): the latest `effective_from` on or before it.
    /// Nil when the date is before every set.
    public func rateSet(inForceOn date: LocalDate) -> ChargeRateSet? {
        rateSets.filter { $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }
    }

    /// Every problem with these rates, each naming its key (`rate_sets[1].equity_options.sebi_fee`).
    public func validate() throws(ChargesConfigError) {
        var problems: [ChargesConfigError.Problem] = []
        func add(_ key: String, _ message: String) { problems.append(.init(key: key, message: message)) }
        if rateSets.isEmpty { add("rate_sets", "at least one rate set is needed") }
        var seen: [LocalDate: Int] = [:]
        for (i, set) in rateSets.enumerated() {
            let at = "rate_sets[\(i)]"
            if let first = seen[set.effectiveFrom] {
                add("\(at).effective_from", "\(set.effectiveFrom) is also the date of rate_sets[\(first)]")
            } else {
                seen[set.effectiveFrom] = i
            }
            func check(_ rate: ChargeRate, _ key: String) {
                if rate.parts < 0 || rate.parts > ChargeRate.partsPerWhole {
                    add(key, "\(rate) is not between 0% and 100%")
                }
            }
            check(set.gst, "\(at).gst")
            for segment in ChargeSegment.allCases {
                let s = set.rates(for: segment), k = "\(at).\(segment.rawValue)"
                check(s.sttBuy, "\(k).stt_buy"); check(s.sttSell, "\(k).stt_sell")
                check(s.exchangeTransaction, "\(k).exchange_transaction"); check(s.ipft, "\(k).ipft")
                check(s.sebiFee, "\(k).sebi_fee"); check(s.stampDutyBuy, "\(k).stamp_duty_buy")
                switch s.brokerage {
                case .flatPerOrder(let p):
                    if p < 0 { add("\(k).brokerage.flat_per_order", "₹\(Paise(p)) is negative") }
                case .percentOfTurnover(let r, let cap):
                    check(r, "\(k).brokerage.percent")
                    if let cap, cap < 0 { add("\(k).brokerage.max_per_order", "₹\(Paise(cap)) is negative") }
                }
            }
        }
        if !problems.isEmpty { throw ChargesConfigError(problems: problems) }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case totalRounding = "total_rounding", rateSets = "rate_sets"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownChargeKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        totalRounding = try c.decodeIfPresent(TotalRounding.self, forKey: .totalRounding) ?? .sumOfComponents
        rateSets = try c.decode([ChargeRateSet].self, forKey: .rateSets)
    }
}

/// The `charges` configuration does not make sense: every problem, each naming its key.
public struct ChargesConfigError: Error, Hashable, Sendable, CustomStringConvertible, ExitStatusProviding {
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        /// Key path below the `charges` section: `rate_sets[0].equity_futures.stt_sell`.
        public let key: String
        public let message: String

        public init(key: String, message: String) { self.key = key; self.message = message }
        public var description: String { "\(key): \(message)" }
    }

    public let problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    public var exitStatus: ExitStatus { .configError }

    public var description: String {
        let count = problems.count
        return (["charges: \(count) problem\(count == 1 ? "" : "s")"] + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}

// MARK: - Strict decoding helpers

/// A mapping key by its text, to list every key a mapping has.
private struct AnyChargeKey: CodingKey {
    let stringValue: String
    init(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws for a key `Keys` does not know: configuration typos are errors, not silent defaults.
    func rejectUnknownChargeKeys<Keys: CodingKey & CaseIterable>(_: Keys.Type) throws {
        let container = try self.container(keyedBy: AnyChargeKey.self)
        let known = Keys.allCases.map(\.stringValue)
        for key in container.allKeys where !known.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: container.codingPath + [key],
                debugDescription: "unknown key '\(key.stringValue)'; expected one of: \(known.joined(separator: ", "))"))
        }
    }
}

extension KeyedDecodingContainer {
    /// A non-negative rupee amount written as text (`"20"`, `"20.00"`) or a whole number of rupees.
    fileprivate func decodeRupees(_ key: Key) throws -> Int64 {
        if let text = try? decode(String.self, forKey: key) {
            guard let amount = Paise(rupees: text), amount.value >= 0 else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: self, debugDescription: "expected rupees such as \"20\" or \"20.00\", got '\(text)'")
            }
            return amount.value
        }
        let rupees = try decode(Int64.self, forKey: key)
        guard rupees >= 0, rupees <= Int64.max / 100 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected rupees ≥ 0, got \(rupees)")
        }
        return rupees * 100
    }
}

import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
