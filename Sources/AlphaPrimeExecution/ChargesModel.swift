import AlphaPrimeSupport
import AlphaPrimeDomain

/// Computes the charges (brokerage, taxes, fees) of one executed order, in paise.
///
/// Backtests, paper and live reconciliation use the same model (``CostModel`` for Indian charges).
/// `NoCharges` is for research presets that compare raw signals across engines.
///
/// Brokerage is charged per executed order, so call it once per order (with the order's filled
/// quantity and average price), not once per partial fill.
public protocol ChargesModel: Sendable {
    func charges(side: Side, quantity: Int64, price: Int64, product: ProductType, symbol: SymbolID) -> Int64

    /// The charges of an order executed at `time` (UTC epoch seconds, like ``Fill/time``): rates
    /// change, and a dated model charges the rates in force on that IST trading date. Models
    /// without dates answer as the undated call.
    func charges(side: Side, quantity: Int64, price: Int64, product: ProductType, symbol: SymbolID, time: Int64) -> Int64
}

extension ChargesModel {
    public func charges(side: Side, quantity: Int64, price: Int64, product: ProductType, symbol: SymbolID, time: Int64) -> Int64 {
        charges(side: side, quantity: quantity, price: price, product: product, symbol: symbol)
    }
}

public struct NoCharges: ChargesModel {
    public init() {}
    public func charges(side: Side, quantity: Int64, price: Int64, product: ProductType, symbol: SymbolID) -> Int64 { 0 }
}
