import AlphaPrimeSupport

extension GeneralConfig {
    /// How each trading day is labelled bull, bear or sideways for `backtest --by-regime`
    /// (`regimes:`; optional, with these defaults). The rule reads the index's daily closes up to the
    /// day before, never the day itself (docs/research.md, "Regimes").
    public struct Regimes: Codable, Sendable, Equatable {
        /// The index whose daily bars decide (`data/market_data/<index without spaces>/1d`).
        public var index: String
        /// The fast and the slow simple moving average of the daily closes, in trading days.
        public var fastDays: Int
        public var slowDays: Int
        /// The window of daily log returns whose standard deviation is the realised volatility.
        public var volatilityDays: Int
        /// A trend needs the last close this many daily volatilities (in per cent) away from the
        /// slow average: with 1.0 and a 20-day volatility of 0.9%, more than 0.9% above it (bull,
        /// with the fast average above the slow) or below it (bear, the fast below).
        public var bandVolatilityMultiple: Double

        public static let defaults = Regimes(index: "NIFTY 50", fastDays: 50, slowDays: 200, volatilityDays: 20,
                                             bandVolatilityMultiple: 1.0)

        public init(index: String, fastDays: Int, slowDays: Int, volatilityDays: Int, bandVolatilityMultiple: Double) {
            self.index = index
            self.fastDays = fastDays
            self.slowDays = slowDays
            self.volatilityDays = volatilityDays
            self.bandVolatilityMultiple = bandVolatilityMultiple
        }

        enum CodingKeys: String, CodingKey {
            case index, fastDays = "fast_days", slowDays = "slow_days", volatilityDays = "volatility_days"
            case bandVolatilityMultiple = "band_volatility_multiple"
        }

        func validate(_ v: inout ConfigValidator) {
            v.nonEmpty(index, "regimes.index")
            v.check((2...500).contains(fastDays), "regimes.fast_days", "2 to 500 trading days, got \(fastDays)")
            v.check(slowDays > fastDays && slowDays <= 1_000, "regimes.slow_days",
                    "more than fast_days (\(fastDays)) and at most 1000 trading days, got \(slowDays)")
            v.check(volatilityDays >= 2 && volatilityDays <= max(2, slowDays), "regimes.volatility_days",
                    "2 trading days up to slow_days (\(slowDays)), got \(volatilityDays)")
            v.check(bandVolatilityMultiple.isFinite && bandVolatilityMultiple >= 0 && bandVolatilityMultiple <= 10,
                    "regimes.band_volatility_multiple",
                    "0 (any gap is a trend) to 10, got \(ConfigValidator.format(bandVolatilityMultiple))")
        }
    }

    /// `regimes:` as configured, or the defaults.
    public var regimeSettings: Regimes { regimes ?? .defaults }
}
