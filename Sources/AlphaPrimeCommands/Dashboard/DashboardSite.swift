import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import Foundation
import Logging

/// The dashboard's answers: every request is checked by ``DashboardGuard`` and routed to a page
/// (docs/dashboard.md). Reading the database and the controls block, so they run on a thread of
/// their own, never on the server's.
struct DashboardSite: Sendable {
    let data: DashboardData
    let guardian: DashboardGuard
    let refreshSeconds: Int
    var logger: Logger { data.context.logger }

    /// Headers on every answer: nothing is loaded from elsewhere, no page is framed or cached.
    static let securityHeaders: [(name: String, value: String)] = [
        ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        ("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
        ("Cache-Control", "no-store"),
    ]

    func handle(_ request: WebRequest) async -> WebResponse {
        var response = await Self.offPool { answer(request) }
        response.headers += Self.securityHeaders
        return response
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    func answer(_ request: WebRequest) -> WebResponse {
        do {
            try guardian.checkHost(request)
            if request.path == "/login", guardian.requiresSignIn { return try login(request) }
            do {
                try guardian.checkSignedIn(request, now: Self.now())
            } catch {
                return .redirect(to: "/login")
            }
            switch request.method {
            case "GET", "HEAD": return try page(request)
            case "POST":
                guard request.path.hasPrefix("/control/") else { return refusal(404, "Nothing to post to at \(request.path).", request) }
                return try control(String(request.path.dropFirst("/control/".count)), request)
            default:
                return WebResponse(status: 405, headers: [("Allow", "GET, HEAD, POST")])
            }
        } catch let refusal as DashboardGuard.Refusal {
            logger.warning("dashboard request refused", metadata: [
                "method": "\(request.method)", "path": "\(request.path)", "status": "\(refusal.status)", "why": "\(refusal.message)"])
            return self.refusal(refusal.status, refusal.message, request)
        } catch {
            logger.error("dashboard page failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
            return self.refusal(500, "This page could not be made: \(error)", request)
        }
    }

    func chrome(_ page: DashboardHTML.Page?, mode: TradingMode, refresh: Bool) -> DashboardHTML.Chrome {
        let market = (try? data.market()) ?? (text: "market hours unknown", open: false)
        return DashboardHTML.Chrome(page: page, mode: mode, refreshSeconds: refresh && market.open ? refreshSeconds : nil,
                                    controlsEnabled: guardian.controlsEnabled, market: market.text, generatedAt: Self.now())
    }

    func refusal(_ status: Int, _ text: String, _ request: WebRequest) -> WebResponse {
        let mode = TradingMode(rawValue: request.query["mode"] ?? "") ?? .paper
        var response = WebResponse.html(DashboardHTML.message("Refused (\(status))", text, tone: "bad", chrome: chrome(nil, mode: mode, refresh: false)),
                                        status: status)
        if status == 401 { response.headers.append(("WWW-Authenticate", "Bearer realm=\"ALPHA-PRIME dashboard\"")) }
        return response
    }

    // MARK: Pages

    func page(_ request: WebRequest) throws -> WebResponse {
        let store = try data.store()
        let mode = try data.mode(asked: request.query["mode"], store: store)
        switch request.path {
        case "/", "/overview":
            return .html(DashboardHTML.overview(try data.overview(store: store, mode: mode), chrome: chrome(.overview, mode: mode, refresh: true)))
        case "/strategies":
            let s = try data.strategies(store: store, mode: mode)
            return .html(DashboardHTML.strategies(s.rows, today: s.day, window: s.window, trades: s.trades, chrome: chrome(.strategies, mode: mode, refresh: true)))
        case "/performance":
            let c = chrome(.performance, mode: mode, refresh: false)
            guard let store else { return .html(DashboardHTML.message("Performance", "No engine has written to the state database yet.", chrome: c)) }
            let last = try request.query["to"].map { try date($0, "to") } ?? data.sessionDay(store, mode: mode)
            let first = try request.query["from"].map { try date($0, "from") } ?? last.adding(days: -29)
            guard first <= last, last.daysSinceEpoch - first.daysSinceEpoch <= 3_660 else {
                return .html(DashboardHTML.message("Performance", "Choose a range whose start is not after its end, at most ten years long.", tone: "bad", chrome: c), status: 400)
            }
            return .html(DashboardHTML.performance(try data.performance(store: store, mode: mode, period: .range(first, last)), chrome: c))
        case "/reports":
            return .html(DashboardHTML.reports(data.reports(), chrome: chrome(.reports, mode: mode, refresh: false)))
        case "/settings":
            let s = try data.settings()
            return .html(DashboardHTML.settings(s.yaml, findings: s.findings, chrome: chrome(.settings, mode: mode, refresh: false)))
        default:
            if request.path.hasPrefix("/reports/"), let file = data.reportFile(String(request.path.dropFirst("/reports/".count))) {
                return WebResponse(status: 200, headers: [("Content-Type", file.contentType)], body: file.bytes)
            }
            if request.path.hasPrefix("/control/") {
                let action = String(request.path.dropFirst("/control/".count))
                guard guardian.controlsEnabled else { throw DashboardGuard.Refusal.readOnly }
                return .html(DashboardHTML.confirm(action: action, csrf: guardian.csrfToken(for: action, now: Self.now()),
                                                   chrome: chrome(nil, mode: mode, refresh: false)))
            }
            return refusal(404, "There is no page at \(request.path).", request)
        }
    }

    struct BadDate: Error, CustomStringConvertible {
        var description: String
    }

    func date(_ text: String, _ name: String) throws -> LocalDate {
        guard let d = LocalDate(text) else { throw BadDate(description: "\(name) must be a date such as 2021-02-22, got '\(text)'") }
        return d
    }

    // MARK: Sign-in

    func login(_ request: WebRequest) throws -> WebResponse {
        let c = chrome(nil, mode: .paper, refresh: false)
        guard request.method == "POST" else {
            return .html(DashboardHTML.login(csrf: guardian.csrfToken(for: "login", now: Self.now()), failed: false, chrome: c))
        }
        try guardian.checkOrigin(request)
        let form = request.form
        try guardian.checkCSRF(form["csrf"], for: "login", now: Self.now())
        do {
            try guardian.checkToken(form["token"])
        } catch let refusal {
            logger.warning("dashboard sign-in refused", metadata: ["why": "\(refusal.message)"])
            return .html(DashboardHTML.login(csrf: guardian.csrfToken(for: "login", now: Self.now()), failed: true, chrome: c), status: refusal.status)
        }
        let session = guardian.startSession(now: Self.now())
        logger.notice("dashboard sign-in")
        var response = WebResponse.redirect(to: "/")
        response.headers.append(("Set-Cookie", "\(DashboardGuard.sessionCookie)=\(session); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(DashboardGuard.sessionLifetime)"))
        return response
    }

    // MARK: Controls

    func control(_ action: String, _ request: WebRequest) throws -> WebResponse {
        guard DashboardHTML.controls.contains(where: { $0.action == action }) else {
            return refusal(404, "There is no control named \(action).", request)
        }
        try guardian.checkOrigin(request)
        let form = request.form
        try guardian.checkCSRF(form["csrf"], for: action, now: Self.now())
        try guardian.checkToken(form["token"])
        let mode = TradingMode(rawValue: form["mode"] ?? "") ?? .paper
        let by = (form["by"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let c = chrome(nil, mode: mode, refresh: false)
        guard form["confirm"] == "yes", !by.isEmpty, !reason.isEmpty, by.count <= 64, reason.count <= 200 else {
            return .html(DashboardHTML.message("Not done", "Say who you are and why (at most 64 and 200 characters), and tick the confirmation.",
                                               tone: "bad", chrome: c), status: 400)
        }
        let who = "\(by) (dashboard)"
        logger.notice("dashboard control", metadata: ["control": "\(action)", "mode": "\(mode.rawValue)", "by": "\(who)", "reason": "\(reason)"])
        guard let store = try data.store() else {
            return .html(DashboardHTML.message("Nothing to stop", "No engine has written to the state database.", chrome: c))
        }
        let outcome: (text: String, tone: String)
        switch action {
        case "emergency-stop": outcome = try emergencyStop(store: store, mode: mode, who: who, reason: reason)
        default:
            let result = try EngineControl.stop(store: store, flatten: action == "stop-flatten", by: who, reason: reason, timeout: .seconds(30))
            switch result {
            case .notRunning: outcome = ("No engine is running; nothing to stop.", "info")
            case .stopped(let what): outcome = ("The engine stopped\(what.map { ": \($0)" } ?? "").", "ok")
            case .stillRunning(let holder):
                outcome = ("The engine (\(holder.text(separator: ", "))) is still running after 30 s. If it is hung, use the emergency stop.", "bad")
            }
        }
        logger.notice("dashboard control done", metadata: ["control": "\(action)", "by": "\(who)", "outcome": "\(outcome.text)"])
        let label = DashboardHTML.controls.first { $0.action == action }?.label ?? action
        return .html(DashboardHTML.message(label, outcome.text, tone: outcome.tone, chrome: c))
    }

    func emergencyStop(store: StateRepository, mode: TradingMode, who: String, reason: String) throws -> (text: String, tone: String) {
        let setup = try data.setup
        var unreachable: String?
        let result = try EngineControl.emergencyStop(
            store: store, accounts: { mode in
                do {
                    return try BrokerAccounts.account(for: mode, store: store, setup: setup, context: data.context)
                } catch {
                    unreachable = "\(error)"
                    return nil
                }
            }, mode: mode, by: who, reason: reason, timeout: .seconds(10))
        var text = "Kill switch (\(result.mode)) SET. Engine: \(result.engine)\(result.engineOutcome.map { " — \($0)" } ?? ""). "
            + "Orders cancelled: \(result.cancelledOrders.isEmpty ? "none" : result.cancelledOrders.joined(separator: ", ")). "
            + "Positions closed: \(result.closedPositions.isEmpty ? "none" : result.closedPositions.joined(separator: "; "))."
        if result.brokerUnreachable {
            text += " THE LIVE BROKER COULD NOT BE REACHED\(unreachable.map { " (\($0))" } ?? ""): cancel and close the live orders and positions in the broker's own terminal."
            return (text, "bad")
        }
        return (text, "ok")
    }

    // MARK: Threads

    /// Runs `body` on a thread of its own (database reads and the controls block).
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
