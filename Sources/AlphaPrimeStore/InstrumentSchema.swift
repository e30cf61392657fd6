extension StateSchema {
    /// Migration 6: the broker's instrument master, one row per instrument, replaced whole per
    /// exchange by each download (`market-data instruments`).
    ///
    /// - `instrument_token` is Kite's token, unique across exchanges (its low byte names the segment).
    /// - Money is paise: `strike_paise` and `tick_size_paise` are NULL when the broker's value is
    ///   finer than a paisa (currency derivatives tick in ₹0.0025), never a rounded guess.
    /// - `expiry` and `downloaded_on` are `YYYY-MM-DD` (IST dates); `expiry` is NULL for indices and
    ///   equities.
    static let v6Instruments = """
        CREATE TABLE instruments (
            instrument_token {{int}} PRIMARY KEY CHECK (instrument_token > 0),
            exchange_token {{int}} NOT NULL,
            tradingsymbol TEXT NOT NULL CHECK (length(tradingsymbol) >= 1),
            name TEXT NOT NULL,
            expiry TEXT CHECK (expiry IS NULL OR length(expiry) = 10),
            strike_paise {{int}} CHECK (strike_paise IS NULL OR strike_paise >= 0),
            tick_size_paise {{int}} CHECK (tick_size_paise IS NULL OR tick_size_paise >= 0),
            lot_size {{int}} NOT NULL CHECK (lot_size >= 0),
            instrument_type TEXT NOT NULL,
            segment TEXT NOT NULL,
            exchange TEXT NOT NULL CHECK (length(exchange) >= 1),
            downloaded_on TEXT NOT NULL CHECK (length(downloaded_on) = 10)
        ){{strict}};
        CREATE INDEX instruments_symbol_idx ON instruments (exchange, tradingsymbol);
        CREATE INDEX instruments_underlying_idx ON instruments (name, segment, expiry);
        """
}
