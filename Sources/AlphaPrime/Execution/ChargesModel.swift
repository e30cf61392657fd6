/// Computes the charges (brokerage, taxes, fees) of one fill, in paise.
///
/// Backtests, paper and live reconciliation use the same model. `NoCharges` is for research presets
/// that compare raw signals across engines.
public protocol ChargesModel: Sendable {
    func charges(side: Side, quantity: Int64, price: Int64, product: ProductType, symbol: SymbolID) -> Int64
}

public struct NoCharges: ChargesModel {
    public init() {}
    public func charges(side: Side, quantity: Int64, price: Int64, product: ProductType, symbol: SymbolID) -> Int64 { 0 }
}
