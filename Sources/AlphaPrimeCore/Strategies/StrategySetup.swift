import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Everything a strategy instance is built from, taken from its `config/strategies/*.yaml` entry (or
/// made by hand in tests and research): parameters checked against the kind's specs, direction,
/// entry window, timeframe and exit rules.
public struct StrategySetup: Sendable {
    public enum Direction: String, Sendable { case both, long, short }

    public enum StopRule: Sendable, Equatable {
        case none
        case atrMultiple(Double)
        case percent(Double)
        /// A fixed distance in rupees.
        case points(Double)
        /// Beyond the broken range / the recent swing.
        case swing
    }

    public enum TargetRule: Sendable, Equatable {
        case none
        /// A multiple of the initial risk (entry to stop).
        case rMultiple(Double)
        case atrMultiple(Double)
        case percent(Double)
        case points(Double)
        /// No target order: the strategy's own return-to-the-mean rule exits at market.
        case mean
    }

    public var name: String
    public var kind: String
    /// Parameter values by name (defaults filled in by the kind's specs when the instance is made).
    public var parameters: [String: Double]
    public var direction: Direction
    /// Entries only on strategy bars whose close time c (IST minutes) is in `(entryStart, entryEnd]`.
    public var entryStart: TimeOfDay
    public var entryEnd: TimeOfDay
    public var timeframeMinutes: Int
    public var stop: StopRule
    public var trailingStop: Bool
    public var target: TargetRule
    /// Exit after this many strategy bars in a trade; 0 = no limit.
    public var maxBarsInTrade: Int
    public var product: ProductType

    public init(name: String, kind: String, parameters: [String: Double] = [:], direction: Direction = .both,
                entryStart: TimeOfDay = TimeOfDay(hour: 9, minute: 15)!, entryEnd: TimeOfDay = TimeOfDay(hour: 15, minute: 30)!,
                timeframeMinutes: Int = 1, stop: StopRule = .none, trailingStop: Bool = false, target: TargetRule = .none,
                maxBarsInTrade: Int = 0, product: ProductType = .mis) {
        self.name = name; self.kind = kind; self.parameters = parameters; self.direction = direction
        self.entryStart = entryStart; self.entryEnd = entryEnd; self.timeframeMinutes = timeframeMinutes
        self.stop = stop; self.trailingStop = trailingStop; self.target = target
        self.maxBarsInTrade = maxBarsInTrade; self.product = product
    }

    /// The setup a strategy file describes. Exit values given by `parameter:` are looked up in the
    /// parameters, so the optimiser varies them with everything else.
    public init(config: StrategyConfig) throws {
        var values: [String: Double] = [:]
        for (name, spec) in config.parameters.entries { values[name] = spec.value.doubleValue }
        func resolve(_ value: Double?, _ parameter: String?, _ what: String) throws -> Double {
            if let value { return value }
            if let parameter, let v = values[parameter] { return v }
            throw StrategyError(strategy: config.name, "\(what) needs a value or a parameter")
        }
        let stop: StopRule
        switch config.exits.stopLoss.method {
        case .none: stop = .none
        case .swing: stop = .swing
        case .atrMultiple: stop = .atrMultiple(try resolve(config.exits.stopLoss.value, config.exits.stopLoss.parameter, "stop_loss"))
        case .percent: stop = .percent(try resolve(config.exits.stopLoss.value, config.exits.stopLoss.parameter, "stop_loss"))
        case .points: stop = .points(try resolve(config.exits.stopLoss.value, config.exits.stopLoss.parameter, "stop_loss"))
        }
        let target: TargetRule
        let t = config.exits.takeProfit
        switch t.method {
        case .none: target = .none
        case .mean: target = .mean
        case .rMultiple: target = .rMultiple(try resolve(t.value, t.parameter, "take_profit"))
        case .atrMultiple: target = .atrMultiple(try resolve(t.value, t.parameter, "take_profit"))
        case .percent: target = .percent(try resolve(t.value, t.parameter, "take_profit"))
        case .points: target = .points(try resolve(t.value, t.parameter, "take_profit"))
        }
        self.init(name: config.name, kind: config.kind, parameters: values,
                  direction: Direction(rawValue: config.direction.rawValue) ?? .both,
                  entryStart: config.tradingWindow.start, entryEnd: config.tradingWindow.end,
                  timeframeMinutes: config.timeframe.minutes, stop: stop, trailingStop: config.exits.stopLoss.trailing ?? false,
                  target: target, maxBarsInTrade: config.exits.maxBarsInTrade ?? 0, product: config.product)
        // Exit parameters named by `parameter:` follow the parameter's value when it is optimised.
        stopParameter = config.exits.stopLoss.parameter
        targetParameter = t.parameter
    }

    /// The parameter (if any) whose value sets the stop / the target distance.
    public var stopParameter: String?
    public var targetParameter: String?

    /// A copy with some parameters replaced (optimiser, walk-forward), exits following their parameters.
    public func with(parameters overrides: [String: Double]) -> StrategySetup {
        var copy = self
        for (k, v) in overrides { copy.parameters[k] = v }
        if let p = stopParameter, let v = overrides[p] {
            switch stop {
            case .atrMultiple: copy.stop = .atrMultiple(v)
            case .percent: copy.stop = .percent(v)
            case .points: copy.stop = .points(v)
            default: break
            }
        }
        if let p = targetParameter, let v = overrides[p] {
            switch target {
            case .rMultiple: copy.target = .rMultiple(v)
            case .atrMultiple: copy.target = .atrMultiple(v)
            case .percent: copy.target = .percent(v)
            case .points: copy.target = .points(v)
            default: break
            }
        }
        return copy
    }

    var allowsLong: Bool { direction != .short }
    var allowsShort: Bool { direction != .long }
}

/// Stop and target prices for an entry, from the setup's rules. Prices in paise.
struct ExitPlan: Sendable {
    var stop: StrategySetup.StopRule
    var target: StrategySetup.TargetRule

    /// - Parameters:
    ///   - entry: expected entry price (the signal bar's close), paise.
    ///   - atr: current ATR in paise, or nil before it is ready.
    ///   - swing: the price beyond which the setup is wrong (range low for a long breakout), or 0.
    /// - Returns: (stop, target) in paise; 0 for none. Nil when a rule needs the ATR and it is not ready.
    func prices(side: Side, entry: Int64, atr: Double?, swing: Int64 = 0) -> (stop: Int64, target: Int64)? {
        let e = Double(entry)
        var distance: Double
        switch stop {
        case .none: distance = 0
        case .atrMultiple(let k):
            guard let atr else { return nil }
            distance = k * atr
        case .percent(let p): distance = e * p / 100
        case .points(let rupees): distance = rupees * 100
        case .swing: distance = swing > 0 ? abs(e - Double(swing)) : 0
        }
        let sign = Double(side.sign)
        let stopPrice = distance > 0 ? Int64((e - sign * distance).rounded()) : 0
        var targetDistance: Double
        switch target {
        case .none, .mean: targetDistance = 0
        case .rMultiple(let r): targetDistance = r * distance
        case .atrMultiple(let k):
            guard let atr else { return nil }
            targetDistance = k * atr
        case .percent(let p): targetDistance = e * p / 100
        case .points(let rupees): targetDistance = rupees * 100
        }
        let targetPrice = targetDistance > 0 ? Int64((e + sign * targetDistance).rounded()) : 0
        return (max(0, stopPrice), max(0, targetPrice))
    }
}
