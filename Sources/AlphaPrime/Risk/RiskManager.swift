/// What the risk stage knows when it judges a signal: the account and the position, now.
public struct RiskContext: Sendable {
    public var time: Int64
    public var equity: Int64
    public var cash: Int64
    public var startingCapital: Int64
    /// Equity at the start of the current trading day.
    public var dayStartEquity: Int64
    /// Highest equity seen so far.
    public var peakEquity: Int64
    /// Books (strategy × symbol) with a position.
    public var openPositions: Int
    /// The signalling strategy's own signed position in the symbol.
    public var position: Int64
    /// Net signed position in the symbol across strategies.
    public var netPosition: Int64
    /// Last price of the symbol, paise.
    public var lastPrice: Int64
    public var lotSize: Int64
    public var minutesSinceOpen: Int
    public var minutesToClose: Int
    /// Entry orders working for flat books (each will open a position when it fills).
    public var pendingEntries: Int
    /// Per symbol: books with a position plus entries working to open one. Empty when unknown.
    public var positionsBySymbol: [Int]
    /// Per symbol: net signed position and last price, for the total exposure. Empty when unknown.
    public var netPositions: [Int64]
    public var lastPrices: [Int64]
    /// The order product; the square-off time applies to intraday (MIS) entries only.
    public var product: ProductType

    public init(time: Int64, equity: Int64, cash: Int64, startingCapital: Int64, dayStartEquity: Int64,
                peakEquity: Int64, openPositions: Int, position: Int64, netPosition: Int64, lastPrice: Int64,
                lotSize: Int64, minutesSinceOpen: Int = -1, minutesToClose: Int = -1, pendingEntries: Int = 0,
                positionsBySymbol: [Int] = [], netPositions: [Int64] = [], lastPrices: [Int64] = [],
                product: ProductType = .mis) {
        self.time = time; self.equity = equity; self.cash = cash; self.startingCapital = startingCapital
        self.dayStartEquity = dayStartEquity; self.peakEquity = peakEquity; self.openPositions = openPositions
        self.position = position; self.netPosition = netPosition; self.lastPrice = lastPrice; self.lotSize = lotSize
        self.minutesSinceOpen = minutesSinceOpen; self.minutesToClose = minutesToClose
        self.pendingEntries = pendingEntries; self.positionsBySymbol = positionsBySymbol
        self.netPositions = netPositions; self.lastPrices = lastPrices; self.product = product
    }
}

public enum RiskDecision: Sendable, Equatable {
    case approved(quantity: Int64)
    case rejected(RiskRejection)

    public var quantity: Int64 { if case .approved(let q) = self { q } else { 0 } }
    public var rejection: RiskRejection? { if case .rejected(let r) = self { r } else { nil } }
}

/// How an approved signal was sized: the numbers behind the quantity.
public struct SizingDetail: Sendable, Equatable, CustomStringConvertible {
    /// `fixed_fractional`, `kelly`, `fixed_quantity` or `exit`.
    public var method: String
    /// The size the sizing rule gave, before the exposure caps.
    public var sized: Int64
    public var quantity: Int64
    /// Entry reference price (the limit price, else the last price), paise.
    public var entryPrice: Int64 = 0
    /// |entry − stop| in paise; 0 without a stop.
    public var stopDistance: Int64 = 0
    /// The risk budget in paise (per-trade risk % of equity, or the Kelly bound when lower); 0 when not used.
    public var riskBudget: Int64 = 0
    /// The risk % that set the budget.
    public var riskPercent: RiskPercent?
    /// Full Kelly of the recent trades when the Kelly bound was computed.
    public var kelly: Double?
    /// The rule that lowered the size below `sized`, if any.
    public var reducedBy: String?

    /// Money lost if the stop fills at its price.
    public var riskAtStop: Int64 { quantity * stopDistance }

    public var description: String {
        var text = "\(quantity) units (\(method)"
        if riskBudget > 0 {
            text += ": budget \(RiskFormat.rupees(riskBudget))"
            if let p = riskPercent { text += " = \(p) of equity" }
            if let k = kelly { text += ", full Kelly \(RiskFormat.number((k * 10_000).rounded() / 100))%" }
        }
        if stopDistance > 0 { text += ", stop \(RiskFormat.rupees(stopDistance)) away, risk at stop \(RiskFormat.rupees(riskAtStop))" }
        text += ")"
        if let reducedBy { text += "; reduced from \(sized) by \(reducedBy)" }
        return text
    }
}

/// A decision with the sizing behind it.
public struct RiskAssessment: Sendable, Equatable {
    public var decision: RiskDecision
    public var sizing: SizingDetail?
}

/// Limits the account's equity or the clock can cross, kept as plain integers so the trading core
/// checks them on every bar and fill with two comparisons. Derived from the rules and the state.
public struct RiskWatch: Sendable, Equatable {
    /// Equity at or below this trips something (the highest armed floor).
    public var floor: Int64 = .min
    /// Equity at or above this trips something (the prop firm's profit target).
    public var ceiling: Int64 = .max
    /// A bar starting at or after this time trips something (the square-off).
    public var nextTime: Int64 = .max
}

/// Thresholds that have already tripped (and so are disarmed) — the daily ones for today.
public struct RiskTripped: OptionSet, Sendable, Codable, Equatable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let dailyMaxLoss = RiskTripped(rawValue: 1 << 0)
    public static let halfDailyLimit = RiskTripped(rawValue: 1 << 1)
    public static let squareOff = RiskTripped(rawValue: 1 << 2)
    public static let killSwitchDailyLoss = RiskTripped(rawValue: 1 << 3)
    public static let killSwitchDrawdown = RiskTripped(rawValue: 1 << 4)
    public static let maxDrawdown = RiskTripped(rawValue: 1 << 5)
    public static let daily: RiskTripped = [.dailyMaxLoss, .halfDailyLimit, .squareOff]
}

/// A prop firm account's standing under its rules.
public enum PropFirmStatus: String, Sendable, Codable {
    case inProgress = "in_progress"
    /// The profit target was reached (trading stopped); see ``RiskState/tradingDays`` for the minimum days.
    case targetReached = "target_reached"
    /// A firm limit was broken.
    case failed
}

/// What the risk stage remembers between signals: the day, the peak, breakers, halts, the recent
/// trades. `Codable`, so the engine can persist it and a restart resumes with the same breakers.
public struct RiskState: Sendable, Codable, Equatable {
    public var startingCapital: Int64 = 0
    /// IST day (days since 1970-01-01) the day-level state belongs to; `Int64.min` before the first.
    public var day: Int64 = .min
    public var dayStartEquity: Int64 = 0
    public var peakEquity: Int64 = 0
    /// Losing trades in a row today.
    public var consecutiveLosses = 0
    /// Entries are paused while a bar starts before this (UTC epoch seconds); `pause` says why.
    public var pausedUntil: Int64 = 0
    public var pause: RiskRejection?
    /// Entries stopped for the rest of the day, and why.
    public var dayHalt: RiskRejection?
    /// Entries stopped for the run, and why (the kill switch, max drawdown, the prop firm's rules).
    public var halt: RiskRejection?
    /// Today's square-off instant (UTC epoch seconds); 0 when none.
    public var squareOffAt: Int64 = 0
    public var tripped: RiskTripped = []
    public var tradedToday = false
    /// Days on which at least one order filled.
    public var tradingDays = 0
    public var propFirmStatus: PropFirmStatus = .inProgress
    public var recentTrades: TradeOutcomeWindow
    public var dailyCloses: DailyCloseHistory

    public init(startingCapital: Int64 = 0, kellyLookback: Int = 0, correlationWindowDays: Int = 0) {
        self.startingCapital = startingCapital
        dayStartEquity = startingCapital
        peakEquity = startingCapital
        recentTrades = TradeOutcomeWindow(capacity: kellyLookback)
        dailyCloses = DailyCloseHistory(windowDays: correlationWindowDays)
    }
}

/// The one risk stage every signal passes, in backtests, paper and live alike.
///
/// Built from `risk_config.yaml` (``init(config:instruments:indiaVIX:session:)``), it approves and
/// sizes each entry or rejects it with the rule and the numbers (``evaluate(_:context:)``), and holds
/// the state that must trip on the right bar — daily loss, drawdown and kill switch, circuit breakers,
/// the square-off — which the trading core checks on every fill and mark with plain integer
/// comparisons against ``watch``. Exits are never blocked: reducing risk is always allowed, for the
/// whole position.
public struct RiskManager: Sendable {
    public typealias Sizing = RiskRules.Sizing
    /// India VIX to judge a day's entries by (use ``IndiaVIXSeries/lookup`` for no look-ahead).
    public typealias VIXLookup = @Sendable (LocalDate) -> Double?

    public var rules: RiskRules {
        didSet {
            groupLabels = Self.groupLabels(rules, symbolNames)
            rearm()
        }
    }
    var groupLabels: [String]
    public internal(set) var state: RiskState
    /// Thresholds to compare equity and time with; see ``RiskWatch``.
    public internal(set) var watch = RiskWatch()
    /// A new equity peak moves a watched limit (a trailing drawdown is on).
    var peakMovesLimits = false
    /// Names of the symbols (SymbolID = index), for messages.
    public let symbolNames: [String]
    let indiaVIX: VIXLookup?
    /// Rules configured but unable to act in this run, with why (the VIX filter without a VIX series).
    public let inactiveRules: [String]

    public var sizing: Sizing {
        get { rules.sizing }
        set { rules.sizing = newValue }
    }

    /// No rules: every entry approved at the strategy's quantity (or `lots` lots), nothing trips.
    public init(sizing: Sizing = .fixedQuantity(lots: 1)) {
        var rules = RiskRules()
        rules.sizing = sizing
        self.init(rules: rules)
    }

    public init(rules: RiskRules, symbolNames: [String] = [], indiaVIX: VIXLookup? = nil) {
        self.rules = rules
        self.symbolNames = symbolNames
        groupLabels = Self.groupLabels(rules, symbolNames)
        self.indiaVIX = indiaVIX
        var inactive: [String] = []
        if rules.vixBand != nil && indiaVIX == nil {
            inactive.append("\(RiskRule.vix): enabled but no India VIX series was given; entries are not filtered by VIX")
        }
        inactiveRules = inactive
        state = RiskState()
        begin(startingCapital: 0)
    }

    /// The rules of `config` for a run trading `instruments` (SymbolID = index).
    ///
    /// - Parameters:
    ///   - indiaVIX: the India VIX for a date; without it an enabled VIX filter is listed in
    ///     ``inactiveRules`` and does not filter.
    ///   - session: the normal session, for the time filters when the calendar gives no position.
    public init(config: RiskConfig, instruments: [Instrument], indiaVIX: VIXLookup? = nil,
                session: (open: TimeOfDay, close: TimeOfDay) = (TimeOfDay(hour: 9, minute: 15)!, TimeOfDay(hour: 15, minute: 30)!)) {
        self.init(rules: RiskRules(config: config, instruments: instruments, session: session),
                  symbolNames: instruments.map(\.symbol), indiaVIX: indiaVIX)
    }

    // MARK: Judging a signal

    /// Approves and sizes an entry, or rejects it with the rule and the numbers. An exit of the
    /// strategy's own position is always approved (for the whole position, or the part asked).
    public func evaluate(_ signal: Signal, context: RiskContext) -> RiskDecision {
        assess(signal, context: context).decision
    }

    /// ``evaluate(_:context:)`` with the sizing numbers behind an approval.
    public func assess(_ signal: Signal, context c: RiskContext) -> RiskAssessment {
        switch signal.intent {
        case .exit:
            guard c.position != 0 else {
                return reject(RiskRejection("no_position", .text("exit signal while flat")))
            }
            let closing = c.position > 0 ? Side.sell : Side.buy
            guard signal.side == closing else {
                return reject(RiskRejection(
                    rule: "exit_side", reason: "exit \(signal.side.rawValue) does not close a position of \(c.position)"))
            }
            let all = abs(c.position)
            let quantity = signal.quantity > 0 ? min(signal.quantity, all) : all
            return RiskAssessment(decision: .approved(quantity: quantity),
                                  sizing: SizingDetail(method: "exit", sized: quantity, quantity: quantity))
        case .enter:
            if let rejection = entryBlock(signal, c) { return reject(rejection) }
            return sizeEntry(signal, c)
        }
    }

    private func reject(_ r: RiskRejection) -> RiskAssessment { RiskAssessment(decision: .rejected(r), sizing: nil) }

    private func name(_ symbol: SymbolID) -> String {
        symbol >= 0 && symbol < symbolNames.count ? symbolNames[symbol] : "symbol #\(symbol)"
    }

    @inline(__always)
    static func istDay(_ time: Int64) -> Int64 {
        let t = time + IST.offsetSeconds
        return t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
    }

    @inline(__always)
    static func istMinute(_ time: Int64) -> Int {
        Int((time + IST.offsetSeconds - istDay(time) * 86_400) / 60)
    }

    /// The first rule that refuses a new entry now, before sizing; nil when none does. Builds no
    /// string: a refusal carries its numbers (see ``RiskRejection``).
    func entryBlock(_ signal: Signal, _ c: RiskContext) -> RiskRejection? {
        // Halts and pauses.
        if let halt = state.halt { return halt }
        if let halt = state.dayHalt { return halt }
        if c.time < state.pausedUntil, let pause = state.pause { return pause }

        // Account limits, from the numbers now.
        let equity = c.equity
        let dayLoss = c.dayStartEquity - equity
        if let firm = rules.propFirm {
            let limit = firm.dailyLossLimit.of(c.dayStartEquity)
            if dayLoss >= limit {
                return RiskRejection(RiskRule.propDailyLoss, .dayLoss(.firm(firm.name), loss: dayLoss, base: c.dayStartEquity, limit: limit, percent: firm.dailyLossLimit),
                                     value: Double(dayLoss), limit: Double(limit))
            }
            let ref = firm.drawdownMode == .trailing ? c.peakEquity : c.startingCapital
            let dd = ref - equity, ddLimit = firm.maxDrawdown.of(ref)
            if dd >= ddLimit {
                return RiskRejection(RiskRule.propDrawdown, .drawdown(.firm(firm.name), drawdown: dd, reference: ref, limit: ddLimit, percent: firm.maxDrawdown, mode: firm.drawdownMode),
                                     value: Double(dd), limit: Double(ddLimit))
            }
            if let target = firm.profitTarget {
                let goal = target.of(c.startingCapital)
                let profit = equity - c.startingCapital
                if profit >= goal {
                    return RiskRejection(RiskRule.propProfitTarget, .profitTarget(profit: profit, goal: goal, percent: target),
                                         value: Double(profit), limit: Double(goal))
                }
            }
        }
        if let p = rules.killSwitchDailyLoss {
            let limit = p.of(c.dayStartEquity)
            if dayLoss >= limit {
                return RiskRejection(RiskRule.killSwitchDailyLoss, .dayLoss(.killSwitch, loss: dayLoss, base: c.dayStartEquity, limit: limit, percent: p),
                                     value: Double(dayLoss), limit: Double(limit))
            }
        }
        let ddRef = rules.drawdownMode == .trailing ? c.peakEquity : c.startingCapital
        let drawdown = ddRef - equity
        if let p = rules.killSwitchDrawdown {
            let limit = p.of(ddRef)
            if drawdown >= limit {
                return RiskRejection(RiskRule.killSwitchDrawdown, .drawdown(.killSwitch, drawdown: drawdown, reference: ddRef, limit: limit, percent: p, mode: rules.drawdownMode),
                                     value: Double(drawdown), limit: Double(limit))
            }
        }
        if let p = rules.maxDrawdown {
            let limit = p.of(ddRef)
            if drawdown >= limit {
                return RiskRejection(RiskRule.maxDrawdown, .drawdown(.ours, drawdown: drawdown, reference: ddRef, limit: limit, percent: p, mode: rules.drawdownMode),
                                     value: Double(drawdown), limit: Double(limit))
            }
        }
        if let p = rules.dailyMaxLoss {
            let limit = p.of(c.dayStartEquity)
            if dayLoss >= limit {
                return RiskRejection(RiskRule.dailyMaxLoss, .dayLoss(.ours, loss: dayLoss, base: c.dayStartEquity, limit: limit, percent: p),
                                     value: Double(dayLoss), limit: Double(limit))
            }
        }

        // Time filters, on the IST clock of the signal's bar (its start).
        let minute = Self.istMinute(c.time)
        if c.product == .mis, let square = rules.squareOffMinute {
            let known = state.squareOffAt > 0 && Self.istDay(state.squareOffAt) == Self.istDay(c.time)
            if known ? c.time >= state.squareOffAt : minute >= square {
                let at = known ? Self.istMinute(state.squareOffAt) : square
                return RiskRejection(RiskRule.squareOff, .squareOff(minute: minute, at: at), value: Double(minute), limit: Double(at))
            }
        }
        let sinceOpen = c.minutesSinceOpen >= 0 ? c.minutesSinceOpen : minute - rules.sessionOpenMinute
        if rules.noEntryFirstMinutes > 0 && sinceOpen < rules.noEntryFirstMinutes {
            return RiskRejection(RiskRule.noEntryFirstMinutes, .firstMinutes(minute: minute, sinceOpen: sinceOpen, limit: rules.noEntryFirstMinutes),
                                 value: Double(sinceOpen), limit: Double(rules.noEntryFirstMinutes))
        }
        let toClose = c.minutesToClose >= 0 ? c.minutesToClose : rules.sessionCloseMinute - minute
        if rules.noEntryLastMinutes > 0 && toClose <= rules.noEntryLastMinutes {
            return RiskRejection(RiskRule.noEntryLastMinutes, .lastMinutes(minute: minute, toClose: toClose, limit: rules.noEntryLastMinutes),
                                 value: Double(toClose), limit: Double(rules.noEntryLastMinutes))
        }
        for w in rules.blackouts where minute >= w.start && minute < w.end {
            return RiskRejection(RiskRule.blackout, .blackout(minute: minute, start: w.start, end: w.end, why: w.reason),
                                 value: Double(minute), limit: Double(w.start))
        }

        // India VIX.
        if let band = rules.vixBand, let lookup = indiaVIX {
            let date = LocalDate(daysSinceEpoch: Int(Self.istDay(c.time)))
            guard let vix = lookup(date) else { return RiskRejection(RiskRule.vix, .vixMissing(date: date, band: band)) }
            if vix < band.lowerBound {
                return RiskRejection(RiskRule.vix, .vixBelow(vix, minimum: band.lowerBound), value: vix, limit: band.lowerBound)
            }
            if vix > band.upperBound {
                return RiskRejection(RiskRule.vix, .vixAbove(vix, maximum: band.upperBound), value: vix, limit: band.upperBound)
            }
        }

        // Positions: only an entry that opens a new position counts.
        guard c.position == 0 else { return nil }
        if let max = rules.maxOpenPositions {
            let open = c.openPositions + c.pendingEntries
            if open >= max {
                return RiskRejection(RiskRule.maxOpenPositions, .openPositions(open: open, pending: c.pendingEntries, limit: max),
                                     value: Double(open), limit: Double(max))
            }
        }
        let symbol = signal.symbol
        let counts = c.positionsBySymbol
        if !counts.isEmpty {
            for (k, g) in rules.groups.enumerated() where g.symbols.contains(symbol) {
                var open = 0
                for s in g.symbols where s < counts.count { open += counts[s] }
                if open >= g.maxOpenPositions {
                    return RiskRejection(RiskRule.correlationGroups, .group(label: groupLabels[k], open: open, limit: g.maxOpenPositions),
                                         value: Double(open), limit: Double(g.maxOpenPositions))
                }
            }
            if let rolling = rules.rollingCorrelation {
                for other in counts.indices where other != symbol && counts[other] > 0 {
                    if let r = state.dailyCloses.correlation(symbol, other), r > rolling.maxCorrelation {
                        return RiskRejection(RiskRule.rollingCorrelation,
                                             .correlated(name(symbol), name(other), correlation: r, windowDays: rolling.windowDays, maximum: rolling.maxCorrelation),
                                             value: r, limit: rolling.maxCorrelation)
                    }
                }
            }
        }
        return nil
    }

    /// Sizes an entry that passed every rule, then applies the exposure caps.
    func sizeEntry(_ signal: Signal, _ c: RiskContext) -> RiskAssessment {
        let lot = max(1, c.lotSize)
        func lots(_ q: Int64) -> Int64 { q <= 0 ? 0 : q - q % lot }
        let usesLimit = (signal.orderType == .limit || signal.orderType == .stopLoss) && signal.limitPrice > 0
        let entry = usesLimit ? signal.limitPrice : c.lastPrice
        let side = signal.side.sign
        var detail = SizingDetail(method: "fixed_quantity", sized: 0, quantity: 0, entryPrice: entry)

        var stopDistance: Int64 = 0
        if signal.stopLoss > 0 {
            guard entry > 0 else { return reject(RiskRejection(RiskRule.sizing, .noPrice(name(signal.symbol), exposure: false))) }
            stopDistance = side * (entry - signal.stopLoss)
            guard stopDistance > 0 else {
                return reject(RiskRejection(RiskRule.perTradeRisk, .stopWrongSide(stop: signal.stopLoss, entry: entry, side: signal.side),
                                            value: Double(signal.stopLoss), limit: Double(entry)))
            }
        }
        detail.stopDistance = stopDistance

        var quantity: Int64
        switch rules.sizing {
        case .fixedQuantity(let n):
            quantity = signal.quantity > 0 ? signal.quantity : n * lot
            if let p = rules.perTradeRisk, stopDistance > 0 {
                let budget = p.of(c.equity)
                let risk = quantity * stopDistance
                if risk > budget {
                    return reject(RiskRejection(
                        RiskRule.perTradeRisk,
                        .fixedRisk(quantity: quantity, distance: stopDistance, risk: risk, percent: p, equity: c.equity, budget: budget),
                        value: Double(risk), limit: Double(budget)))
                }
                detail.riskBudget = budget
                detail.riskPercent = p
            }
        case .fixedFractional, .kelly:
            detail.method = rules.sizing == .fixedFractional ? "fixed_fractional" : "kelly"
            guard let perTrade = rules.perTradeRisk else {
                return reject(RiskRejection(RiskRule.perTradeRisk, .noPerTradeRisk(method: detail.method)))
            }
            guard stopDistance > 0 else { return reject(RiskRejection(RiskRule.perTradeRisk, .noStop(method: detail.method))) }
            var percent = perTrade
            var rule = RiskRule.perTradeRisk
            if case .kelly(let fraction, _, let minimum) = rules.sizing, state.recentTrades.count >= minimum {
                let trades = state.recentTrades
                let kelly = trades.kellyFraction
                detail.kelly = kelly
                let bound = RiskPercent(ppm: Int64((fraction * kelly * 1_000_000).rounded(.down)))
                if bound.ppm <= 0 {
                    return reject(RiskRejection(
                        RiskRule.kelly, .noEdge(trades: trades.count, winRate: trades.winRate, payoff: trades.payoffRatio, kelly: kelly),
                        value: kelly, limit: 0))
                }
                if bound.ppm < percent.ppm {
                    percent = bound
                    rule = RiskRule.kelly
                }
            }
            let budget = percent.of(c.equity)
            detail.riskBudget = budget
            detail.riskPercent = percent
            quantity = lots(budget / stopDistance)
            if signal.quantity > 0 { quantity = min(quantity, lots(signal.quantity)) }
            guard quantity > 0 else {
                return reject(RiskRejection(
                    rule, .oneLotTooRisky(lot: lot, distance: stopDistance, budget: budget, percent: percent, equity: c.equity),
                    value: Double(lot * stopDistance), limit: Double(budget)))
            }
        }
        guard quantity > 0 else { return reject(RiskRejection(RiskRule.sizing, .sizedZero)) }
        detail.sized = quantity

        // Exposure caps: lower the size to what fits, in whole lots; refuse when not one lot fits.
        if rules.maxExposurePerSymbol != nil || rules.maxTotalExposure != nil {
            guard entry > 0 else {
                return reject(RiskRejection(RiskRule.maxExposurePerSymbol, .noPrice(name(signal.symbol), exposure: true)))
            }
            let net = c.netPosition
            if let p = rules.maxExposurePerSymbol {
                let cap = p.of(c.equity)
                let fit = cap / entry - side * net  // |net + side × q| × entry ≤ cap
                if quantity > fit {
                    let reduced = lots(fit)
                    guard reduced > 0 else {
                        let after = abs(net + side * quantity) * entry
                        return reject(RiskRejection(
                            RiskRule.maxExposurePerSymbol,
                            .symbolExposure(name(signal.symbol), after: after, equity: c.equity, percent: p, cap: cap, lot: lot),
                            value: Double(after), limit: Double(cap)))
                    }
                    quantity = reduced
                    detail.reducedBy = RiskRule.maxExposurePerSymbol
                }
            }
            if let p = rules.maxTotalExposure {
                let cap = p.of(c.equity)
                var others: Int64 = 0
                for s in c.netPositions.indices where s != signal.symbol && s < c.lastPrices.count {
                    others += abs(c.netPositions[s]) * c.lastPrices[s]
                }
                let fit = (cap - others) / entry - side * net
                if quantity > fit {
                    let reduced = lots(fit)
                    guard reduced > 0 else {
                        let after = others + abs(net + side * quantity) * entry
                        return reject(RiskRejection(
                            RiskRule.maxTotalExposure, .totalExposure(after: after, equity: c.equity, percent: p, cap: cap, lot: lot),
                            value: Double(after), limit: Double(cap)))
                    }
                    quantity = reduced
                    detail.reducedBy = RiskRule.maxTotalExposure
                }
            }
        }
        detail.quantity = quantity
        return RiskAssessment(decision: .approved(quantity: quantity), sizing: detail)
    }

    /// "group 'index_futures' (NIFTY 50, BANKNIFTY)" for each configured group.
    static func groupLabels(_ rules: RiskRules, _ names: [String]) -> [String] {
        rules.groups.map { g in
            let symbols = g.symbols.map { $0 >= 0 && $0 < names.count ? names[$0] : "symbol #\($0)" }.joined(separator: ", ")
            return "group '\(g.name)' (\(symbols))"
        }
    }
}
