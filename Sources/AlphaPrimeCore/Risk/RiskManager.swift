import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

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
    /// Σ |net position| × last price of the other symbols, for the total exposure; nil to work it
    /// out from `netPositions` and `lastPrices`.
    public var otherSymbolsNotional: Int64?

    public init(time: Int64, equity: Int64, cash: Int64, startingCapital: Int64, dayStartEquity: Int64,
                peakEquity: Int64, openPositions: Int, position: Int64, netPosition: Int64, lastPrice: Int64,
                lotSize: Int64, minutesSinceOpen: Int = -1, minutesToClose: Int = -1, pendingEntries: Int = 0,
                positionsBySymbol: [Int] = [], netPositions: [Int64] = [], lastPrices: [Int64] = [],
                product: ProductType = .mis, otherSymbolsNotional: Int64? = nil) {
        self.time = time; self.equity = equity; self.cash = cash; self.startingCapital = startingCapital
        self.dayStartEquity = dayStartEquity; self.peakEquity = peakEquity; self.openPositions = openPositions
        self.position = position; self.netPosition = netPosition; self.lastPrice = lastPrice; self.lotSize = lotSize
        self.minutesSinceOpen = minutesSinceOpen; self.minutesToClose = minutesToClose
        self.pendingEntries = pendingEntries; self.positionsBySymbol = positionsBySymbol
        self.netPositions = netPositions; self.lastPrices = lastPrices; self.product = product
        self.otherSymbolsNotional = otherSymbolsNotional
    }
}

public enum RiskDecision: Sendable, Equatable {
    case approved(quantity: Int64)
    case rejected(RiskRejection)

    public var quantity: Int64 { if case .approved(let q) = self { q } else { 0 } }
    public var rejection: RiskRejection? { if case .rejected(let r) = self { r } else { nil } }
}

/// The sizing rule that gave an approved quantity.
public enum SizingMethod: String, Sendable, Equatable, CustomStringConvertible {
    case fixedFractional = "fixed_fractional", kelly, fixedQuantity = "fixed_quantity", exit

    public var description: String { rawValue }

    /// The rule an approval by this method is recorded under.
    public var rule: String {
        switch self {
        case .fixedFractional: RiskRule.perTradeRisk
        case .kelly: RiskRule.kelly
        case .fixedQuantity, .exit: RiskRule.sizing
        }
    }
}

/// How an approved signal was sized: the numbers behind the quantity.
public struct SizingDetail: Sendable, Equatable, CustomStringConvertible {
    public var method: SizingMethod
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
    /// The cap that lowered the size below `sized` (plain data: the detail copies without refcounting).
    public enum Reduction: UInt8, Sendable, Equatable {
        case none, symbolExposure, totalExposure
    }
    public var reduction: Reduction = .none

    /// The rule that lowered the size below `sized`, if any.
    public var reducedBy: String? {
        switch reduction {
        case .none: nil
        case .symbolExposure: RiskRule.maxExposurePerSymbol
        case .totalExposure: RiskRule.maxTotalExposure
        }
    }

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
    /// India VIX for the day (looked up once when the day's clock is set); `vixDay` is its IST day.
    public var indiaVIX: Double?
    public var vixDay: Int64 = .min
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
            setFlags()
            rearm()
        }
    }
    var groupLabels: [String]
    /// What the rules need, worked out once: see ``needsPortfolio``, ``passesEntriesThrough``, ``tracksTrades``.
    var needsPortfolioFlag = false
    /// Correlation groups as plain integers: the groups of each symbol, each group's members and cap.
    var symbolGroups: [[Int]] = []
    var groupMembers: [[SymbolID]] = []
    var groupCaps: [Int] = []
    var passThroughFlag = true
    var tracksTradesFlag = false
    public internal(set) var state: RiskState
    /// Thresholds to compare equity and time with; see ``RiskWatch``.
    public internal(set) var watch = RiskWatch()
    /// The watched floors that do not move with the peak, and the armed trailing percentage whose
    /// floor does (the smallest), nil when none trails.
    var staticFloor = Int64.min
    var trailingPercent: RiskPercent?
    /// Names of the symbols (SymbolID = index), for messages.
    public let symbolNames: [String]
    let indiaVIX: VIXLookup?
    /// Rules configured but unable to act in this run, with why (the VIX filter without a VIX series).
    public let inactiveRules: [String]
    /// The trading core records a risk event for every approved entry, with its size (off for
    /// optimiser sweeps that only need results).
    public var recordsApprovals = true

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
        setFlags()
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
            let decision = Self.exitDecision(signal, position: c.position)
            return RiskAssessment(decision: decision, sizing: decision.quantity > 0
                ? SizingDetail(method: .exit, sized: decision.quantity, quantity: decision.quantity) : nil)
        case .enter:
            if let rejection = entryBlock(signal, c) { return reject(rejection) }
            return sizeEntry(signal, c)
        }
    }

    /// An exit of the strategy's own `position`: always approved when it closes it (all of it, or
    /// the part asked); refused only when there is nothing to close or the side would open instead.
    @inline(__always)
    public static func exitDecision(_ signal: Signal, position: Int64) -> RiskDecision {
        guard position != 0 else { return .rejected(RiskRejection("no_position", .text("exit signal while flat"))) }
        guard signal.side == (position > 0 ? .sell : .buy) else {
            return .rejected(RiskRejection("exit_side", .exitSide(signal.side, position: position)))
        }
        let all = abs(position)
        return .approved(quantity: signal.quantity > 0 ? min(signal.quantity, all) : all)
    }

    /// Whether entries need the per-symbol positions (correlation groups, measured correlation);
    /// without them the core passes none.
    @inline(__always) public var needsPortfolio: Bool { needsPortfolioFlag }

    /// No rule can refuse or size an entry (fixed quantity, no limits, filters or breakers): only a
    /// halt or pause in the state can stop one. The trading core then skips the assessment.
    @inline(__always) public var passesEntriesThrough: Bool { passThroughFlag }

    /// Closed trades matter to a rule (Kelly sizing, the consecutive-loss breaker).
    @inline(__always) public var tracksTrades: Bool { tracksTradesFlag }

    mutating func setFlags() {
        let r = rules
        needsPortfolioFlag = !r.groups.isEmpty || r.rollingCorrelation != nil
        var sizesItself = true
        if case .fixedQuantity = r.sizing { sizesItself = false }
        passThroughFlag = !sizesItself && r.perTradeRisk == nil && r.dailyMaxLoss == nil && r.maxDrawdown == nil
            && r.maxOpenPositions == nil && r.maxExposurePerSymbol == nil && r.maxTotalExposure == nil && r.groups.isEmpty
            && r.rollingCorrelation == nil && r.noEntryFirstMinutes == 0 && r.noEntryLastMinutes == 0 && r.squareOffMinute == nil
            && r.blackouts.isEmpty && r.vixBand == nil && r.killSwitchDailyLoss == nil && r.killSwitchDrawdown == nil && r.propFirm == nil
        groupMembers = r.groups.map(\.symbols)
        groupCaps = r.groups.map(\.maxOpenPositions)
        let symbols = max(symbolNames.count, (r.groups.flatMap(\.symbols).max() ?? -1) + 1)
        symbolGroups = Array(repeating: [], count: symbols)
        for (k, g) in r.groups.enumerated() { for s in g.symbols where s >= 0 { symbolGroups[s].append(k) } }
        var kelly = false
        if case .kelly = r.sizing { kelly = true }
        tracksTradesFlag = kelly || r.maxConsecutiveLosses != nil
    }

    /// An entry when ``passesEntriesThrough``: refused only by a halt or pause in the state, else
    /// the strategy's quantity or the configured lots.
    @inline(__always)
    public func passEntry(_ signal: Signal, time: Int64, lotSize: Int64, lastPrice: Int64) -> (RiskRejection?, SizingDetail) {
        var quantity: Int64 = 0
        if case .fixedQuantity(let lots) = rules.sizing { quantity = signal.quantity > 0 ? signal.quantity : lots * max(1, lotSize) }
        let detail = SizingDetail(method: .fixedQuantity, sized: quantity, quantity: quantity, entryPrice: lastPrice)
        if let halt = state.halt { return (halt, detail) }
        if let halt = state.dayHalt { return (halt, detail) }
        if time < state.pausedUntil, let pause = state.pause { return (pause, detail) }
        if quantity <= 0 { return (RiskRejection(RiskRule.sizing, .sizedZero), detail) }
        return (nil, detail)
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
        let ddRef = rules.drawdownMode == .trailing ? c.peakEquity : c.startingCapital
        let drawdown = ddRef - equity
        // The core's own numbers inside the watched band reach no armed limit (a tripped one has
        // halted or paused entries above); anything else is checked rule by rule.
        let watched = c.dayStartEquity == state.dayStartEquity && c.peakEquity == state.peakEquity
            && c.startingCapital == state.startingCapital && equity > watch.floor && equity < watch.ceiling
        // A limit is a loss of at least 0: with no loss today and no drawdown, none is reached.
        if !watched && (dayLoss >= 0 || drawdown >= 0 || rules.propFirm != nil) {
            if let rejection = accountLimit(c, dayLoss: dayLoss, ddRef: ddRef, drawdown: drawdown) { return rejection }
        }
        return timeAndPositionBlock(signal, c)
    }

    /// The loss and drawdown limits (the firm's, the kill switch, ours) against the numbers now.
    private func accountLimit(_ c: RiskContext, dayLoss: Int64, ddRef: Int64, drawdown: Int64) -> RiskRejection? {
        let equity = c.equity
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
        return nil
    }

    /// Time filters, the India VIX, positions and correlation.
    private func timeAndPositionBlock(_ signal: Signal, _ c: RiskContext) -> RiskRejection? {
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
            let day = Self.istDay(c.time)
            let known = day == state.vixDay ? state.indiaVIX : lookup(LocalDate(daysSinceEpoch: Int(day)))
            guard let vix = known else {
                return RiskRejection(RiskRule.vix, .vixMissing(date: LocalDate(daysSinceEpoch: Int(day)), band: band))
            }
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
            if symbol >= 0 && symbol < symbolGroups.count {
                for k in symbolGroups[symbol] {
                    var open = 0
                    for s in groupMembers[k] where s < counts.count { open += counts[s] }
                    if open >= groupCaps[k] {
                        return RiskRejection(RiskRule.correlationGroups, .group(label: groupLabels[k], open: open, limit: groupCaps[k]),
                                             value: Double(open), limit: Double(groupCaps[k]))
                    }
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
        var detail = SizingDetail(method: .fixedQuantity, sized: 0, quantity: 0, entryPrice: entry)

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
            detail.method = rules.sizing == .fixedFractional ? .fixedFractional : .kelly
            guard let perTrade = rules.perTradeRisk else {
                return reject(RiskRejection(RiskRule.perTradeRisk, .noPerTradeRisk(method: detail.method.rawValue)))
            }
            guard stopDistance > 0 else { return reject(RiskRejection(RiskRule.perTradeRisk, .noStop(method: detail.method.rawValue))) }
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
            // Only an order that makes the symbol's position bigger is capped.
            let grows = abs(net + side * quantity) > abs(net)
            if grows, let p = rules.maxExposurePerSymbol {
                let cap = p.of(c.equity)
                // |net + side × q| × entry ≤ cap; the division only when it does not fit.
                if abs(net + side * quantity) * entry > cap {
                    let fit = cap / entry - side * net
                    let reduced = lots(fit)
                    guard reduced > 0 else {
                        let after = abs(net + side * quantity) * entry
                        return reject(RiskRejection(
                            RiskRule.maxExposurePerSymbol,
                            .symbolExposure(name(signal.symbol), after: after, equity: c.equity, percent: p, cap: cap, lot: lot),
                            value: Double(after), limit: Double(cap)))
                    }
                    quantity = reduced
                    detail.reduction = .symbolExposure
                }
            }
            if grows, let p = rules.maxTotalExposure {
                let cap = p.of(c.equity)
                var others: Int64 = 0
                if let known = c.otherSymbolsNotional {
                    others = known
                } else {
                    for s in c.netPositions.indices where s != signal.symbol && s < c.lastPrices.count {
                        others += abs(c.netPositions[s]) * c.lastPrices[s]
                    }
                }
                if others + abs(net + side * quantity) * entry > cap {
                    let fit = (cap - others) / entry - side * net
                    let reduced = lots(fit)
                    guard reduced > 0 else {
                        let after = others + abs(net + side * quantity) * entry
                        return reject(RiskRejection(
                            RiskRule.maxTotalExposure, .totalExposure(after: after, equity: c.equity, percent: p, cap: cap, lot: lot),
                            value: Double(after), limit: Double(cap)))
                    }
                    quantity = reduced
                    detail.reduction = .totalExposure
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
