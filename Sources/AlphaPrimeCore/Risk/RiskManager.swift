import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

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
    private(set) var indiaVIX: VIXLookup?
    /// Rules configured but unable to act in this run, with why (the VIX filter without a VIX series).
    public private(set) var inactiveRules: [String]
    /// The trading core records a risk event for every approved entry, with its size (off for
    /// optimiser sweeps that only need results).
    public var recordsApprovals = true

    /// The day's India VIX as a live feed gives it (the previous session's close, as the stored
    /// series would): an enabled VIX filter judges that day's entries by it from now on, with or
    /// without a stored series (without one it was inactive until now).
    public mutating func setIndiaVIX(_ value: Double, at time: Int64) {
        guard rules.vixBand != nil else { return }
        if indiaVIX == nil { indiaVIX = { _ in nil } }
        inactiveRules.removeAll { $0.hasPrefix("\(RiskRule.vix):") }
        state.vixDay = Self.istDay(time)
        state.indiaVIX = value
    }

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

    /// The symbol's name for messages ("symbol #n" when it has none).
    func name(_ symbol: SymbolID) -> String {
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

    /// "group 'index_futures' (NIFTY 50, BANKNIFTY)" for each configured group.
    static func groupLabels(_ rules: RiskRules, _ names: [String]) -> [String] {
        rules.groups.map { g in
            let symbols = g.symbols.map { $0 >= 0 && $0 < names.count ? names[$0] : "symbol #\($0)" }.joined(separator: ", ")
            return "group '\(g.name)' (\(symbols))"
        }
    }
}
