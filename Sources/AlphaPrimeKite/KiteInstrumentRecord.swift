import AlphaPrimeDomain

extension KiteInstrument {
    /// The instrument as the state database keeps it: prices in exact paise, or nil where Kite's
    /// value is finer than a paisa (currency derivatives tick in ₹0.0025); the last price is not kept.
    public var record: InstrumentRecord {
        InstrumentRecord(instrumentToken: instrumentToken, exchangeToken: exchangeToken, tradingsymbol: tradingsymbol,
                         name: name, expiry: expiry, strike: strike.exactPaise, tickSize: tickSize.exactPaise,
                         lotSize: lotSize, instrumentType: instrumentType, segment: segment, exchange: exchange)
    }
}

extension KitePrice {
    /// The amount in paise when it is a whole number of paise, nil when Kite's value is finer.
    public var exactPaise: Paise? {
        // `paise` is the nearest paisa; it is exact when it reads back as the same number.
        Double(paise.value) / 100 == rupees ? paise : nil
    }
}
