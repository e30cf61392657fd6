import AlphaPrimeSupport

/// One file in `config/strategies/`: which strategy runs, on what, when, with which parameters.
///
/// `parameters` is generic (name → value, optional optimisation range) so every strategy, built
/// in or added later, uses the same format; the strategy itself checks that it got the names it needs.
public struct StrategyConfig: Codable, Sendable, Equatable {
    public enum Timeframe: String, Codable, Sendable, CaseIterable, ConfigChoice {
        case m1 = "1m", m3 = "3m", m5 = "5m", m10 = "10m", m15 = "15m", m30 = "30m", m60 = "60m", d1 = "1d"

        public var minutes: Int {
            switch self {
            case .m1: 1
            case .m3: 3
            case .m5: 5
            case .m10: 10
            case .m15: 15
            case .m30: 30
            case .m60: 60
            case .d1: 375
            }
        }
    }

    public struct TradingWindow: Codable, Sendable, Equatable {
        /// Entries only on strategy bars whose close time is after `start` …
        public var start: TimeOfDay
        /// … and at or before `end` (docs/strategies.md, "Trading window").
        public var end: TimeOfDay
    }

    public struct StopLoss: Codable, Sendable, Equatable {
        public enum Method: String, Codable, Sendable, CaseIterable, ConfigChoice {
            case atrMultiple = "atr_multiple", percent, points
            /// Beyond the recent swing low (long) or high (short) / the broken range.
            case swing
            /// No protective stop (research presets only; the risk manager may still refuse entries).
            case none
        }

        public var method: Method
        public var value: Double?
        /// A name from `parameters` whose value (and range) sets this instead of `value`.
        public var parameter: String?
        /// Trail the stop (momentum only): the protective stop order itself is moved to the close
        /// ∓ k × the current ATR whenever that is in the trade's favour.
        public var trailing: Bool?
    }

    public struct TakeProfit: Codable, Sendable, Equatable {
        public enum Method: String, Codable, Sendable, CaseIterable, ConfigChoice {
            /// A multiple of the initial risk (entry to stop).
            case rMultiple = "r_multiple"
            case atrMultiple = "atr_multiple", percent, points
            /// No target order: the strategy's own return-to-the-mean rule exits at market.
            case mean
            /// No target: exit on the stop, the strategy's own exit or the square-off.
            case none
        }

        public var method: Method
        public var value: Double?
        public var parameter: String?
    }

    public struct Exits: Codable, Sendable, Equatable {
        public var stopLoss: StopLoss
        public var takeProfit: TakeProfit
        /// Close the position after this many bars if neither stop nor target was hit.
        public var maxBarsInTrade: Int?

        enum CodingKeys: String, CodingKey {
            case stopLoss = "stop_loss", takeProfit = "take_profit", maxBarsInTrade = "max_bars_in_trade"
        }
    }

    /// The strategy's name in reports and on the command line (`--strategy mean_reversion`).
    public var name: String
    /// Which built-in implementation runs it (the registry name).
    public var kind: String
    public var description: String?
    public var enabled: Bool
    public var symbols: [String]
    public var timeframe: Timeframe
    public var product: ProductType
    public var tradingWindow: TradingWindow
    /// Which directions it may trade.
    public var direction: Direction
    public var parameters: StrategyParameters
    public var exits: Exits
    /// A risk preset (`risk_config_<name>.yaml`) this strategy is meant to be researched with, used by
    /// `backtest` when no `--risk-preset` is given (the reference preset's fixed-quantity, no-filter risk).
    public var riskPreset: String?

    public enum Direction: String, Codable, Sendable, CaseIterable, ConfigChoice {
        case both, long, short
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, description, enabled, symbols, timeframe, product, tradingWindow = "trading_window"
        case direction, parameters, exits, riskPreset = "risk_preset"
    }

    public static let directoryName = "strategies"

    /// The research reference preset's kind: carried overnight (NRML) so its trades match peer engines.
    public static let referenceKind = "bollinger_reference"

    public func validate(_ v: inout ConfigValidator) {
        v.nonEmpty(name, "name")
        v.nonEmpty(kind, "kind")
        v.check(!symbols.isEmpty, "symbols", "list at least one symbol")
        v.unique(symbols, path: { "symbols[\($0)]" }, describe: { "symbol '\($0)'" })
        v.check(tradingWindow.start < tradingWindow.end, "trading_window",
                "starts at \(tradingWindow.start) but ends at \(tradingWindow.end); the start must be before the end")
        // Intraday strategies trade MIS and are squared off at every close. Only the research
        // reference (compared one for one with engines that hold overnight) carries a position on a
        // 1-minute timeframe, and it says so with NRML.
        v.check(product == .mis || timeframe == .d1 || kind == Self.referenceKind, "product",
                "an intraday timeframe (\(timeframe.rawValue)) trades MIS; \(product.rawValue) positions are carried overnight")

        for (name, spec) in parameters.entries {
            spec.validate(&v, at: "parameters.\(name)")
        }
        validateExit(method: exits.stopLoss.method.rawValue, needsValue: ![.swing, .none].contains(exits.stopLoss.method),
                     value: exits.stopLoss.value, parameter: exits.stopLoss.parameter, at: "exits.stop_loss", &v)
        let needsTarget = ![.mean, .none].contains(exits.takeProfit.method)
        validateExit(method: exits.takeProfit.method.rawValue, needsValue: needsTarget,
                     value: exits.takeProfit.value, parameter: exits.takeProfit.parameter, at: "exits.take_profit", &v)
        if let bars = exits.maxBarsInTrade { v.positive(bars, "exits.max_bars_in_trade") }
    }

    private func validateExit(method: String, needsValue: Bool, value: Double?, parameter: String?, at path: String,
                              _ v: inout ConfigValidator) {
        if value != nil && parameter != nil {
            v.error(path, "give either value or parameter, not both")
        } else if needsValue && value == nil && parameter == nil {
            v.error(path, "the \(method) method needs a value (or a parameter naming one)")
        } else if !needsValue && (value != nil || parameter != nil) {
            v.error(path, "the \(method) method takes no value")
        }
        if let value {
            v.check(value > 0, path + ".value", "must be greater than 0, got \(ConfigValidator.format(value))")
        }
        if let parameter {
            var message = "'\(parameter)' is not one of this strategy's parameters"
            if let suggestion = ConfigSuggestion.closest(to: parameter, among: parameters.entries.map(\.name)) {
                message += "; did you mean '\(suggestion)'?"
            }
            v.check(parameters[parameter] != nil, path + ".parameter", message)
        }
    }

    /// Checks against the instruments and the trading hours.
    package func validate(_ v: inout ConfigValidator, instruments: Set<String>, hours: TradingHoursConfig?) {
        for (i, symbol) in symbols.enumerated() where !instruments.isEmpty {
            v.check(instruments.contains(symbol), "symbols[\(i)]", GeneralConfig.unknownSymbol(symbol, known: instruments))
        }
        if let normal = hours?.sessions.normal {
            v.check(tradingWindow.start >= normal.open && tradingWindow.end <= normal.close, "trading_window",
                    "\(tradingWindow.start)–\(tradingWindow.end) is outside the session (\(normal)) in trading_hours.yaml")
        }
    }
}

/// A number in a configuration: whole (`20`) or with a fraction (`2.5`), as written.
public enum ConfigNumber: Hashable, Sendable, Codable, CustomStringConvertible, ConfigScalarDecodable {
    case integer(Int)
    case decimal(Double)

    public var doubleValue: Double {
        switch self {
        case let .integer(i): Double(i)
        case let .decimal(d): d
        }
    }

    public var isInteger: Bool { if case .integer = self { true } else { false } }

    public init(configText text: String) throws {
        if let i = Int.parseConfig(text) {
            self = .integer(i)
        } else if let d = Double.parseConfig(text) {
            self = .decimal(d)
        } else {
            throw ConfigValueError("expected a number, got '\(text)'")
        }
    }

    public static var configPlaceholder: ConfigNumber { .integer(0) }

    public var description: String {
        switch self {
        case let .integer(i): String(i)
        case let .decimal(d): ConfigValidator.format(d)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int.self) { self = .integer(i) } else { self = .decimal(try c.decode(Double.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .integer(i): try c.encode(i)
        case let .decimal(d): try c.encode(d)
        }
    }
}

/// A strategy parameter: its value and, for the optimiser, the range to search.
public struct ParameterSpec: Codable, Sendable, Equatable {
    public struct Range: Codable, Sendable, Equatable {
        public var min: ConfigNumber
        public var max: ConfigNumber
        public var step: ConfigNumber

        /// Every value from `min` to `max` in `step`s.
        public var values: [Double] {
            let lo = min.doubleValue, hi = max.doubleValue, st = step.doubleValue
            guard st > 0, hi >= lo else { return [] }
            let count = Int(((hi - lo) / st + 1e-9).rounded(.down)) + 1
            return (0..<count).map { lo + Double($0) * st }
        }
    }

    public var value: ConfigNumber
    public var range: Range?
    public var description: String?

    func validate(_ v: inout ConfigValidator, at path: String) {
        guard let range else { return }
        let lo = range.min.doubleValue, hi = range.max.doubleValue, step = range.step.doubleValue
        let f = ConfigValidator.format
        v.check(lo < hi, path + ".range", "min (\(range.min)) must be below max (\(range.max))")
        v.check(step > 0, path + ".range.step", "must be greater than 0, got \(range.step)")
        if lo < hi, step > 0 {
            v.check(step <= hi - lo, path + ".range.step", "a step of \(range.step) is wider than the range \(range.min)–\(range.max)")
            v.check(value.doubleValue >= lo && value.doubleValue <= hi, path + ".value",
                    "\(value) is outside its range \(f(lo))–\(f(hi))", involving: [path + ".range"])
        }
        if value.isInteger {
            v.check(range.min.isInteger && range.max.isInteger && range.step.isInteger, path + ".range",
                    "a whole-number parameter needs whole-number min, max and step")
        }
    }
}

/// The `parameters:` mapping of a strategy file, in file order.
public struct StrategyParameters: Codable, Sendable, Equatable {
    public var entries: [(name: String, spec: ParameterSpec)]

    public init(_ entries: [(name: String, spec: ParameterSpec)]) { self.entries = entries }

    public subscript(name: String) -> ParameterSpec? { entries.first { $0.name == name }?.spec }

    /// The parameter's value as a number, if present.
    public func value(_ name: String) -> Double? { self[name]?.value.doubleValue }

    public static func == (a: StrategyParameters, b: StrategyParameters) -> Bool {
        a.entries.map(\.name) == b.entries.map(\.name) && a.entries.map(\.spec) == b.entries.map(\.spec)
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        entries = try c.allKeys.map { ($0.stringValue, try c.decode(ParameterSpec.self, forKey: $0)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (name, spec) in entries { try c.encode(spec, forKey: Key(stringValue: name)) }
    }
}
