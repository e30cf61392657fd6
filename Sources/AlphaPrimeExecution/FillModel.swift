import AlphaPrimeSupport
import AlphaPrimeDomain

/// How a simulated broker turns working orders into fills against bars.
///
/// The rules (documented in docs/backtesting.md):
/// - A MARKET order placed on a bar's close fills at the **next bar's open**, moved against the
///   order by the slippage.
/// - A LIMIT buy fills when a bar trades at or below its limit: at the open if the bar opens at or
///   below the limit (a gap in the buyer's favour), else at the limit. Sells mirror this.
/// - An SL-M buy triggers when a bar trades at or above its trigger: at the open if the bar opens
///   beyond the trigger (a gap through the stop), else at the trigger; then slippage. Sells mirror.
///   An SL (stop-limit) order fills like SL-M only when that price is within its limit; otherwise it
///   keeps working as a LIMIT order at its limit price.
/// - Conservative rule: within one bar, stop orders are filled before limit orders, so when a stop
///   loss and a take profit of the same position are both inside one bar, the **stop loss** fills and
///   the target is cancelled.
/// - Protective orders placed when an entry fills at a bar's open are checked against the rest of
///   that same bar from the entry's fill price: one the market had already crossed fills at that
///   price (never better than the market); otherwise at its own price when the high or low reaches it.
public struct FillModel: Sendable, Equatable {
    public enum Slippage: Sendable, Equatable {
        case none
        /// A fixed number of ticks against the order.
        case ticks(Int64)
        /// Basis points of the price against the order, rounded to the tick away from the trader.
        case basisPoints(Int64)
    }

    public var slippage: Slippage

    public init(slippage: Slippage = .none) { self.slippage = slippage }

    /// Applies slippage to a market or stop execution price.
    @inlinable
    public func slipped(_ price: Int64, side: Side, tickSize: Int64) -> Int64 {
        switch slippage {
        case .none:
            return price
        case .ticks(let n):
            return price + side.sign * n * tickSize
        case .basisPoints(let bp):
            let raw = price * bp  // paise × bp; divide by 10_000 rounding up in paise
            var amount = (raw + 9_999) / 10_000
            if tickSize > 1 { amount = (amount + tickSize - 1) / tickSize * tickSize }
            return price + side.sign * amount
        }
    }
}
