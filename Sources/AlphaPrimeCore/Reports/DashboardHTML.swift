import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// The dashboard's pages (the `dashboard` tool serves them): server-rendered, self-contained HTML
/// (inline CSS and SVG, no script, nothing from the network), built from what the tool read from
/// the state database. Every value is escaped; no secret is ever handed to these functions.
public enum DashboardHTML {
    public enum Page: String, Sendable, CaseIterable {
        case overview, strategies, performance, reports, settings

        var path: String { self == .overview ? "/" : "/\(rawValue)" }
        var title: String { rawValue.capitalized }
    }

    /// What every page shows around its content.
    public struct Chrome: Sendable {
        public var page: Page?
        public var mode: TradingMode
        /// Reload every so many seconds (while the market is open), or never.
        public var refreshSeconds: Int?
        /// Whether the controls can be used (`DASHBOARD_TOKEN` is set).
        public var controlsEnabled: Bool
        /// "market open until 15:30 IST", "market closed: Saturday".
        public var market: String
        public var generatedAt: Int64

        public init(page: Page?, mode: TradingMode, refreshSeconds: Int?, controlsEnabled: Bool, market: String, generatedAt: Int64) {
            self.page = page; self.mode = mode; self.refreshSeconds = refreshSeconds
            self.controlsEnabled = controlsEnabled; self.market = market; self.generatedAt = generatedAt
        }
    }

    static func e(_ s: String) -> String { ReportFormat.escape(s) }

    static let css = """
        nav{display:flex;flex-wrap:wrap;gap:4px;margin:0 0 14px}
        nav a{padding:6px 12px;border-radius:6px;color:#1d2127;text-decoration:none;background:#fff;border:1px solid #e1e4e8}
        nav a.on{background:#1f6feb;color:#fff;border-color:#1f6feb}
        .banner{border-radius:8px;padding:10px 14px;margin-bottom:14px;border:1px solid}
        .banner.bad{background:#ffebe9;border-color:#ff8182;color:#82071e}
        .banner.warn{background:#fff8c5;border-color:#d4a72c;color:#4d2d00}
        .banner.ok{background:#dafbe1;border-color:#4ac26b;color:#044f1e}
        .banner.info{background:#ddf4ff;border-color:#54aeff;color:#0a3069}
        .controls{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 16px}
        .controls a,.controls button{padding:8px 14px;border-radius:6px;border:1px solid #cf222e;background:#fff;color:#cf222e;text-decoration:none;font:inherit;cursor:pointer}
        .controls a.stop{border-color:#9a6700;color:#9a6700}
        form.confirm{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:16px;max-width:560px}
        form.confirm label{display:block;margin:10px 0 4px;font-weight:600}
        form.confirm input[type=text],form.confirm input[type=password],form.confirm input[type=date]{width:100%;box-sizing:border-box;padding:6px 8px;font:inherit}
        form.range{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin:0 0 14px}
        form.range label{display:flex;flex-direction:column;font-size:12px;color:#5b6470}
        pre.config{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:12px;overflow-x:auto;font-size:12px}
        """ + PeriodReport.css

    /// The page around `body`: title, navigation, the market and mode line, the read-only notice.
    static func page(_ title: String, chrome: Chrome, body: String) -> String {
        var head = ReportPage.open(kind: title, runID: chrome.mode.rawValue,
                                   subtitle: "\(chrome.market) · generated \(ReportFormat.istISO8601(chrome.generatedAt))"
                                       + (chrome.refreshSeconds.map { " · refreshes every \($0) s" } ?? ""),
                                   extraCSS: css)
        if let seconds = chrome.refreshSeconds {
            head = head.replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "<meta charset=\"utf-8\">\n<meta http-equiv=\"refresh\" content=\"\(seconds)\">")
        }
        var nav = "<nav>"
        for p in Page.allCases {
            let query = p == .reports || p == .settings ? "" : "?mode=\(chrome.mode.rawValue)"
            nav += "<a href=\"\(p.path)\(query)\"\(p == chrome.page ? " class=\"on\"" : "")>\(p.title)</a>"
        }
        nav += "</nav>\n"
        let readOnly = chrome.controlsEnabled ? ""
            : "<div class=\"banner info\">Read-only: no DASHBOARD_TOKEN is set in .env, so the controls are off. Use <code>engine stop</code> or <code>engine emergency-stop</code> in a terminal.</div>\n"
        return head + nav + readOnly + body + ReportPage.close(footer: "Read from the state database. Nothing on this page comes from the network.")
    }

    // MARK: Messages and forms

    /// A page that says one thing (a refusal, a control's result).
    public static func message(_ title: String, _ text: String, tone: String = "info", chrome: Chrome) -> String {
        page(title, chrome: chrome, body: "<div class=\"banner \(e(tone))\">\(e(text))</div>\n<p><a href=\"/?mode=\(chrome.mode.rawValue)\">Back to the overview</a></p>\n")
    }

    /// The controls, each a link to its confirmation page.
    public static let controls: [(action: String, label: String, explain: String)] = [
        ("stop-entries", "Stop new entries", "The engine stops between bars: no new entries; open positions keep their broker stops. It exits."),
        ("stop-flatten", "Stop and flatten", "The engine cancels its working orders, closes every position at market, and exits."),
        ("emergency-stop", "Emergency stop", "The kill switch is set (it survives restarts), every order is cancelled and every position closed — even when the engine is hung or gone."),
    ]

    /// The confirmation of a control: the token, who, why, and a box to tick; the CSRF token hidden.
    public static func confirm(action: String, csrf: String, chrome: Chrome) -> String {
        guard let control = controls.first(where: { $0.action == action }) else {
            return message("Unknown control", "There is no control named \(action).", tone: "bad", chrome: chrome)
        }
        let body = """
            <form class="confirm" method="post" action="/control/\(e(action))">
            <p><strong>\(e(control.label)) (\(e(chrome.mode.rawValue)))</strong>: \(e(control.explain))</p>
            <input type="hidden" name="csrf" value="\(e(csrf))">
            <input type="hidden" name="mode" value="\(e(chrome.mode.rawValue))">
            <label for="token">Dashboard token</label><input type="password" id="token" name="token" autocomplete="off" required>
            <label for="by">Your name</label><input type="text" id="by" name="by" maxlength="64" required>
            <label for="reason">Why</label><input type="text" id="reason" name="reason" maxlength="200" required>
            <p><label><input type="checkbox" name="confirm" value="yes" required> I want to do this now</label></p>
            <div class="controls"><button type="submit">\(e(control.label))</button> <a class="stop" href="/?mode=\(e(chrome.mode.rawValue))">Cancel</a></div>
            </form>

            """
        return page("Confirm: \(control.label)", chrome: chrome, body: body)
    }

    /// The sign-in page of a dashboard served beyond this machine.
    public static func login(csrf: String, failed: Bool, chrome: Chrome) -> String {
        let body = (failed ? "<div class=\"banner bad\">That token is not the dashboard's.</div>\n" : "") + """
            <form class="confirm" method="post" action="/login">
            <p>This dashboard is served beyond this machine: give the dashboard token (DASHBOARD_TOKEN in .env) to see it.</p>
            <input type="hidden" name="csrf" value="\(e(csrf))">
            <label for="token">Dashboard token</label><input type="password" id="token" name="token" autocomplete="off" required>
            <div class="controls"><button type="submit">Sign in</button></div>
            </form>

            """
        var c = chrome
        c.controlsEnabled = true
        return page("Sign in", chrome: c, body: body)
    }
}
