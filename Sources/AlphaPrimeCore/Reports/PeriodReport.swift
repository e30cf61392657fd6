import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// A daily, weekly or monthly trading report: the figures of `summary.json`, from which the HTML
/// page, `summary.txt` and `trades.csv` are written.
///
/// The account's equity over the period is its opening equity plus each day's net P&L (closed
/// trades, exact), so a reset of the paper account inside the period does not show as a return.
/// Metrics are the library's ``PerformanceMetrics`` (empyrical's conventions) over that day-end
/// equity and the period's trades; nothing is computed a second way.
public struct PeriodReport: Sendable {
    public var period: ReportPeriod
    public var mode: TradingMode
    public var generatedAt: UTCTimestamp
    public var days: [Day]
    public var openingEquity: Int64
    public var closingEquity: Int64
    /// Σ net P&L of the trades closed in the period.
    public var netPnL: Int64
    public var grossPnL: Int64
    public var charges: Int64
    /// Unrealised P&L of positions still open at the end of the period's last session.
    public var openPnL: Int64
    public var metrics: PerformanceMetrics
    public var trades: [TradeRecord]
    public var byStrategy: [Group]
    public var bySymbol: [Group]
    public var chargesByKind: ChargesByKind
    public var risk: RiskSummary
    public var prop: PropView?
    public var comparison: [Comparison]
    /// The engine's days against the same days re-run through the backtester (``DayDrift``); nil
    /// when not measured, with ``driftNote`` saying why.
    public var drift: Drift?
    public var driftNote: String?
    /// A monthly report's scaling advisor (``ScalingAdvisor``); nil in daily and weekly reports.
    public var scaling: ScalingAdvice?
    public var openPositions: [PeriodReportInput.OpenPosition]
    public var epochs: [AccountEpochRecord]
    /// Archive files holding rows of the period (not in these figures).
    public var archived: [ArchiveBatchRecord]
    /// The intraday equity of a daily report: (minute, equity) from the engine's snapshots.
    public var intraday: [(time: Int64, equity: Int64)]

    /// One calendar day of the period.
    public struct Day: Sendable, Codable, Equatable {
        public var date: LocalDate
        public var tradingDay: Bool
        /// Why the exchange was closed, or what happened: "not a trading day: …", "no session", "no trades".
        public var note: String?
        public var sessionStatus: String?
        public var startEquity: Int64?
        public var trades: Int
        public var grossPnL: Int64
        public var charges: Int64
        public var netPnL: Int64
        public var closeEquity: Int64?

        enum CodingKeys: String, CodingKey {
            case date, tradingDay = "trading_day", note, sessionStatus = "session_status", startEquity = "start_equity_paise"
            case trades, grossPnL = "gross_pnl_paise", charges = "charges_paise", netPnL = "net_pnl_paise"
            case closeEquity = "close_equity_paise"
        }
    }

    /// The trades of one strategy or one symbol.
    public struct Group: Sendable, Codable, Equatable {
        public var name: String
        public var trades: Int
        public var wins: Int
        public var losses: Int
        public var grossPnL: Int64
        public var charges: Int64
        public var netPnL: Int64
        public var winRate: Double
        public var profitFactor: Double

        enum CodingKeys: String, CodingKey {
            case name, trades, wins, losses, grossPnL = "gross_pnl_paise", charges = "charges_paise", netPnL = "net_pnl_paise"
            case winRate = "win_rate", profitFactor = "profit_factor"
        }

        public init(name: String, trades: Int, wins: Int, losses: Int, grossPnL: Int64, charges: Int64, netPnL: Int64,
                    winRate: Double, profitFactor: Double) {
            self.name = name; self.trades = trades; self.wins = wins; self.losses = losses; self.grossPnL = grossPnL
            self.charges = charges; self.netPnL = netPnL; self.winRate = winRate; self.profitFactor = profitFactor
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(name: try c.decode(String.self, forKey: .name), trades: try c.decode(Int.self, forKey: .trades),
                      wins: try c.decode(Int.self, forKey: .wins), losses: try c.decode(Int.self, forKey: .losses),
                      grossPnL: try c.decode(Int64.self, forKey: .grossPnL), charges: try c.decode(Int64.self, forKey: .charges),
                      netPnL: try c.decode(Int64.self, forKey: .netPnL), winRate: try c.decodeRatio(forKey: .winRate),
                      profitFactor: try c.decodeRatio(forKey: .profitFactor))
        }

        /// Ratios that are undefined or unbounded are written `null`, as in the backtest's summary.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name); try c.encode(trades, forKey: .trades); try c.encode(wins, forKey: .wins)
            try c.encode(losses, forKey: .losses); try c.encode(grossPnL, forKey: .grossPnL); try c.encode(charges, forKey: .charges)
            try c.encode(netPnL, forKey: .netPnL); try c.encodeRatio(winRate, forKey: .winRate)
            try c.encodeRatio(profitFactor, forKey: .profitFactor)
        }
    }

    /// The period's charges by kind, from the fills. A fill whose recorded charges the rate tables
    /// do not reproduce to the paisa (a broker's own contract note) counts as `not_itemised`.
    public struct ChargesByKind: Sendable, Codable, Equatable {
        public var brokerage: Int64 = 0
        public var stt: Int64 = 0
        public var exchange: Int64 = 0
        public var sebi: Int64 = 0
        public var stamp: Int64 = 0
        public var gst: Int64 = 0
        /// Σ of the fills' totals less Σ of their components (rounding of the exact-sum convention).
        public var rounding: Int64 = 0
        public var notItemised: Int64 = 0
        public var total: Int64 = 0

        enum CodingKeys: String, CodingKey {
            case brokerage = "brokerage_paise", stt = "stt_paise", exchange = "exchange_paise", sebi = "sebi_paise"
            case stamp = "stamp_duty_paise", gst = "gst_paise", rounding = "rounding_paise"
            case notItemised = "not_itemised_paise", total = "total_paise"
        }

        var rows: [(String, Int64)] {
            [("Brokerage", brokerage), ("STT", stt), ("Exchange transaction", exchange), ("SEBI fee", sebi),
             ("Stamp duty", stamp), ("GST", gst)] + (rounding != 0 ? [("Rounding", rounding)] : [])
                + (notItemised != 0 ? [("Not itemised (broker's total)", notItemised)] : [])
        }
    }

    /// What the risk stage did in the period.
    public struct RiskSummary: Sendable, Codable, Equatable {
        public struct Count: Sendable, Codable, Equatable {
            public var rule: String
            public var action: String
            public var count: Int
        }
        public var rejections: [Count]
        /// Events above `info`: breaker trips, halts, the kill switch (time, rule, action, message).
        public var alerts: [RiskEventRecord]
        public var killSwitchEvents: Int

        enum CodingKeys: String, CodingKey { case rejections, alerts, killSwitchEvents = "kill_switch_events" }
    }

    /// The prop-firm evaluation as of the period's end (when the active preset has one).
    public struct PropView: Sendable, Codable, Equatable {
        public var firm: String
        public var capital: Int64
        public var dailyLossLimit: Int64
        /// The worst day's loss in the period (≥ 0) and what is left before the limit on that day.
        public var worstDayLoss: Int64
        public var dailyHeadroom: Int64
        public var drawdownMode: String
        public var maxDrawdownLimit: Int64
        /// Drawdown now, from the capital (static) or the highest close (trailing), ≥ 0.
        public var drawdown: Int64
        public var drawdownHeadroom: Int64
        public var profit: Int64
        public var profitTarget: Int64?
        public var tradingDays: Int
        public var minTradingDays: Int?

        enum CodingKeys: String, CodingKey {
            case firm, capital = "capital_paise", dailyLossLimit = "daily_loss_limit_paise", worstDayLoss = "worst_day_loss_paise"
            case dailyHeadroom = "daily_headroom_paise", drawdownMode = "drawdown_mode", maxDrawdownLimit = "max_drawdown_limit_paise"
            case drawdown = "drawdown_paise", drawdownHeadroom = "drawdown_headroom_paise", profit = "profit_paise"
            case profitTarget = "profit_target_paise", tradingDays = "trading_days", minTradingDays = "min_trading_days"
        }
    }

    /// A strategy's results beside its saved backtest of the same days.
    public struct Comparison: Sendable, Encodable, Equatable {
        public var strategy: String
        public var days: Int
        public var trades: Int
        public var netPnL: Int64
        public var backtestTrades: Int
        public var backtestNetPnL: Int64
        public var difference: Int64 { netPnL - backtestNetPnL }

        enum CodingKeys: String, CodingKey {
            case strategy, days, trades, netPnL = "net_pnl_paise", backtestTrades = "backtest_trades"
            case backtestNetPnL = "backtest_net_pnl_paise", difference = "difference_paise"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(strategy, forKey: .strategy); try c.encode(days, forKey: .days); try c.encode(trades, forKey: .trades)
            try c.encode(netPnL, forKey: .netPnL); try c.encode(backtestTrades, forKey: .backtestTrades)
            try c.encode(backtestNetPnL, forKey: .backtestNetPnL); try c.encode(difference, forKey: .difference)
        }
    }

    /// "Rows of 2021-02 are archived in …; archive restore FILE --confirm brings them back."
    public var archivedNotice: String? {
        guard !archived.isEmpty else { return nil }
        return "Rows of " + archived.map { "\($0.month) are archived in backups/archive/\($0.file)" }.joined(separator: ", ")
            + ": these figures leave them out (archive restore FILE --confirm brings them back)."
    }

    /// Whether the period had a trading day at all.
    public var hasTradingDay: Bool { days.contains(where: \.tradingDay) }
    /// Net P&L including the open positions' unrealised P&L (what `engine status` shows as P&L).
    public var totalPnL: Int64 { netPnL + openPnL }
}

extension PeriodReport {
    /// Drift over the period: per strategy, summed over its days, and per day for the trend.
    public struct Drift: Sendable, Equatable, Encodable {
        public var byStrategy: [StrategyDrift]
        public var byDay: [Day]

        public struct Day: Sendable, Equatable, Encodable {
            public var date: LocalDate
            public var missedEntries: Int
            public var extraEntries: Int
            /// engine − backtest net P&L, paise.
            public var difference: Int64

            enum CodingKeys: String, CodingKey {
                case date, missedEntries = "missed_entries", extraEntries = "extra_entries", difference = "difference_paise"
            }
        }

        enum CodingKeys: String, CodingKey { case byStrategy = "by_strategy", byDay = "by_day" }

        /// Sums days' per-strategy drift.
        public init(days: [(date: LocalDate, drift: [StrategyDrift])]) {
            var sums: [String: StrategyDrift] = [:]
            var slipSum: [String: (total: Double, pairs: Int)] = [:]
            for (_, drift) in days {
                for d in drift {
                    var s = sums[d.strategy] ?? StrategyDrift(strategy: d.strategy, engineTrades: 0, backtestTrades: 0, matched: 0,
                                                              missedEntries: 0, extraEntries: 0, averageSlippage: nil,
                                                              engineNetPnL: 0, backtestNetPnL: 0)
                    s.engineTrades += d.engineTrades; s.backtestTrades += d.backtestTrades; s.matched += d.matched
                    s.missedEntries += d.missedEntries; s.extraEntries += d.extraEntries
                    s.engineNetPnL += d.engineNetPnL; s.backtestNetPnL += d.backtestNetPnL
                    if let a = d.averageSlippage {
                        let prior = slipSum[d.strategy] ?? (0, 0)
                        slipSum[d.strategy] = (prior.total + a * Double(d.matched), prior.pairs + d.matched)
                    }
                    sums[d.strategy] = s
                }
            }
            byStrategy = sums.keys.sorted().map { name in
                var s = sums[name]!
                if let slip = slipSum[name], slip.pairs > 0 { s.averageSlippage = slip.total / Double(slip.pairs) }
                return s
            }
            byDay = days.map { day in
                Day(date: day.date, missedEntries: day.drift.reduce(0) { $0 + $1.missedEntries },
                    extraEntries: day.drift.reduce(0) { $0 + $1.extraEntries },
                    difference: day.drift.reduce(0) { $0 + $1.difference })
            }
        }
    }
}
