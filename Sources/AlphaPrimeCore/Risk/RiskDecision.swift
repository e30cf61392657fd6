import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// What the risk stage knows when it judges a signal: the account and the position, now.
public struct RiskContext: Sendable {
    public var time: Int64
    public var equity: Int64
    public var cash: Int64
    public var startingCapital: Int64
    /// Equity at the start of the current trading day.
    public var dayStartEquity: Int64
    /// Highest equity seen so far.
    public var peakEquity: Int64
    /// Books (strategy × symbol) with a position.
    public var openPositions: Int
    /// The signalling strategy's own signed position in the symbol.
    public var position: Int64
    /// Net signed position in the symbol across strategies.
    public var netPosition: Int64
    /// Last price of the symbol, paise.
    public var lastPrice: Int64
    public var lotSize: Int64
    public var minutesSinceOpen: Int
    public var minutesToClose: Int
    /// Entry orders working for flat books (each will open a position when it fills).
    public var pendingEntries: Int
    /// Per symbol: books with a position plus entries working to open one. Empty when unknown.
    public var positionsBySymbol: [Int]
    /// Per symbol: net signed position and last price, for the total exposure. Empty when unknown.
    public var netPositions: [Int64]
    public var lastPrices: [Int64]
    /// The order product; the square-off time applies to intraday (MIS) entries only.
    public var product: ProductType
    /// Σ |net position| × last price of the other symbols, for the total exposure; nil to work it
    /// out from `netPositions` and `lastPrices`.
    public var otherSymbolsNotional: Int64?

    public init(time: Int64, equity: Int64, cash: Int64, startingCapital: Int64, dayStartEquity: Int64,
                peakEquity: Int64, openPositions: Int, position: Int64, netPosition: Int64, lastPrice: Int64,
                lotSize: Int64, minutesSinceOpen: Int = -1, minutesToClose: Int = -1, pendingEntries: Int = 0,
                positionsBySymbol: [Int] = [], netPositions: [Int64] = [], lastPrices: [Int64] = [],
                product: ProductType = .mis, otherSymbolsNotional: Int64? = nil) {
        self.time = time; self.equity = equity; self.cash = cash; self.startingCapital = startingCapital
        self.dayStartEquity = dayStartEquity; self.peakEquity = peakEquity; self.openPositions = openPositions
        self.position = position; self.netPosition = netPosition; self.lastPrice = lastPrice; self.lotSize = lotSize
        self.minutesSinceOpen = minutesSinceOpen; self.minutesToClose = minutesToClose
        self.pendingEntries = pendingEntries; self.positionsBySymbol = positionsBySymbol
        self.netPositions = netPositions; self.lastPrices = lastPrices; self.product = product
        self.otherSymbolsNotional = otherSymbolsNotional
    }
}

public enum RiskDecision: Sendable, Equatable {
    case approved(quantity: Int64)
    case rejected(RiskRejection)

    public var quantity: Int64 { if case .approved(let q) = self { q } else { 0 } }
    public var rejection: RiskRejection? { if case .rejected(let r) = self { r } else { nil } }
}

/// The sizing rule that gave an approved quantity.
public enum SizingMethod: String, Sendable, Equatable, CustomStringConvertible {
    case fixedFractional = "fixed_fractional", kelly, fixedQuantity = "fixed_quantity", exit

    public var description: String { rawValue }

    /// The rule an approval by this method is recorded under.
    public var rule: String {
        switch self {
        case .fixedFractional: RiskRule.perTradeRisk
        case .kelly: RiskRule.kelly
        case .fixedQuantity, .exit: RiskRule.sizing
        }
    }
}

/// How an approved signal was sized: the numbers behind the quantity.
public struct SizingDetail: Sendable, Equatable, CustomStringConvertible {
    public var method: SizingMethod
    /// The size the sizing rule gave, before the exposure caps.
    public var sized: Int64
    public var quantity: Int64
    /// Entry reference price (the limit price, else the last price), paise.
    public var entryPrice: Int64 = 0
    /// |entry − stop| in paise; 0 without a stop.
    public var stopDistance: Int64 = 0
    /// The risk budget in paise (per-trade risk % of equity, or the Kelly bound when lower); 0 when not used.
    public var riskBudget: Int64 = 0
    /// The risk % that set the budget.
    public var riskPercent: RiskPercent?
    /// Full Kelly of the recent trades when the Kelly bound was computed.
    public var kelly: Double?
    /// The cap that lowered the size below `sized` (plain data: the detail copies without refcounting).
    public enum Reduction: UInt8, Sendable, Equatable {
        case none, symbolExposure, totalExposure
    }
    public var reduction: Reduction = .none

    /// The rule that lowered the size below `sized`, if any.
    public var reducedBy: String? {
        switch reduction {
        case .none: nil
        case .symbolExposure: RiskRule.maxExposurePerSymbol
        case .totalExposure: RiskRule.maxTotalExposure
        }
    }

    /// Money lost if the stop fills at its price.
    public var riskAtStop: Int64 { quantity * stopDistance }

    public var description: String {
        var text = "\(quantity) units (\(method)"
        if riskBudget > 0 {
            text += ": budget \(RiskFormat.rupees(riskBudget))"
            if let p = riskPercent { text += " = \(p) of equity" }
            if let k = kelly { text += ", full Kelly \(RiskFormat.number((k * 10_000).rounded() / 100))%" }
        }
        if stopDistance > 0 { text += ", stop \(RiskFormat.rupees(stopDistance)) away, risk at stop \(RiskFormat.rupees(riskAtStop))" }
        text += ")"
        if let reducedBy { text += "; reduced from \(sized) by \(reducedBy)" }
        return text
    }
}

/// A decision with the sizing behind it.
public struct RiskAssessment: Sendable, Equatable {
    public var decision: RiskDecision
    public var sizing: SizingDetail?
}
