import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeUpstox
import ArgumentParser
import Foundation

/// Which broker's login `broker login | status | logout` is about.
public enum BrokerChoice: String, ExpressibleByArgument, Sendable {
    case kite, upstox

    /// The one given, else `active_broker` when it is kite or upstox, else kite.
    static func resolve(_ given: BrokerChoice?, _ context: ToolContext) -> BrokerChoice {
        if let given { return given }
        return context.configuration.broker.activeBroker == .upstox ? .upstox : .kite
    }
}

/// The Upstox side of `broker login | status | logout` (OAuth: a code good once, exchanged with the
/// app's key, secret and redirect URL for a token good until 03:30 IST).
extension BrokerCommand {
    /// The Upstox section of the configuration, with its key (and secret) required.
    static func upstox(_ context: ToolContext, needSecret: Bool) -> BrokerConfig.LiveBroker? {
        let upstox = context.configuration.broker.upstox
        guard !upstox.apiKey.isEmpty, !needSecret || !upstox.apiSecret.isEmpty else {
            ToolRunner.printError("broker: UPSTOX_API_KEY\(needSecret ? " and UPSTOX_API_SECRET" : "") must be set in .env (broker_config.yaml: upstox.api_key\(needSecret ? ", upstox.api_secret" : ""))")
            return nil
        }
        return upstox
    }

    static func upstoxLogin(_ context: ToolContext, code given: String?, redirectURI: String?, json: Bool) throws -> ExitStatus {
        guard let upstox = upstox(context, needSecret: true) else { return .configError }
        var text = given
        if text == nil {
            guard let redirectURI else {
                ToolRunner.printError("broker login --broker upstox: give --code CODE|REDIRECT_URL, or --redirect-uri URL to be shown the login URL")
                return .usage
            }
            ToolRunner.printOut("Log in to Upstox at:")
            ToolRunner.printOut("  \(UpstoxClient.loginURL(upstox.loginURL, apiKey: upstox.apiKey, redirectURI: redirectURI))")
            ToolRunner.printOut("then paste the code (or the whole URL Upstox redirected to):")
            text = readLine(strippingNewline: true)
        }
        guard let text, let code = UpstoxSessionFile.authorizationCode(from: text) else {
            ToolRunner.printError("broker login --broker upstox: expected a code or a redirect URL with code=…")
            return .usage
        }
        guard let redirect = redirectURI ?? UpstoxSessionFile.redirectURI(from: text) else {
            ToolRunner.printError("broker login --broker upstox: give --redirect-uri URL (the app's registered redirect URL), or the whole redirect URL as --code")
            return .usage
        }
        let client = try UpstoxClient(connection: UpstoxConnection(upstox, accessToken: ""), limiter: UpstoxRateLimiter(upstox.rateLimits))
        let answer = try client.exchangeCode(code, apiSecret: upstox.apiSecret, redirectURI: redirect)
        let stored = UpstoxStoredSession(userID: answer.userID, accessToken: answer.accessToken, loginAt: .now())
        try UpstoxSessionFile.save(stored, home: context.home)
        context.logger.notice("Upstox login stored", metadata: ["user": "\(answer.userID)", "expires_at": "\(stored.expiresAt)"])
        try ToolRunner.printResult(UpstoxStatusReport(stored, now: .now(), source: "login"), json: json) {
            "logged in to Upstox as \(answer.userID); the access token is good until \(stored.expiresAt) (stored in \(UpstoxSessionFile.url(home: context.home).path))"
        }
        return .ok
    }

    struct UpstoxStatusReport: Encodable {
        var broker = "upstox"
        var valid: Bool
        var source: String
        var user: String?
        var loginAt: String?
        var expiresAt: String?
        var acceptedByUpstox: Bool?

        enum CodingKeys: String, CodingKey {
            case broker, valid, source, user, loginAt = "login_at", expiresAt = "expires_at", acceptedByUpstox = "accepted_by_upstox"
        }

        init(_ stored: UpstoxStoredSession?, now: UTCTimestamp, source: String) {
            valid = stored?.isValid(at: now) ?? false
            self.source = source
            user = stored?.userID
            loginAt = stored?.loginAt
            expiresAt = stored?.expiresAt
        }
    }

    static func upstoxStatus(_ context: ToolContext, check: Bool, json: Bool) throws -> ExitStatus {
        let now = UTCTimestamp.now()
        let stored = try UpstoxSessionFile.load(home: context.home)
        var report = UpstoxStatusReport(stored, now: now, source: stored == nil ? "none" : "login")
        let configured = context.configuration.broker.upstox.accessToken
        if !report.valid, !configured.isEmpty {
            report = UpstoxStatusReport(nil, now: now, source: "env")
            report.valid = true
        }
        if check, report.valid, let upstox = upstox(context, needSecret: false) {
            let token = try UpstoxSessionFile.accessToken(home: context.home, configured: configured, at: now) ?? ""
            let client = try UpstoxClient(connection: UpstoxConnection(upstox, accessToken: token), limiter: UpstoxRateLimiter(upstox.rateLimits))
            do {
                _ = try client.profileUserID()
                report.acceptedByUpstox = true
            } catch let error as UpstoxError where error.isTokenError {
                report.acceptedByUpstox = false
                report.valid = false
            }
        }
        try ToolRunner.printResult(report, json: json) {
            let accepted = report.acceptedByUpstox == true ? "; accepted by Upstox" : ""
            switch (report.valid, report.source) {
            case (true, "env"): return "Upstox access token: from UPSTOX_ACCESS_TOKEN in .env (its expiry is not known here)" + accepted
            case (true, _): return "Upstox access token: good until \(report.expiresAt ?? "?") (\(report.user ?? "?"), logged in \(report.loginAt ?? "?"))" + accepted
            case (false, "none"): return "Upstox access token: none; log in with: broker login --broker upstox"
            case (false, _) where report.acceptedByUpstox == false: return "Upstox access token: refused by Upstox; log in again with: broker login --broker upstox"
            default: return "Upstox access token: expired at \(report.expiresAt ?? "?"); log in again with: broker login --broker upstox"
            }
        }
        return report.valid ? .ok : .failure
    }

    static func upstoxLogout(_ context: ToolContext) throws -> ExitStatus {
        guard let stored = try UpstoxSessionFile.load(home: context.home) else {
            ToolRunner.printOut("no stored Upstox session")
            return .ok
        }
        if stored.isValid(at: .now()), let upstox = upstox(context, needSecret: false) {
            let client = try UpstoxClient(connection: UpstoxConnection(upstox, accessToken: stored.accessToken),
                                          limiter: UpstoxRateLimiter(upstox.rateLimits))
            try client.logout()
        }
        try UpstoxSessionFile.remove(home: context.home)
        ToolRunner.printOut("Upstox session ended and deleted")
        return .ok
    }
}
