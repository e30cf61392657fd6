/// Funds and margins of both segments (`GET /user/margins`).
public struct KiteMargins: Decodable, Sendable, Hashable {
    public var equity: KiteSegmentMargins?
    public var commodity: KiteSegmentMargins?
    enum CodingKeys: String, CodingKey { case equity, commodity }
}

/// Funds and margins of one segment (`GET /user/margins/:segment`).
public struct KiteSegmentMargins: Decodable, Sendable, Hashable {
    public var enabled: Bool
    /// Net cash balance available for trading.
    public var net: KitePrice
    public var available: Available
    public var utilised: Utilised

    public struct Available: Decodable, Sendable, Hashable {
        public var adhocMargin: KitePrice
        public var cash: KitePrice
        public var openingBalance: KitePrice
        public var liveBalance: KitePrice
        public var collateral: KitePrice
        public var intradayPayin: KitePrice
        enum CodingKeys: String, CodingKey {
            case adhocMargin = "adhoc_margin", cash, openingBalance = "opening_balance"
            case liveBalance = "live_balance", collateral, intradayPayin = "intraday_payin"
        }
    }

    public struct Utilised: Decodable, Sendable, Hashable {
        public var debits: KitePrice
        public var exposure: KitePrice
        public var m2mRealised: KitePrice
        public var m2mUnrealised: KitePrice
        public var optionPremium: KitePrice
        public var payout: KitePrice
        public var span: KitePrice
        public var holdingSales: KitePrice
        public var turnover: KitePrice
        public var liquidCollateral: KitePrice
        public var stockCollateral: KitePrice
        public var delivery: KitePrice?
        enum CodingKeys: String, CodingKey {
            case debits, exposure, m2mRealised = "m2m_realised", m2mUnrealised = "m2m_unrealised"
            case optionPremium = "option_premium", payout, span, holdingSales = "holding_sales", turnover
            case liquidCollateral = "liquid_collateral", stockCollateral = "stock_collateral", delivery
        }
    }

    enum CodingKeys: String, CodingKey { case enabled, net, available, utilised }
}

/// The charges Kite computes for an order (order margins, basket margins, the virtual contract
/// note). Components are rupees with sub-paisa digits (`0.01876`); each `KitePrice` keeps them and
/// rounds to paise. `total` is Kite's sum of the unrounded components, so the rounded components need
/// not add up to the rounded total; compare `rupees` for that.
public struct KiteCharges: Decodable, Sendable, Hashable {
    /// STT (equity) or CTT (commodity); which is `transactionTaxType`.
    public var transactionTax: KitePrice
    /// `stt`, `ctt`, or empty when there is none.
    public var transactionTaxType: String
    public var exchangeTurnoverCharge: KitePrice
    public var sebiTurnoverCharge: KitePrice
    public var brokerage: KitePrice
    public var stampDuty: KitePrice
    public var gst: GST
    public var total: KitePrice

    public struct GST: Decodable, Sendable, Hashable {
        public var igst: KitePrice
        public var cgst: KitePrice
        public var sgst: KitePrice
        public var total: KitePrice
        enum CodingKeys: String, CodingKey { case igst, cgst, sgst, total }
    }

    /// The components in rupees as sent: transaction tax, exchange and SEBI turnover charges,
    /// brokerage, stamp duty, GST total.
    public var componentRupees: [Double] {
        [transactionTax, exchangeTurnoverCharge, sebiTurnoverCharge, brokerage, stampDuty, gst.total].map(\.rupees)
    }

    enum CodingKeys: String, CodingKey {
        case transactionTax = "transaction_tax", transactionTaxType = "transaction_tax_type"
        case exchangeTurnoverCharge = "exchange_turnover_charge", sebiTurnoverCharge = "sebi_turnover_charge"
        case brokerage, stampDuty = "stamp_duty", gst, total
    }
}

/// The margin one order needs (`POST /margins/orders`, and each entry of a basket).
public struct KiteOrderMargin: Decodable, Sendable, Hashable {
    public var type: String
    public var tradingsymbol: String
    public var exchange: String
    public var span: KitePrice
    public var exposure: KitePrice
    public var optionPremium: KitePrice
    public var additional: KitePrice
    public var bo: KitePrice
    public var cash: KitePrice
    public var `var`: KitePrice
    public var pnl: PnL
    public var leverage: Double
    public var charges: KiteCharges
    public var total: KitePrice

    public struct PnL: Decodable, Sendable, Hashable {
        public var realised: KitePrice
        public var unrealised: KitePrice
        enum CodingKeys: String, CodingKey { case realised, unrealised }
    }

    enum CodingKeys: String, CodingKey {
        case type, tradingsymbol, exchange, span, exposure, optionPremium = "option_premium", additional
        case bo, cash, `var`, pnl, leverage, charges, total
    }
}

/// The margin of a basket (`POST /margins/basket`): before (`initial`) and after (`final`) netting
/// the basket's legs, each order's margin, and the basket's charges.
public struct KiteBasketMargins: Decodable, Sendable, Hashable {
    public var initial: KiteOrderMargin
    public var final: KiteOrderMargin
    public var orders: [KiteOrderMargin]
    public var charges: KiteCharges
    enum CodingKeys: String, CodingKey { case initial, final, orders, charges }
}

/// One order of the virtual contract note (`POST /charges/orders`): the order and its charges.
public struct KiteContractNoteEntry: Decodable, Sendable, Hashable {
    public var transactionType: String
    public var tradingsymbol: String
    public var exchange: String
    public var variety: String
    public var product: String
    public var orderType: String
    public var quantity: Int64
    public var price: KitePrice
    public var charges: KiteCharges
    enum CodingKeys: String, CodingKey {
        case transactionType = "transaction_type", tradingsymbol, exchange, variety, product
        case orderType = "order_type", quantity, price, charges
    }
}
