import AlphaPrimeSupport
import AlphaPrimeDomain

/// Order products (MIS, CNC, NRML), lot sizes and freeze-quantity slicing: the rules an order must
/// meet before it goes to the exchange.

/// Settings of the order products. MIS positions are squared off by the engine at `mis_square_off`
/// (the broker's own auto square-off comes a few minutes later and costs extra).
public struct OrderProductRules: Hashable, Sendable, Codable {
    /// 15:20 IST.
    public static let defaultMISSquareOff = TimeOfDay(hour: 15, minute: 20)!

    /// When the engine closes every MIS position, IST.
    public var misSquareOff: TimeOfDay

    public init(misSquareOff: TimeOfDay = OrderProductRules.defaultMISSquareOff) {
        self.misSquareOff = misSquareOff
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case misSquareOff = "mis_square_off" }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownChargeKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        misSquareOff = try c.decodeIfPresent(TimeOfDay.self, forKey: .misSquareOff) ?? OrderProductRules.defaultMISSquareOff
    }
}

/// Why an order cannot go to the exchange as it is.
public enum OrderProductError: Error, Hashable, Sendable, CustomStringConvertible {
    /// CNC on a derivative, NRML on cash equity.
    case productNotAllowed(symbol: String, product: ProductType, kind: InstrumentKind)
    case quantityNotPositive(symbol: String, quantity: Int64)
    /// F&O (and any instrument with a lot above 1) trades in whole lots only.
    case notWholeLots(symbol: String, quantity: Int64, lotSize: Int64)
    /// The configured freeze quantity is smaller than one lot, so no slice could be sent.
    case freezeBelowOneLot(symbol: String, freezeQuantity: Int64, lotSize: Int64)

    public var description: String {
        switch self {
        case let .productNotAllowed(symbol, product, kind):
            let allowed = ProductType.allowed(for: kind).map(\.rawValue).joined(separator: " or ")
            let what = product == .cnc ? "CNC is equity delivery only" : product == .nrml
                ? "NRML is for F&O and commodity carry-forward" : "\(product.rawValue) is not allowed"
            return "\(what): \(symbol) is \(kind) (use \(allowed))"
        case let .quantityNotPositive(symbol, quantity):
            return "quantity \(quantity) of \(symbol) is not positive"
        case let .notWholeLots(symbol, quantity, lotSize):
            let down = quantity - quantity % lotSize
            return "quantity \(quantity) of \(symbol) is not a whole number of lots of \(lotSize) (nearest below: \(down))"
        case let .freezeBelowOneLot(symbol, freezeQuantity, lotSize):
            return "freeze quantity \(freezeQuantity) of \(symbol) is less than one lot of \(lotSize)"
        }
    }
}

extension ProductType {
    /// MIS for anything intraday; CNC for cash equity delivery only; NRML for derivatives
    /// (F&O and commodity futures) carried overnight.
    @inlinable
    public func isAllowed(for kind: InstrumentKind) -> Bool {
        switch self {
        case .mis: true
        case .cnc: kind == .equity
        case .nrml: kind != .equity
        }
    }

    /// The products an instrument of this kind may be ordered under.
    public static func allowed(for kind: InstrumentKind) -> [ProductType] {
        allCases.filter { $0.isAllowed(for: kind) }
    }
}

extension Instrument {
    /// Checks an order's product and quantity: the product fits the instrument, the quantity is
    /// positive and a whole number of lots.
    public func checkOrder(quantity: Int64, product: ProductType, kind: InstrumentKind) throws(OrderProductError) {
        guard product.isAllowed(for: kind) else {
            throw .productNotAllowed(symbol: symbol, product: product, kind: kind)
        }
        guard quantity > 0 else { throw .quantityNotPositive(symbol: symbol, quantity: quantity) }
        guard isWholeLots(quantity) else { throw .notWholeLots(symbol: symbol, quantity: quantity, lotSize: lotSize) }
    }

    /// Whether `quantity` is a whole number of lots (always, for a lot size of 1).
    @inlinable
    public func isWholeLots(_ quantity: Int64) -> Bool {
        lotSize <= 1 || quantity % lotSize == 0
    }

    /// `quantity` rounded toward zero to whole lots: 100 with a lot of 75 is 75, 74 is 0, and a
    /// signed position never grows (-100 is -75). Sizing uses it after risk ÷ stop distance.
    @inlinable
    public func roundDownToLot(_ quantity: Int64) -> Int64 {
        lotSize <= 1 ? quantity : quantity - quantity % lotSize
    }

    /// Whole lots in `quantity`, rounded toward zero.
    @inlinable
    public func lots(in quantity: Int64) -> Int64 {
        quantity / Swift.max(1, lotSize)
    }

    /// The largest quantity one order may carry: the freeze quantity rounded down to whole lots;
    /// nil when there is no freeze limit (0).
    @inlinable
    public var largestOrderQuantity: Int64? {
        freezeQuantity > 0 ? roundDownToLot(freezeQuantity) : nil
    }

    /// Splits an order into child orders the exchange accepts: each at most the freeze quantity and
    /// a whole number of lots, the full slices first and the rest last (NIFTY, freeze 1800, lot 75:
    /// 3975 → 1800, 1800, 375). Zero gives no slices; an instrument without a freeze limit gives the
    /// order itself. A quantity that is not whole lots is refused. Each child is a separately
    /// executed order: it pays its own brokerage.
    public func freezeSlices(_ quantity: Int64) throws(OrderProductError) -> FreezeSlices {
        guard quantity >= 0 else { throw .quantityNotPositive(symbol: symbol, quantity: quantity) }
        guard isWholeLots(quantity) else { throw .notWholeLots(symbol: symbol, quantity: quantity, lotSize: lotSize) }
        guard let largest = largestOrderQuantity else { return FreezeSlices(quantity: quantity, largest: quantity) }
        guard largest > 0 else {
            throw .freezeBelowOneLot(symbol: symbol, freezeQuantity: freezeQuantity, lotSize: lotSize)
        }
        return FreezeSlices(quantity: quantity, largest: largest)
    }
}

/// The child quantities of a sliced order, computed on demand (no array for a huge order):
/// `Array(slices)` is `[1800, 1800, 375]`.
public struct FreezeSlices: RandomAccessCollection, Hashable, Sendable {
    /// The whole order.
    public let quantity: Int64
    /// The size of every slice but the last.
    public let largest: Int64
    public let count: Int

    @usableFromInline
    init(quantity: Int64, largest: Int64) {
        self.quantity = quantity
        self.largest = largest
        count = quantity == 0 ? 0 : Int((quantity + largest - 1) / largest)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Int64 {
        precondition(position >= 0 && position < count, "slice \(position) of \(count)")
        return position < count - 1 ? largest : quantity - largest * Int64(count - 1)
    }
}
