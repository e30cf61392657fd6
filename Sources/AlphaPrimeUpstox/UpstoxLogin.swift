import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// The day's Upstox session as `broker login --broker upstox` stored it: the access token and until
/// when it is good. Upstox's access tokens expire at 03:30 IST the next day whatever the time they
/// were made (a login at 20:00 Tuesday is good until 03:30 Wednesday; one at 02:30 Wednesday also
/// only until 03:30 Wednesday).
///
/// Kept in `var/upstox-session.json` in the home, mode 600, written atomically. Its description
/// never shows the token.
public struct UpstoxStoredSession: Codable, Sendable, Equatable, CustomStringConvertible {
    public var userID: String
    public var accessToken: String
    /// When the login was made and when the token stops working, ISO 8601 UTC.
    public var loginAt: String
    public var expiresAt: String

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", accessToken = "access_token", loginAt = "login_at", expiresAt = "expires_at"
    }

    public init(userID: String, accessToken: String, loginAt: UTCTimestamp) {
        self.userID = userID
        self.accessToken = accessToken
        self.loginAt = loginAt.description
        self.expiresAt = Self.expiry(after: loginAt).description
    }

    /// The next 03:30 IST after `login`.
    public static func expiry(after login: UTCTimestamp) -> UTCTimestamp {
        let ist = IST.dateTime(epochSeconds: login.microseconds / 1_000_000)
        let cutoff = 3 * 3600 + 30 * 60
        var day = ist.date
        if ist.secondOfDay >= cutoff { day = day.adding(days: 1) }
        return UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: day, secondOfDay: cutoff))
    }

    public var expiry: UTCTimestamp? { IST.epochSeconds(iso8601: expiresAt).map { UTCTimestamp(secondsSinceEpoch: $0) } }

    public func isValid(at time: UTCTimestamp) -> Bool {
        guard let expiry else { return false }
        return time < expiry
    }

    public var description: String { "Upstox session of \(userID), logged in \(loginAt), good until \(expiresAt)" }
}

/// Where the Upstox login keeps its session, and reading it back.
public enum UpstoxSessionFile {
    public struct Unreadable: Error, CustomStringConvertible, ExitStatusProviding {
        public var path: String
        public var description: String { "\(path): not a stored Upstox session; log in again with: broker login --broker upstox" }
        public var exitStatus: ExitStatus { .configError }
    }

    public static func url(home: AlphaPrimeHome) -> URL { home.varDirectory.appending(path: "upstox-session.json") }

    public static func save(_ session: UpstoxStoredSession, home: AlphaPrimeHome) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(session)) + [0x0A], to: url(home: home), mode: 0o600)
    }

    public static func load(home: AlphaPrimeHome) throws -> UpstoxStoredSession? {
        let url = url(home: home)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(UpstoxStoredSession.self, from: Data(contentsOf: url))
        } catch {
            throw Unreadable(path: url.path)
        }
    }

    public static func remove(home: AlphaPrimeHome) throws {
        let url = url(home: home)
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
    }

    /// The access token to use at `time`: the stored login's while it is good, else the one from
    /// `.env` (`UPSTOX_ACCESS_TOKEN`), else nil.
    public static func accessToken(home: AlphaPrimeHome, configured: String, at time: UTCTimestamp) throws -> String? {
        if let stored = try load(home: home), stored.isValid(at: time) { return stored.accessToken }
        return configured.isEmpty ? nil : configured
    }

    /// An authorization code as typed: the code itself, or the redirect URL that carries it
    /// (`…?code=…`). Nil when neither.
    public static func authorizationCode(from text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.contains("://") {
            return URLComponents(string: trimmed)?.queryItems?.first(where: { $0.name == "code" })?.value.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        return trimmed
    }

    /// The redirect URI a redirect URL was sent to: the URL without its query.
    public static func redirectURI(from text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.contains("://"), var components = URLComponents(string: trimmed) else { return nil }
        components.query = nil
        components.fragment = nil
        return components.string
    }
}

/// How the engine's instruments are named at Upstox: each symbol id's instrument key
/// (`NSE_EQ|INE002A01018`, `NSE_INDEX|Nifty 50`) and trading symbol, and back.
public struct UpstoxInstrumentMap: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// The engine's name (`NIFTY 50`).
        public var symbol: String
        /// Upstox's instrument key.
        public var instrumentKey: String
        /// The trading symbol Upstox's books show (`RELIANCE`).
        public var tradingSymbol: String

        public init(symbol: String, instrumentKey: String, tradingSymbol: String) {
            self.symbol = symbol; self.instrumentKey = instrumentKey; self.tradingSymbol = tradingSymbol
        }
    }

    /// Indexed by ``SymbolID``.
    public var entries: [Entry]

    public init(_ entries: [Entry]) { self.entries = entries }

    /// From `general_config.yaml`'s instruments. Upstox keys equities by ISIN, which the
    /// configuration does not hold: the key is built as `NSE_EQ|<trading_symbol>` (indices
    /// `NSE_INDEX|<symbol>`, derivatives `NSE_FO|<trading_symbol>`), which Upstox accepts only when
    /// the trading symbol is the ISIN or the contract's token (docs/upstox.md).
    public init(_ instruments: [InstrumentConfig]) {
        self.init(instruments.map { i in
            let segment = switch i.segment {
            case .indices: "\(i.exchange.rawValue)_INDEX|\(i.symbol)"
            case .equity: "\(i.exchange == .BSE ? "BSE" : "NSE")_EQ|\(i.tradingSymbol)"
            case .futures, .options: "NSE_FO|\(i.tradingSymbol)"
            }
            return Entry(symbol: i.symbol, instrumentKey: segment, tradingSymbol: i.tradingSymbol)
        })
    }

    /// The symbol id of an Upstox instrument (by key, else by trading symbol), if the engine trades it.
    public func symbol(instrumentKey: String, tradingSymbol: String) -> SymbolID? {
        entries.firstIndex { $0.instrumentKey == instrumentKey } ?? entries.firstIndex { $0.tradingSymbol == tradingSymbol }
    }

    public func name(instrumentKey: String, tradingSymbol: String) -> String {
        symbol(instrumentKey: instrumentKey, tradingSymbol: tradingSymbol).map { entries[$0].symbol } ?? tradingSymbol
    }
}
