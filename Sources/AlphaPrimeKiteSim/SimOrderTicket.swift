import AlphaPrimeDomain

/// A placement's parameters, checked as Kite checks them before an order reaches the exchange.
struct SimOrderTicket: Sendable, Equatable {
    var instrument: Int
    var side: Side
    var orderType: OrderType
    var product: ProductType
    var quantity: Int64
    var price: Int64
    var triggerPrice: Int64
    var tag: String?

    init(instrument: Int, side: Side, orderType: OrderType, product: ProductType, quantity: Int64, price: Int64,
         triggerPrice: Int64, tag: String?) {
        self.instrument = instrument; self.side = side; self.orderType = orderType; self.product = product
        self.quantity = quantity; self.price = price; self.triggerPrice = triggerPrice; self.tag = tag
    }

    /// Reads and checks `POST /orders/regular`'s form fields against the instrument list.
    init(fields: FormFields, instruments: SimInstrumentList) throws(KiteAPIError) {
        let exchange = try fields.required("exchange")
        let symbol = try fields.required("tradingsymbol")
        guard let index = instruments.index(exchange: exchange, tradingsymbol: symbol) else {
            throw .input("Invalid `tradingsymbol`: \(exchange):\(symbol) is not in the instrument list.")
        }
        let instrument = instruments.instruments[index]
        guard instrument.isTradable else {
            throw .input("\(instrument.key) is an index (segment \(instrument.segment)) and cannot be traded.")
        }
        let side = try fields.required("transaction_type")
        guard let parsedSide = Side(rawValue: side) else {
            throw .input("Invalid `transaction_type`: \"\(side)\" (BUY or SELL).")
        }
        let product = try fields.required("product")
        guard let parsedProduct = ProductType(rawValue: product) else {
            throw .input("Invalid `product`: \"\(product)\" (MIS, NRML or CNC).")
        }
        if let validity = fields["validity"], !validity.isEmpty, validity != "DAY" {
            throw .input("Invalid `validity`: \"\(validity)\" (kite-sim takes DAY orders only).")
        }
        if let variety = fields["variety"], !variety.isEmpty, variety != "regular" {
            throw .input("Invalid `variety`: \"\(variety)\" (kite-sim places regular orders only).")
        }
        guard let quantity = try fields.integer("quantity") else { throw .input("Missing or empty field `quantity`.") }
        let tag = fields["tag"].flatMap { $0.isEmpty ? nil : $0 }
        if let tag, tag.count > 20 || !tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            throw .input("Invalid `tag`: \"\(tag)\" (at most 20 letters and digits).")
        }
        self.instrument = index
        self.side = parsedSide
        self.product = parsedProduct
        self.tag = tag
        self.orderType = .market
        self.quantity = 0
        self.price = 0
        self.triggerPrice = 0
        try apply(orderType: try fields.required("order_type"), quantity: quantity, price: try fields.rupees("price"),
                  triggerPrice: try fields.rupees("trigger_price"), instrument: instrument)
    }

    /// Sets the order type, quantity and prices, checked: a positive quantity in whole lots; a
    /// price for LIMIT and SL, a trigger for SL and SL-M, both on the instrument's tick; an SL buy's
    /// trigger at or below its price, an SL sell's at or above. Prices an order type does not use
    /// are set to 0, as Kite shows them.
    mutating func apply(orderType text: String, quantity: Int64, price: Int64?, triggerPrice: Int64?,
                        instrument: SimInstrument) throws(KiteAPIError) {
        guard let type = OrderType(rawValue: text) else {
            throw .input("Invalid `order_type`: \"\(text)\" (MARKET, LIMIT, SL or SL-M).")
        }
        guard quantity > 0 else { throw .input("Invalid `quantity`: \(quantity) (it must be positive).") }
        guard quantity % instrument.lotSize == 0 else {
            throw .input("Quantity should be a multiple of the lot size \(instrument.lotSize) of \(instrument.key).")
        }
        let usesPrice = type == .limit || type == .stopLoss
        let usesTrigger = type == .stopLoss || type == .stopLossMarket
        let limit = usesPrice ? (price ?? 0) : 0
        let trigger = usesTrigger ? (triggerPrice ?? 0) : 0
        if usesPrice && limit <= 0 { throw .input("Invalid `price`: a \(type.rawValue) order needs a price above 0.") }
        if usesTrigger && trigger <= 0 {
            throw .input("Invalid `trigger_price`: a \(type.rawValue) order needs a trigger price above 0.")
        }
        guard limit % instrument.tickSize == 0, trigger % instrument.tickSize == 0 else {
            throw .input("Tick size for this script is \(JSON.rupeeText(instrument.tickSize)). Kindly enter price in the multiple of tick size for this script.")
        }
        if type == .stopLoss {
            if side == .buy && trigger > limit {
                throw .input("Trigger price for stoploss buy orders should be less than or equal to the price.")
            }
            if side == .sell && trigger < limit {
                throw .input("Trigger price for stoploss sell orders should be greater than or equal to the price.")
            }
        }
        self.orderType = type
        self.quantity = quantity
        self.price = limit
        self.triggerPrice = trigger
    }
}
