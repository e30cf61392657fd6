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

extension StateSchema {
    /// Migration 7: the 1-minute bars a live session built from the broker's ticker, per mode and
    /// symbol, written with the engine's commits (never ahead of its recorded progress being
    /// covered): a restart replays them from the open to rebuild the session, and they go to the
    /// market-data store when the session ends. `bar_at_us` is the bar's start.
    static let v7EngineBars = """
        CREATE TABLE engine_bars (
            mode TEXT NOT NULL CHECK (mode IN ('backtest', 'paper', 'live')),
            symbol TEXT NOT NULL CHECK (length(symbol) >= 1),
            bar_at_us {{int}} NOT NULL,
            open_paise {{int}} NOT NULL CHECK (open_paise > 0),
            high_paise {{int}} NOT NULL CHECK (high_paise >= open_paise AND high_paise >= close_paise),
            low_paise {{int}} NOT NULL CHECK (low_paise > 0 AND low_paise <= open_paise AND low_paise <= close_paise),
            close_paise {{int}} NOT NULL CHECK (close_paise > 0),
            volume {{int}} NOT NULL CHECK (volume >= 0),
            PRIMARY KEY (mode, symbol, bar_at_us)
        ){{strict}};
        """
}
