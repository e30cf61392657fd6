import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Everything a daily, weekly or monthly report is made from, read from the state database in one
/// consistent snapshot (``load(store:period:mode:calendar:settings:)``). Nothing here is recomputed
/// from market data: the trades, sessions and snapshots are the engine's own records.
public struct PeriodReportInput: Sendable {
    public var period: ReportPeriod
    public var mode: TradingMode
    public var calendar: TradingCalendar
    /// The engine sessions of the period's days.
    public var sessions: [EngineSessionRecord]
    /// The account's equity before the period's first session: the cash the first session opened
    /// with, or (without a session) the last known close before the period, or the capital.
    public var openingEquity: Int64
    /// Trades closed in the period, oldest first.
    public var trades: [TradeRecord]
    /// The account's fills in the period (for the charges by kind).
    public var fills: [AccountFill]
    /// Portfolio snapshots of the period (the intraday equity curve of a daily report).
    public var snapshots: [PortfolioSnapshot]
    public var riskEvents: [RiskEventRecord]
    /// The same days' results of `backtest --save` (mode `backtest`), per strategy and day.
    public var backtestPerformance: [StrategyPerformanceRecord]
    /// Account resets recorded for the mode.
    public var epochs: [AccountEpochRecord]
    /// Positions still open at the end of the period's last session, marked at the last price.
    public var openPositions: [OpenPosition]
    public var settings: PeriodReportSettings
    /// The prop-firm view's account history: every session of the current epoch up to the period's
    /// end, with its day's net P&L.
    public var accountDays: [(date: LocalDate, startCash: Int64, netPnL: Int64)]
    public var accountCapital: Int64
    /// Archive files holding rows of the period's months (`archive run`); those rows are not in the database.
    public var archived: [ArchiveBatchRecord] = []

    /// An open position with its last mark.
    public struct OpenPosition: Sendable, Codable, Equatable {
        public var strategy: String
        public var symbol: String
        public var quantity: Int64
        public var averagePrice: Int64
        public var lastPrice: Int64?
        public var unrealizedPnL: Int64?

        enum CodingKeys: String, CodingKey {
            case strategy, symbol, quantity, averagePrice = "average_price_paise", lastPrice = "last_price_paise"
            case unrealizedPnL = "unrealized_pnl_paise"
        }
    }
}

/// What the report takes from the configuration.
public struct PeriodReportSettings: Sendable {
    /// The configured starting capital, paise (the account's capital until the first reset).
    public var startingCapital: Int64
    /// The active risk preset's name and its prop-firm rules, if any.
    public var riskPreset: String
    public var propFirm: RiskConfig.PropFirm?
    /// Splits a fill's recorded charges into brokerage, STT, exchange, SEBI, stamp duty and GST at
    /// the rates of its date; nil when the fill's instrument is not configured.
    public var itemize: @Sendable (AccountFill) -> ChargesBreakdown?
    public var riskFreeRateAnnual: Double

    public init(startingCapital: Int64, riskPreset: String, propFirm: RiskConfig.PropFirm?,
                itemize: @escaping @Sendable (AccountFill) -> ChargesBreakdown?, riskFreeRateAnnual: Double = 0) {
        self.startingCapital = startingCapital
        self.riskPreset = riskPreset
        self.propFirm = propFirm
        self.itemize = itemize
        self.riskFreeRateAnnual = riskFreeRateAnnual
    }
}

extension PeriodReportInput {
    /// Which mode traded in the period when none is asked for: live if a live session ran, else paper.
    public static func tradedMode(store: any StateStore, period: ReportPeriod) throws -> TradingMode {
        try store.engineSessions(mode: .live, from: period.first, through: period.last).isEmpty ? .paper : .live
    }

    /// Reads the period's records in one read transaction. `positions` gives the account's open
    /// positions (the broker account's book) when the period holds the latest session.
    public static func load(store: any StateStore, period: ReportPeriod, mode: TradingMode, calendar: TradingCalendar,
                            settings: PeriodReportSettings, positions: () throws -> [BrokerPosition]) throws -> PeriodReportInput {
        try store.readTransaction {
            let trades = try store.trades(mode: mode, exitedFrom: period.from, before: period.before)
            let epochs = try store.accountEpochs(mode: mode)
            let epoch = epochs.last
            let capital = epoch?.startingCapital.value ?? settings.startingCapital

            // The account's days of the current epoch up to the period's end (the prop-firm view and
            // the opening equity when the period starts without a session).
            let history = try store.engineSessions(mode: mode, from: LocalDate(year: 1970, month: 1, day: 2)!, through: period.last)
            let sessions = history.filter { $0.tradingDate >= period.first }
            var accountDays: [(date: LocalDate, startCash: Int64, netPnL: Int64)] = []
            var openingEquity = capital
            var before: (date: LocalDate, close: Int64)?
            let epochSessions = history.filter { ($0.id ?? 0) >= (epoch?.firstSessionId ?? 0) }
            var netByDay: [LocalDate: Int64] = [:]
            if let firstDay = epochSessions.first?.tradingDate {
                for t in try store.trades(mode: mode, exitedFrom: Self.dayStart(firstDay), before: period.before) {
                    netByDay[Self.istDate(t.exitAt), default: 0] += t.netPnl.value
                }
            }
            for s in epochSessions {
                let net = netByDay[s.tradingDate] ?? 0
                accountDays.append((s.tradingDate, s.dayStartCash.value, net))
                if s.tradingDate < period.first { before = (s.tradingDate, s.dayStartCash.value + net) }
            }
            if let first = sessions.first {
                openingEquity = first.dayStartCash.value
            } else if let before {
                openingEquity = before.close
            }

            var open: [OpenPosition] = []
            let latest = try store.latestEngineSession(mode: mode)
            if let latest, latest.tradingDate >= period.first, latest.tradingDate <= period.last {
                let marks = Dictionary(try store.marks(mode: mode).map { ($0.symbol, $0.price.value) }, uniquingKeysWith: { a, _ in a })
                for p in try positions() {
                    let mark = marks[p.symbol]
                    let unrealized = mark.map { p.quantity > 0 ? p.quantity * $0 - p.openValue : p.openValue + p.quantity * $0 }
                    open.append(OpenPosition(strategy: p.strategy ?? "", symbol: p.symbol, quantity: p.quantity,
                                             averagePrice: p.openValue / max(1, abs(p.quantity)), lastPrice: mark,
                                             unrealizedPnL: unrealized))
                }
            }
            return PeriodReportInput(
                period: period, mode: mode, calendar: calendar, sessions: sessions, openingEquity: openingEquity,
                trades: trades, fills: try store.accountFills(mode: mode, from: period.from, before: period.before),
                snapshots: try store.portfolioHistory(mode: mode, from: period.from, before: period.before),
                riskEvents: try store.riskEvents(mode: mode, from: period.from, before: period.before),
                backtestPerformance: try store.strategyPerformance(mode: .backtest, from: period.first, through: period.last),
                epochs: epochs, openPositions: open, settings: settings, accountDays: accountDays, accountCapital: capital,
                archived: try store.archivedBatches().filter { batch in
                    let months = Set([period.first, period.last].map { String($0.description.prefix(7)) })
                    return months.contains(batch.month) || (batch.month > String(period.first.description.prefix(7))
                                                            && batch.month < String(period.last.description.prefix(7)))
                })
        }
    }

    static func istDate(_ t: UTCTimestamp) -> LocalDate {
        IST.dateTime(epochSeconds: t.microseconds / 1_000_000).date
    }

    static func dayStart(_ date: LocalDate) -> UTCTimestamp {
        UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: date, secondOfDay: 0))
    }
}
