import AlphaPrimeSupport
import AlphaPrimeDomain

/// The charges of one executed order (or, summed, of a day, a trade or a backtest), component by
/// component, in paise. Reports show gross P&L, these and net P&L; contract-note reconciliation
/// compares them one by one (Kite: `brokerage`, `transaction_tax`, `exchange_turnover_charge`,
/// `sebi_turnover_charge`, `stamp_duty`, `gst.total`, `total`).
public struct ChargesBreakdown: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Quantity × price (the premium for options), the base of every percentage charge.
    public var turnover: Int64
    public var brokerage: Int64
    /// Securities transaction tax (commodities transaction tax on MCX).
    public var stt: Int64
    /// Exchange transaction charge including the exchange's IPFT contribution.
    public var exchangeTransaction: Int64
    public var sebiFee: Int64
    public var stampDuty: Int64
    /// GST on brokerage + exchange transaction charge + SEBI fee.
    public var gst: Int64
    /// What the ledger charges. With ``TotalRounding/sumOfComponents`` it equals
    /// ``componentSum``; with ``TotalRounding/exactSum`` it may differ from it by up to 3 paise.
    public var total: Int64

    public init(turnover: Int64 = 0, brokerage: Int64 = 0, stt: Int64 = 0, exchangeTransaction: Int64 = 0,
                sebiFee: Int64 = 0, stampDuty: Int64 = 0, gst: Int64 = 0, total: Int64 = 0) {
        self.turnover = turnover; self.brokerage = brokerage; self.stt = stt
        self.exchangeTransaction = exchangeTransaction; self.sebiFee = sebiFee; self.stampDuty = stampDuty
        self.gst = gst; self.total = total
    }

    public static let zero = ChargesBreakdown()

    /// Everything but the brokerage itself: STT + exchange + SEBI + stamp duty + GST.
    public var taxesAndFees: Int64 { stt + exchangeTransaction + sebiFee + stampDuty + gst }

    /// The sum of the rounded components.
    public var componentSum: Int64 { brokerage + taxesAndFees }

    public static func + (a: ChargesBreakdown, b: ChargesBreakdown) -> ChargesBreakdown {
        ChargesBreakdown(turnover: a.turnover + b.turnover, brokerage: a.brokerage + b.brokerage, stt: a.stt + b.stt,
                         exchangeTransaction: a.exchangeTransaction + b.exchangeTransaction,
                         sebiFee: a.sebiFee + b.sebiFee, stampDuty: a.stampDuty + b.stampDuty,
                         gst: a.gst + b.gst, total: a.total + b.total)
    }

    public static func += (a: inout ChargesBreakdown, b: ChargesBreakdown) { a = a + b }

    /// `brokerage 20.00, STT 0.00, exchange 0.08, SEBI 0.00, stamp 0.00, GST 3.61, total 23.69`
    public var description: String {
        "brokerage \(Paise(brokerage)), STT \(Paise(stt)), exchange \(Paise(exchangeTransaction)), "
            + "SEBI \(Paise(sebiFee)), stamp \(Paise(stampDuty)), GST \(Paise(gst)), total \(Paise(total))"
    }

    enum CodingKeys: String, CodingKey {
        case turnover, brokerage, stt, exchangeTransaction = "exchange_transaction", sebiFee = "sebi_fee"
        case stampDuty = "stamp_duty", gst, total
    }
}
