import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeKite
import ArgumentParser
import Foundation

/// `broker login | status | logout`: the daily Kite Connect (or, with `--broker upstox`, Upstox)
/// login and the state of its token.
public struct BrokerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "The daily Kite Connect or Upstox login, and whether today's access token is good.",
        discussion: """
            Kite's access tokens expire at 06:00 IST every morning. broker login prints the login URL; after \
            logging in, Kite redirects to the app's URL with request_token=…; give that token (or the whole URL) \
            with --request-token or on standard input. The session is stored in var/kite-session.json (mode 600) \
            and used by the engine until it expires. With --broker upstox (the default when active_broker is upstox): \
            Upstox's tokens expire at 03:30 IST; broker login --broker upstox --redirect-uri URL prints the login URL, \
            and --code CODE|REDIRECT_URL exchanges the code Upstox redirected with; the session is stored in \
            var/upstox-session.json (mode 600).
            """,
        version: AlphaPrimeVersion.string,
        subcommands: [Login.self, Status.self, Logout.self])

    public init() {}

    /// The Kite section of the configuration, with its key and secret required.
    static func kite(_ context: ToolContext, needSecret: Bool) throws -> BrokerConfig.LiveBroker? {
        let kite = context.configuration.broker.kite
        guard !kite.apiKey.isEmpty, !needSecret || !kite.apiSecret.isEmpty else {
            ToolRunner.printError("broker: KITE_API_KEY\(needSecret ? " and KITE_API_SECRET" : "") must be set in .env (broker_config.yaml: kite.api_key\(needSecret ? ", kite.api_secret" : ""))")
            return nil
        }
        return kite
    }

    /// A request token as typed: the token itself, or the redirect URL that carries it.
    static func requestToken(from text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let components = URLComponents(string: trimmed), let item = components.queryItems?.first(where: { $0.name == "request_token" }) {
            return item.value.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return trimmed
    }

    public struct Login: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "login", abstract: "Exchange today's request token for an access token and store it.")

        @OptionGroup public var common: CommonOptions
        @Option(name: .long, help: ArgumentHelp("The request_token from Kite's redirect (or the whole redirect URL); read from standard input when not given.", valueName: "token"))
        public var requestToken: String?
        @Option(name: .long, help: ArgumentHelp("kite or upstox (default: active_broker when it is one of them, else kite).", valueName: "name"))
        public var broker: BrokerChoice?
        @Option(name: .long, help: ArgumentHelp("Upstox: the code from the redirect (or the whole redirect URL); read from standard input when not given.", valueName: "code"))
        public var code: String?
        @Option(name: .long, help: ArgumentHelp("Upstox: the app's registered redirect URL (taken from the redirect URL when --code is one).", valueName: "url"))
        public var redirectURI: String?

        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "broker login") {
                let context = try ToolContext.load(common, tool: "broker")
                if BrokerChoice.resolve(broker, context) == .upstox {
                    return try BrokerCommand.upstoxLogin(context, code: code, redirectURI: redirectURI, json: common.json)
                }
                guard let kite = try BrokerCommand.kite(context, needSecret: true) else { return .configError }
                var given = requestToken
                if given == nil {
                    ToolRunner.printOut("Log in to Kite at:")
                    ToolRunner.printOut("  \(KiteClient.loginURL(kite.loginURL, apiKey: kite.apiKey))")
                    ToolRunner.printOut("then paste the request_token (or the whole URL Kite redirected to):")
                    given = readLine(strippingNewline: true)
                }
                guard let text = given, let token = BrokerCommand.requestToken(from: text) else {
                    ToolRunner.printError("broker login: expected a request_token (letters and digits) or a redirect URL with request_token=…")
                    return .usage
                }
                let client = try KiteClient(connection: KiteConnection(kite, accessToken: ""), limiter: KiteRateLimiter(kite.rateLimits))
                let session = try client.generateSession(requestToken: token, apiSecret: kite.apiSecret)
                let stored = KiteStoredSession(userID: session.userID, accessToken: session.accessToken, loginAt: .now())
                try KiteSessionFile.save(stored, home: context.home)
                context.logger.notice("Kite login stored", metadata: ["user": "\(session.userID)", "expires_at": "\(stored.expiresAt)"])
                try ToolRunner.printResult(Status.Report(stored, now: .now(), source: "login"), json: common.json) {
                    "logged in to Kite as \(session.userID); the access token is good until \(IST.dateTime(epochSeconds: (stored.expiry?.microseconds ?? 0) / 1_000_000)) (stored in \(KiteSessionFile.url(home: context.home).path))"
                }
                return .ok
            }
        }
    }

    public struct Status: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Whether today's Kite access token is good (exit 0) or missing or expired (exit 1).",
            discussion: "--check also asks Kite for the profile, which proves the token is accepted (exit 69 when Kite cannot be reached, 78 when it refuses the token).")

        @OptionGroup public var common: CommonOptions
        @Flag(name: .long, help: "Also ask the broker whether it accepts the token.") public var check = false
        @Option(name: .long, help: ArgumentHelp("kite or upstox (default: active_broker when it is one of them, else kite).", valueName: "name"))
        public var broker: BrokerChoice?

        public init() {}

        struct Report: Encodable {
            var valid: Bool
            var source: String
            var user: String?
            var loginAt: String?
            var expiresAt: String?
            var acceptedByKite: Bool?

            enum CodingKeys: String, CodingKey {
                case valid, source, user, loginAt = "login_at", expiresAt = "expires_at", acceptedByKite = "accepted_by_kite"
            }

            init(_ stored: KiteStoredSession?, now: UTCTimestamp, source: String) {
                valid = stored?.isValid(at: now) ?? false
                self.source = source
                user = stored?.userID
                loginAt = stored?.loginAt
                expiresAt = stored?.expiresAt
            }
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "broker status") {
                let context = try ToolContext.load(common, tool: "broker")
                if BrokerChoice.resolve(broker, context) == .upstox {
                    return try BrokerCommand.upstoxStatus(context, check: check, json: common.json)
                }
                let now = UTCTimestamp.now()
                let stored = try KiteSessionFile.load(home: context.home)
                var report = Report(stored, now: now, source: stored == nil ? "none" : "login")
                let configured = context.configuration.broker.kite.accessToken
                if !report.valid, !configured.isEmpty {
                    report = Report(nil, now: now, source: "env")
                    report.valid = true
                }
                if check, report.valid, let kite = try BrokerCommand.kite(context, needSecret: false) {
                    let token = try KiteSessionFile.accessToken(home: context.home, configured: configured, at: now) ?? ""
                    let client = try KiteClient(connection: KiteConnection(kite, accessToken: token), limiter: KiteRateLimiter(kite.rateLimits))
                    do {
                        _ = try client.profile()
                        report.acceptedByKite = true
                    } catch let error as KiteError where error.kind == .token {
                        report.acceptedByKite = false
                        report.valid = false
                    }
                }
                try ToolRunner.printResult(report, json: common.json) {
                    switch (report.valid, report.source) {
                    case (true, "env"): "Kite access token: from KITE_ACCESS_TOKEN in .env (its expiry is not known here)"
                            + (report.acceptedByKite == true ? "; accepted by Kite" : "")
                    case (true, _): "Kite access token: good until \(report.expiresAt ?? "?") (\(report.user ?? "?"), logged in \(report.loginAt ?? "?"))"
                            + (report.acceptedByKite == true ? "; accepted by Kite" : "")
                    case (false, "none"): "Kite access token: none; log in with: broker login"
                    case (false, _) where report.acceptedByKite == false: "Kite access token: refused by Kite; log in again with: broker login"
                    default: "Kite access token: expired at \(report.expiresAt ?? "?"); log in again with: broker login"
                    }
                }
                return report.valid ? .ok : .failure
            }
        }
    }

    public struct Logout: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "logout", abstract: "End the stored Kite session at Kite and delete it here.")

        @OptionGroup public var common: CommonOptions
        @Option(name: .long, help: ArgumentHelp("kite or upstox (default: active_broker when it is one of them, else kite).", valueName: "name"))
        public var broker: BrokerChoice?

        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "broker logout") {
                let context = try ToolContext.load(common, tool: "broker")
                if BrokerChoice.resolve(broker, context) == .upstox { return try BrokerCommand.upstoxLogout(context) }
                guard let stored = try KiteSessionFile.load(home: context.home) else {
                    ToolRunner.printOut("no stored Kite session")
                    return .ok
                }
                if stored.isValid(at: .now()), let kite = try BrokerCommand.kite(context, needSecret: false) {
                    let client = try KiteClient(connection: KiteConnection(kite, accessToken: stored.accessToken),
                                                limiter: KiteRateLimiter(kite.rateLimits))
                    try client.invalidateSession()
                }
                try KiteSessionFile.remove(home: context.home)
                ToolRunner.printOut("Kite session ended and deleted")
                return .ok
            }
        }
    }
}
