import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// The day's Kite session as the daily login stored it: the access token and until when it is
/// good. Kite's tokens expire at 06:00 IST the next morning (the exchange's daily logout), so a
/// login made at 08:30 is good until 06:00 tomorrow and one made at 05:00 only until 06:00 today.
///
/// Kept in `var/kite-session.json` in the home, mode 600, written atomically. Its description
/// never shows the token.
public struct KiteStoredSession: Codable, Sendable, Equatable, CustomStringConvertible {
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

    /// The next 06:00 IST after `login`.
    public static func expiry(after login: UTCTimestamp) -> UTCTimestamp {
        let seconds = login.microseconds / 1_000_000
        let ist = IST.dateTime(epochSeconds: seconds)
        var day = ist.date
        if ist.secondOfDay >= 6 * 3600 { day = day.adding(days: 1) }
        return UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: day, secondOfDay: 6 * 3600))
    }

    public var expiry: UTCTimestamp? { IST.epochSeconds(iso8601: expiresAt).map { UTCTimestamp(secondsSinceEpoch: $0) } }

    /// Whether the token is still good at `time`.
    public func isValid(at time: UTCTimestamp) -> Bool {
        guard let expiry else { return false }
        return time < expiry
    }

    public var description: String { "Kite session of \(userID), logged in \(loginAt), good until \(expiresAt)" }
}

/// Where the daily login keeps its session, and reading it back.
public enum KiteSessionFile {
    public struct Unreadable: Error, CustomStringConvertible, ExitStatusProviding {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason); log in again with: broker login" }
        public var exitStatus: ExitStatus { .configError }
    }

    public static func url(home: AlphaPrimeHome) -> URL { home.varDirectory.appending(path: "kite-session.json") }

    public static func save(_ session: KiteStoredSession, home: AlphaPrimeHome) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = url(home: home)
        try AtomicFile.write(Array(try encoder.encode(session)) + [0x0A], to: url, mode: 0o600)
    }

    /// The stored session, nil when there is none.
    public static func load(home: AlphaPrimeHome) throws -> KiteStoredSession? {
        let url = url(home: home)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(KiteStoredSession.self, from: Data(contentsOf: url))
        } catch {
            throw Unreadable(path: url.path, reason: "not a stored Kite session")
        }
    }

    public static func remove(home: AlphaPrimeHome) throws {
        let url = url(home: home)
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
    }

    /// The access token to use at `time`: the stored login's while it is good, else the one from
    /// `.env` (`KITE_ACCESS_TOKEN`), else nil.
    public static func accessToken(home: AlphaPrimeHome, configured: String, at time: UTCTimestamp) throws -> String? {
        if let stored = try load(home: home), stored.isValid(at: time) { return stored.accessToken }
        return configured.isEmpty ? nil : configured
    }
}
