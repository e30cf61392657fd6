import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeHTTP
import Foundation
import Testing

/// The built `dashboard` over a home with a replayed paper day: its pages read as `engine status`
/// does, a person's view of each is a Chromium screenshot, and its controls refuse every request
/// that lacks the token, the CSRF token or the right origin — and, with all three, stop a paced replay.
@Suite(.serialized) struct DashboardTests {
    static let day = "2021-02-23"
    static let token = "dash-Tok3n-7f3a9c1e5b"

    /// A dashboard running in the background on a free port.
    final class Dashboard {
        let tool: BackgroundTool
        let port: Int

        init(_ home: EngineTestHome, _ arguments: [String] = [], environment extra: [String: String] = [:]) throws {
            let tool = try BackgroundTool(tool: "dashboard", arguments: ["--port", "0"] + arguments, environment: home.environment(extra),
                                          directory: home.home.root)
            self.tool = tool
            var port = 0
            _ = BackgroundTool.waitUntil(seconds: 60) {
                let out = (try? String(contentsOf: tool.stdoutURL, encoding: .utf8)) ?? ""
                guard let range = out.range(of: "dashboard: serving http://127.0.0.1:") ?? out.range(of: "dashboard: serving http://0.0.0.0:") else {
                    return !tool.isRunning
                }
                port = Int(out[range.upperBound...].prefix { $0.isNumber }) ?? 0
                return true
            }
            self.port = port
            if port == 0 { tool.kill() }
        }

        deinit { if tool.isRunning { tool.kill(SIGTERM) } }

        var base: String { "http://127.0.0.1:\(port)" }

        func get(_ path: String, headers: [(name: String, value: String)] = []) throws -> HTTPResponse {
            try HTTPClient().perform(HTTPRequest(method: .get, url: base + path, headers: headers, timeout: 60))
        }

        func post(_ path: String, _ form: [String: String], origin: String? = nil, headers: [(name: String, value: String)] = []) throws -> HTTPResponse {
            let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            var all = headers + [("Content-Type", "application/x-www-form-urlencoded")]
            if let origin { all.append(("Origin", origin)) }
            return try HTTPClient().perform(HTTPRequest(method: .post, url: base + path, headers: all, body: Data(body.utf8), timeout: 90))
        }

        /// The CSRF token of a control's confirmation page.
        func csrf(_ action: String) throws -> String {
            let page = try get("/control/\(action)?mode=paper")
            let html = String(decoding: page.body, as: UTF8.self)
            guard let range = html.range(of: "name=\"csrf\" value=\"") else { return "" }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    static func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    static func paperStatus(_ home: EngineTestHome) throws -> [String: Any] {
        try #require(EngineToolTests.paperState(try EngineToolTests.status(home)))
    }

    @Test func everyPageShowsTheDaysNumbersAndIsLookedAtInABrowser() throws {
        let home = try EngineTestHome()
        #expect(try home.engine(["run", "--mode", "paper", "--replay", Self.day]).status == 0)
        #expect(try home.home.run("report", ["daily", "--date", Self.day]).status == 0)
        let paper = try Self.paperStatus(home)
        let session = try #require(paper["session"] as? [String: Any])
        let dashboard = try Dashboard(home)
        #expect(dashboard.port > 0, "the dashboard started: \((try? String(contentsOf: dashboard.tool.stderrURL, encoding: .utf8)) ?? "")")

        let overview = try dashboard.get("/")
        #expect(overview.status == 200)
        let page = Self.text(overview)
        // P&L (total, realised, unrealised) and the cash at the open, as `engine status --json` gives them.
        let figures = session.filter { $0.key.contains("pn") || $0.key.contains("cash") }
        #expect(figures.count == 4, "\(session.keys.sorted())")
        for (key, value) in figures {
            let figure = try #require(value as? String)
            #expect(page.contains(figure), "the overview shows engine status's \(key) \(figure)")
        }
        #expect(page.contains("on \(session["trades"] as? Int ?? -1) trades"))
        #expect(page.contains("Read-only: no DASHBOARD_TOKEN"), "no token: the dashboard says it is read-only")
        #expect(!page.contains("/control/"), "and offers no control")
        #expect(page.contains("Risk events of the session") && page.contains("Open positions") && page.contains("Working orders"))
        for fetch in ["src=\"http", "href=\"http", "<script", "<link"] { #expect(!page.contains(fetch), "nothing from the network: \(fetch)") }

        let strategies = Self.text(try dashboard.get("/strategies?mode=paper"))
        #expect(strategies.contains("breakout_scalper") && strategies.contains("Strategies on \(Self.day)") && strategies.contains("Trades today"))
        #expect(strategies.contains("<th>Stage</th>") && strategies.contains(">research</td>"), "each strategy's lifecycle stage")
        let performance = Self.text(try dashboard.get("/performance?mode=paper&from=2021-02-22&to=\(Self.day)"))
        #expect(performance.contains("Daily P&amp;L") && performance.contains("<svg") && performance.contains("By strategy"))
        let reports = Self.text(try dashboard.get("/reports"))
        #expect(reports.contains("/reports/daily/\(Self.day)/report.html"))
        let report = try dashboard.get("/reports/daily/\(Self.day)/report.html")
        #expect(report.status == 200 && Self.text(report).contains("Daily report"))
        #expect(try dashboard.get("/reports/daily/..%2F..%2F.env/report.html").status == 404)
        #expect(try dashboard.get("/reports/../.env").status == 404)
        let settings = Self.text(try dashboard.get("/settings"))
        #expect(settings.contains("daily_loss_pct") && settings.contains("read-only"))
        #expect(try dashboard.get("/control/emergency-stop").status == 403, "read-only: no control page")
        #expect(try dashboard.get("/nowhere").status == 404)
        #expect(try dashboard.get("/", headers: [("Host", "evil.example:80")]).status == 403, "another host name (DNS rebinding)")

        if let browser = HeadlessBrowser.find() {
            for (path, name, height) in [("/?mode=paper", "overview", 1600), ("/strategies?mode=paper", "strategies", 1200),
                                         ("/performance?mode=paper&from=2021-02-22&to=\(Self.day)", "performance", 2200),
                                         ("/reports", "reports", 800), ("/settings", "settings", 1600)] {
                let shot = try browser.screenshot(URL(string: dashboard.base + path)!, name: "dashboard-\(name).png", height: height)
                #expect(shot.size > 20_000, "a rendered \(name) page (\(shot.size) bytes at \(shot.path))")
            }
        } else {
            #expect(!HeadlessBrowser.required, "ALPHA_PRIME_REQUIRE_BROWSER=1 but no chromium is installed")
        }
        dashboard.tool.kill(SIGTERM)
        let ended = dashboard.tool.wait()
        #expect(ended.status == 0 && ended.stdout.contains("dashboard: stopped"), "SIGTERM stops it cleanly: \(ended.stderr)")
    }

    @Test func aControlWithoutTheTokenTheCSRFTokenOrTheRightOriginIsRefused() throws {
        let home = try EngineTestHome()
        try home.home.writeDotEnv("DASHBOARD_TOKEN=\(Self.token)\n")
        #expect(try home.engine(["run", "--mode", "paper", "--replay", Self.day]).status == 0)
        let dashboard = try Dashboard(home)
        #expect(dashboard.port > 0)
        let origin = dashboard.base
        let overview = Self.text(try dashboard.get("/"))
        #expect(overview.contains("/control/emergency-stop") && !overview.contains("Read-only"))
        let csrf = try dashboard.csrf("emergency-stop")
        #expect(!csrf.isEmpty)
        let good = ["csrf": csrf, "token": Self.token, "by": "tester", "reason": "drill", "confirm": "yes", "mode": "paper"]
        func without(_ key: String) -> [String: String] { good.filter { $0.key != key } }

        #expect(try dashboard.post("/control/emergency-stop", without("token"), origin: origin).status == 401)
        var wrong = good
        wrong["token"] = Self.token + "x"
        #expect(try dashboard.post("/control/emergency-stop", wrong, origin: origin).status == 401)
        #expect(try dashboard.post("/control/emergency-stop", good, origin: "http://evil.example").status == 403)
        #expect(try dashboard.post("/control/emergency-stop", good).status == 403, "no Origin and no Referer")
        #expect(try dashboard.post("/control/emergency-stop", without("csrf"), origin: origin).status == 403)
        var other = good
        other["csrf"] = try dashboard.csrf("stop-entries")
        #expect(try dashboard.post("/control/emergency-stop", other, origin: origin).status == 403, "a CSRF token of another control")
        #expect(try dashboard.post("/control/emergency-stop", good, origin: origin, headers: [("Host", "evil.example:\(dashboard.port)")]).status == 403)
        #expect(try dashboard.post("/control/emergency-stop", without("confirm"), origin: origin).status == 400)

        let paper = try Self.paperStatus(home)
        #expect(paper["kill_switch"] as? Bool == false, "nothing refused changed anything")
        // No page, log or output holds the token.
        for path in ["/", "/strategies", "/performance", "/reports", "/settings", "/control/stop-flatten"] {
            #expect(!Self.text(try dashboard.get(path)).contains(Self.token), "\(path) shows no secret")
        }
        dashboard.tool.kill(SIGTERM)
        let ended = dashboard.tool.wait()
        #expect(!(ended.stdout + ended.stderr).contains(Self.token))
        for (name, text) in try home.home.logFiles() { #expect(!text.contains(Self.token), "\(name) holds no token") }
    }

    @Test func anEmergencyStopFromTheDashboardFlattensAPacedReplay() throws {
        let home = try EngineTestHome()
        try home.home.writeDotEnv("DASHBOARD_TOKEN=\(Self.token)\n")
        let engine = try home.start(["run", "--mode", "paper", "--replay", Self.day, "--speed", "120x"])
        defer { if engine.isRunning { engine.kill() } }
        let dashboard = try Dashboard(home)
        #expect(dashboard.port > 0)
        let positionOpen = try BackgroundTool.waitUntil(seconds: 120) {
            let look = try home.engine(["status", "--json"])
            guard look.status == 0, let paper = EngineToolTests.paperState(try EngineToolTests.json(look.stdout)) else { return false }
            return !((paper["open_positions"] as? [Any]) ?? []).isEmpty
        }
        #expect(positionOpen, "the paced replay opened a position")
        #expect(Self.text(try dashboard.get("/?mode=paper")).contains("Open positions"))
        let answer = try dashboard.post("/control/emergency-stop", [
            "csrf": try dashboard.csrf("emergency-stop"), "token": Self.token, "by": "tester", "reason": "dashboard drill",
            "confirm": "yes", "mode": "paper",
        ], origin: dashboard.base)
        #expect(answer.status == 200, "\(Self.text(answer))")
        #expect(Self.text(answer).contains("Kill switch (paper) SET"))
        #expect(BackgroundTool.waitUntil(seconds: 60) { !engine.isRunning }, "the engine stopped")
        let paper = try Self.paperStatus(home)
        #expect(paper["kill_switch"] as? Bool == true)
        #expect(paper["kill_switch_by"] as? String == "tester (dashboard)")
        #expect((paper["kill_switch_reason"] as? String)?.hasSuffix("dashboard drill") == true)
        #expect((paper["open_positions"] as? [Any])?.isEmpty == true, "flattened")
        #expect(paper["working_orders"] as? Int == 0)
        let overview = Self.text(try dashboard.get("/?mode=paper"))
        #expect(overview.contains("Kill switch SET") && overview.contains("tester (dashboard)"))
        let log = try home.home.logFiles().values.joined(separator: "\n")
        #expect(log.contains("dashboard control") && log.contains("emergency-stop"))
    }

    @Test func servedBeyondThisMachineEveryPageNeedsTheSignIn() throws {
        let home = try EngineTestHome()
        try home.home.writeDotEnv("DASHBOARD_TOKEN=\(Self.token)\n")
        let dashboard = try Dashboard(home, ["--host", "0.0.0.0"])
        #expect(dashboard.port > 0)
        let page = try dashboard.get("/")
        #expect(page.status == 303 && page.headers["location"] == "/login", "\(page.headers)")
        let form = Self.text(try dashboard.get("/login"))
        let csrf = String(form[form.range(of: "name=\"csrf\" value=\"")!.upperBound...].prefix { $0 != "\"" })
        let wrong = try dashboard.post("/login", ["csrf": csrf, "token": "nope"], origin: dashboard.base)
        #expect(wrong.status == 401 && wrong.headers["set-cookie"] == nil)
        #expect(try dashboard.post("/login", ["csrf": csrf, "token": Self.token], origin: "http://evil.example").status == 403)
        let right = try dashboard.post("/login", ["csrf": csrf, "token": Self.token], origin: dashboard.base)
        let cookie = try #require(right.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        #expect(right.status == 303 && cookie.hasPrefix("alpha_prime_dashboard="))
        #expect(try dashboard.get("/", headers: [("Cookie", cookie)]).status == 200)
        #expect(try dashboard.get("/settings", headers: [("Cookie", "alpha_prime_dashboard=forged")]).status == 303)
    }

    /// The overview and strategies reload themselves while the market is open (the drill clock puts
    /// the dashboard in a session), never outside it, and never the settings or a control's form.
    @Test func pagesReloadThemselvesOnlyWhileTheMarketIsOpen() throws {
        let home = try EngineTestHome()
        try home.home.writeDotEnv("DASHBOARD_TOKEN=\(Self.token)\n")
        let refresh = "<meta http-equiv=\"refresh\" content=\"5\">"
        let open = try Dashboard(home, environment: ["ALPHA_PRIME_NOW": "2021-02-23T11:00:00+05:30"])
        #expect(open.port > 0)
        for path in ["/", "/strategies"] {
            let page = Self.text(try open.get(path))
            #expect(page.contains(refresh) && page.contains("market open until 15:30"), "\(path) reloads itself in market hours")
        }
        for path in ["/settings", "/performance", "/control/emergency-stop"] {
            #expect(!Self.text(try open.get(path)).contains(refresh), "\(path) does not reload")
        }
        let closed = try Dashboard(home, environment: ["ALPHA_PRIME_NOW": "2021-02-23T16:00:00+05:30"])
        #expect(!Self.text(try closed.get("/")).contains(refresh), "after the close nothing reloads")
    }

    @Test func anAddressBeyondThisMachineNeedsTheToken() throws {
        let home = try EngineTestHome()
        let open = try home.home.run("dashboard", ["--host", "0.0.0.0", "--port", "0"])
        #expect(open.status == 78 && open.stderr.contains("DASHBOARD_TOKEN"), "\(open.stderr)")
        let badPort = try home.home.run("dashboard", ["--port", "70000"])
        #expect(badPort.status == 64)
    }
}
