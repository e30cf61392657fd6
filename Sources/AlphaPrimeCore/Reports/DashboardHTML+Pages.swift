import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

extension DashboardHTML {
    // MARK: Overview

    /// What the overview shows: `engine status`'s report, the live feed, today's charges, working
    /// orders and risk events of the shown mode.
    public struct Overview: Sendable {
        public var status: EngineControl.StatusReport
        /// The feed line of a running live session (`engine status`'s), if any.
        public var feed: String?
        public var grossToday: Int64
        public var chargesToday: Int64
        public var workingOrders: [OrderRecord]
        public var riskEvents: [RiskEventRecord]
        /// The running engine's state from the live-state cache (Redis), or why it could not be read.
        public var live: String?

        public init(status: EngineControl.StatusReport, feed: String?, grossToday: Int64, chargesToday: Int64,
                    workingOrders: [OrderRecord], riskEvents: [RiskEventRecord], live: String? = nil) {
            self.status = status; self.feed = feed; self.grossToday = grossToday; self.chargesToday = chargesToday
            self.workingOrders = workingOrders; self.riskEvents = riskEvents; self.live = live
        }
    }

    public static func overview(_ o: Overview, chrome: Chrome) -> String {
        typealias H = BacktestReportHTML
        let r = ReportFormat.self
        var body = ""
        let m = o.status.modes.first { $0.mode == chrome.mode.rawValue }
        if let m, m.killSwitch {
            body += "<div class=\"banner bad\"><strong>Kill switch SET</strong> by \(e(m.killSwitchBy ?? "?")) at \(e(m.killSwitchAt ?? "?")): "
                + "\(e(m.killSwitchReason ?? "")). Only <code>engine reset-kill-switch --confirm</code> clears it.</div>\n"
        }
        if let halted = m?.session?.entriesHalted {
            body += "<div class=\"banner warn\"><strong>Entries halted:</strong> \(e(halted))</div>\n"
        }
        if let feed = o.feed, feed.contains("STALE") { body += "<div class=\"banner bad\">\(e(feed))</div>\n" }
        if chrome.controlsEnabled {
            body += "<div class=\"controls\">" + controls.map { c in
                "<a\(c.action == "emergency-stop" ? "" : " class=\"stop\"") href=\"/control/\(c.action)?mode=\(chrome.mode.rawValue)\">\(e(c.label))</a>"
            }.joined(separator: " ") + "</div>\n"
        }
        let engine = o.status.engine.map { "running (\($0.text(separator: ", ")))" } ?? "not running"
        body += "<section class=\"cards\">\n"
        body += H.card("Engine", o.status.engine == nil ? "not running" : "running", sign: nil, note: m?.status ?? engine)
        body += H.card("Heartbeat", m?.heartbeatAgeSeconds.map { "\($0) s ago" } ?? "—", sign: nil, note: m?.heartbeatAt)
        if let s = m?.session {
            let pnl = Double(s.pnl) ?? 0
            body += H.card("P&L of the session", "₹" + s.pnl, sign: pnl, note: "realised ₹\(s.realizedPnL) · unrealised ₹\(s.unrealizedPnL)")
            body += H.card("Charges", r.inr(o.chargesToday), sign: nil, note: "gross \(r.inr(o.grossToday)) on \(s.trades) trades")
            let start = Double(s.dayStartCash) ?? 0
            body += H.card("Equity", "₹" + Paise(Int64(((start + pnl) * 100).rounded())).description, sign: nil, note: "cash at the open ₹\(s.dayStartCash)")
            body += H.card("Session", s.date, sign: nil, note: s.status + (s.lastBar.map { ", last bar \($0)" } ?? "")
                + (s.recoveries > 0 ? ", resumed \(s.recoveries)×" : ""))
        } else {
            body += H.card("Session", "none", sign: nil, note: "no engine session in \(chrome.mode.rawValue) mode yet")
        }
        body += "</section>\n"
        var facts: [(String, String, Double?)] = [("Engine", engine, nil), ("Database", o.status.database, nil)]
        if let m {
            facts.append(("Kill switch", m.killSwitch ? "SET" : "clear" + (m.killSwitchBy.map { " (last changed by \($0))" } ?? ""), m.killSwitch ? -1 : nil))
            facts.append(("Working orders", String(m.workingOrders), nil))
        }
        facts.append(("Feed", o.feed ?? "— (no live session running)", nil))
        if let live = o.live { facts.append(("Live state", live, nil)) }
        if o.status.pendingMigrations > 0 { facts.append(("Schema", "\(o.status.pendingMigrations) migration(s) pending", -1)) }
        body += "<section class=\"tables\"><div>\n" + H.table("State", facts, wide: true) + "</div></section>\n"
        body += PeriodReport.grid("Open positions", ["Strategy", "Symbol", "Qty", "Average", "Last", "Unrealised"], (m?.openPositions ?? []).map { p in
            [(p.strategy, nil), (p.symbol, nil), ((p.quantity > 0 ? "+" : "") + String(p.quantity), nil), (p.averagePrice, nil),
             (p.lastPrice ?? "—", nil), (p.unrealizedPnL ?? "—", p.unrealizedPnL.flatMap(Double.init))]
        }, empty: "No open position.")
        body += PeriodReport.grid("Working orders", ["Placed", "Strategy", "Symbol", "Side", "Type", "Qty", "Trigger", "Limit", "Status"], o.workingOrders.map { w in
            [(IST.dateTime(w.createdAt.date).time.description, nil), (w.strategy, nil), (w.symbol, nil), (w.side.rawValue, nil),
             (w.orderType.rawValue, nil), (String(w.quantity), nil), (w.triggerPrice?.description ?? "—", nil),
             (w.limitPrice?.description ?? "—", nil), (w.status.rawValue, nil)]
        }, empty: "No working order.")
        // Breakers, halts and trips; the day's approvals and rejections are counted on the strategies page.
        let serious = o.riskEvents.filter { $0.severity != .info }
        let routine = o.riskEvents.count - serious.count
        body += PeriodReport.grid("Risk events of the session (\(routine) routine approval\(routine == 1 ? "" : "s"), reduction\(routine == 1 ? "" : "s") and rejection\(routine == 1 ? "" : "s") not shown)",
                                  ["Time", "Rule", "Action", "Severity", "Strategy", "What happened"], serious.map { ev in
            [(IST.dateTime(ev.occurredAt.date).time.description, nil), (ev.rule, nil), (ev.action, nil), (ev.severity.rawValue, ev.severity == .info ? nil : -1),
             (ev.strategy ?? "—", nil), (ev.message, nil)]
        }, empty: "No breaker, halt or kill switch in this session.", wrapLast: true)
        return page("Overview", chrome: chrome, body: body)
    }

    // MARK: Strategies

    /// One strategy's line: configuration, today's activity, the last 30 days against the backtest.
    public struct StrategyRow: Sendable {
        public var name: String
        public var symbol: String
        public var enabled: Bool
        /// A breaker or halt that stops its entries now, if any.
        public var paused: String?
        public var ordersToday: Int
        public var rejectedToday: Int
        public var tradesToday: Int
        public var netToday: Int64
        public var comparison: PeriodReport.Comparison?
        /// Its lifecycle stage (`strategy status`); nil when the state database cannot say.
        public var stage: String?

        public init(name: String, symbol: String, enabled: Bool, paused: String?, ordersToday: Int, rejectedToday: Int,
                    tradesToday: Int, netToday: Int64, comparison: PeriodReport.Comparison?, stage: String? = nil) {
            self.name = name; self.symbol = symbol; self.enabled = enabled; self.paused = paused
            self.ordersToday = ordersToday; self.rejectedToday = rejectedToday; self.tradesToday = tradesToday
            self.netToday = netToday; self.comparison = comparison; self.stage = stage
        }
    }

    public static func strategies(_ rows: [StrategyRow], today: LocalDate, window: ReportPeriod, trades: [TradeRecord], chrome: Chrome) -> String {
        let r = ReportFormat.self
        // The state last: a breaker's sentence wraps there instead of pushing the figures off the page.
        var body = PeriodReport.grid("Strategies on \(today)", ["Strategy", "Stage", "Symbol", "Orders", "Rejected by risk", "Trades", "Net P&L today", "State"], rows.map { s in
            [(s.name, nil), (s.stage ?? "—", nil), (s.symbol, nil), (String(s.ordersToday), nil), (String(s.rejectedToday), nil), (String(s.tradesToday), nil),
             (r.inr(s.netToday), Double(s.netToday)),
             (s.enabled ? (s.paused.map { "paused: \($0)" } ?? "enabled") : "disabled", s.paused == nil ? nil : -1)]
        }, empty: "No strategy is configured.", wrapLast: true)
        body += PeriodReport.grid("Live against backtest, \(window.first) to \(window.last) (backtest --save)",
                                  ["Strategy", "Days", "Trades", "Net P&L", "Backtest trades", "Backtest net", "Difference"],
                                  rows.compactMap(\.comparison).map { c in
                                      [(c.strategy, nil), (String(c.days), nil), (String(c.trades), nil), (r.inr(c.netPnL), Double(c.netPnL)),
                                       (String(c.backtestTrades), nil), (r.inr(c.backtestNetPnL), Double(c.backtestNetPnL)), (r.inr(c.difference), Double(c.difference))]
                                  }, empty: "No backtest of these days was saved; run backtest --save over them to compare.")
        body += PeriodReport.grid("Trades today", ["Exit", "Strategy", "Symbol", "Side", "Qty", "Entry", "Exit price", "Net", "Reason"], trades.map { t in
            [(IST.dateTime(t.exitAt.date).time.description, nil), (t.strategy, nil), (t.symbol, nil), (t.side.rawValue, nil), (String(t.quantity), nil),
             (t.entryPrice.description, nil), (t.exitPrice.description, nil), (r.inr(t.netPnl.value), Double(t.netPnl.value)), (t.exitReason ?? "", nil)]
        }, empty: "No trade closed today.", wrapLast: true)
        return page("Strategies", chrome: chrome, body: body)
    }

    // MARK: Performance

    /// Equity and drawdown curves, the daily P&L histogram and the per-strategy figures of `report`.
    public static func performance(_ report: PeriodReport, chrome: Chrome) -> String {
        typealias H = BacktestReportHTML
        let r = ReportFormat.self
        var body = """
            <form class="range" method="get" action="/performance">
            <input type="hidden" name="mode" value="\(e(chrome.mode.rawValue))">
            <label>From<input type="date" name="from" value="\(report.period.first)"></label>
            <label>To<input type="date" name="to" value="\(report.period.last)"></label>
            <div class="controls"><button type="submit" style="border-color:#1f6feb;color:#1f6feb">Show</button></div>
            </form>

            """
        let t = report.metrics.trades
        body += "<section class=\"cards\">\n"
        body += H.card("Net P&L", r.inr(report.netPnL), sign: report.netPnL)
        body += H.card("Charges", r.inr(report.charges), sign: nil, note: "gross \(r.inr(report.grossPnL))")
        body += H.card("Equity", r.inr(report.closingEquity), sign: nil, note: "from \(r.inr(report.openingEquity))")
        body += H.card("Trades", "\(t.trades)", sign: nil, note: t.trades > 0 ? "win rate \(r.percent(t.winRate, digits: 1))" : "no trades")
        body += H.card("Max drawdown", r.percent(report.metrics.maxDrawdown), sign: report.metrics.maxDrawdown < 0 ? -1.0 : nil)
        body += "</section>\n"
        body += "<section class=\"chart\">\n\(report.equityChart)</section>\n"
        body += "<section class=\"chart\">\n\(report.drawdownChart)</section>\n"
        let traded = report.days.filter { $0.tradingDay && $0.sessionStatus != nil }
        body += "<section class=\"chart\">\n" + SVGHistogram(title: "Daily P&L (₹)", values: traded.map { Double($0.netPnL) / 100 }).render() + "</section>\n"
        body += "<section class=\"tables\"><div>\n" + H.table("Performance", report.performanceRows) + "</div></section>\n"
        body += PeriodReport.grid("By strategy", ["Strategy", "Trades", "Win rate", "Profit factor", "Net P&L"], report.groupRows(report.byStrategy),
                                  empty: "No trade in this range.")
        body += PeriodReport.grid("P&L by day", ["Day", "Trades", "Net P&L", "Equity", ""], report.dayRows, wrapLast: true)
        return page("Performance", chrome: chrome, body: body)
    }

    // MARK: Reports and settings

    /// A generated report: its kind (`daily`, `backtest`…), its folder's name and the page's path under `/reports/`.
    public struct ReportLink: Sendable {
        public var kind: String
        public var name: String
        public var path: String
        public var modified: Int64

        public init(kind: String, name: String, path: String, modified: Int64) {
            self.kind = kind; self.name = name; self.path = path; self.modified = modified
        }
    }

    public static func reports(_ links: [ReportLink], chrome: Chrome) -> String {
        var body = ""
        let kinds = Dictionary(grouping: links, by: \.kind)
        for kind in kinds.keys.sorted() {
            let rows = kinds[kind]!.sorted { $0.name > $1.name }
            body += "<section class=\"grid\"><h2>\(e(kind.capitalized))</h2>\n<table><thead><tr><th>Report</th><th>Written</th></tr></thead><tbody>\n"
            for link in rows {
                body += "<tr><td><a href=\"/reports/\(e(link.path))\">\(e(link.name))</a></td><td>\(e(ReportFormat.istISO8601(link.modified)))</td></tr>\n"
            }
            body += "</tbody></table></section>\n"
        }
        if links.isEmpty { body = "<div class=\"banner info\">No report has been written yet (report daily, backtest, optimize write them under reports/).</div>\n" }
        return page("Reports", chrome: chrome, body: body)
    }

    /// The effective configuration (`config-check --show`'s YAML, secrets already masked).
    public static func settings(_ yaml: String, findings: [String], chrome: Chrome) -> String {
        var body = findings.map { "<div class=\"banner warn\">\(e($0))</div>\n" }.joined()
        body += "<p>The effective configuration, read-only (as <code>config-check --show</code> prints it; secrets are masked). Change the files under config/ and .env, then restart the tools.</p>\n"
        body += "<pre class=\"config\">\(e(yaml))</pre>\n"
        return page("Settings", chrome: chrome, body: body)
    }
}
