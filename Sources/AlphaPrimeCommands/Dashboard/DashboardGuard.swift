import AlphaPrimeSupport
import Foundation
import Synchronization

/// Who may see the dashboard and use its controls (docs/dashboard.md, "Security"):
/// - every request names this server in `Host` (a page fetched through another name — DNS
///   rebinding — is refused, 403);
/// - a form sent to it (`POST`) comes from one of its own pages: `Origin` (else `Referer`) is this
///   server (403), and it carries a CSRF token this server issued for that form within the last
///   ``csrfLifetime`` seconds (403);
/// - a control carries the dashboard token (`DASHBOARD_TOKEN`, compared in constant time; missing or
///   wrong: 401); with no token configured there are no controls (403);
/// - off loopback every page needs a sign-in with the token first (a cookie of a random session).
public final class DashboardGuard: Sendable {
    public enum Refusal: Error, Equatable, Sendable {
        case badHost(String)
        case badOrigin(String)
        case missingCSRF
        case badCSRF
        case missingToken
        case wrongToken
        case readOnly
        case signInNeeded

        public var status: Int {
            switch self {
            case .badHost, .badOrigin, .missingCSRF, .badCSRF, .readOnly: 403
            case .missingToken, .wrongToken: 401
            case .signInNeeded: 303
            }
        }

        public var message: String {
            switch self {
            case .badHost(let host): "This dashboard does not answer to the host name '\(host)'."
            case .badOrigin(let origin): "Refused: the form was not sent from this dashboard's own page (origin '\(origin)')."
            case .missingCSRF: "Refused: the form carries no CSRF token. Open the control's page again and confirm from there."
            case .badCSRF: "Refused: the form's CSRF token is not valid (expired after 15 minutes, or not for this control). Open the page again."
            case .missingToken: "Refused: give the dashboard token."
            case .wrongToken: "Refused: that is not the dashboard token."
            case .readOnly: "This dashboard is read-only: no DASHBOARD_TOKEN is set in .env."
            case .signInNeeded: "Sign in with the dashboard token."
            }
        }
    }

    /// The dashboard token, if one is configured.
    let token: [UInt8]?
    let host: String
    let loopback: Bool
    /// The port it listens on (known once it does: the configured one may be 0).
    private let port: Atomic<Int>
    let requiresSignIn: Bool
    private let key: [UInt8]
    private let sessions = Mutex<[String: Int64]>([:])

    public static let csrfLifetime: Int64 = 15 * 60
    public static let sessionLifetime: Int64 = 12 * 3_600
    public static let sessionCookie = "alpha_prime_dashboard"

    /// - Parameters:
    ///   - host: the address the server listens on; `port` its port (0: told by ``listening(on:)``).
    public init(token: String?, host: String, port: Int, loopback: Bool) {
        self.token = token.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        self.host = host
        self.loopback = loopback
        self.port = Atomic(port)
        requiresSignIn = !loopback
        var generator = SystemRandomNumberGenerator()
        key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    public var controlsEnabled: Bool { token != nil }

    /// Once the server listens: the port it got.
    public func listening(on port: Int) { self.port.store(port, ordering: .relaxed) }

    /// The `host:port` names this server answers to.
    var authorities: Set<String> {
        let port = port.load(ordering: .relaxed)
        var names: Set<String> = ["\(host.lowercased()):\(port)"]
        if loopback { names.formUnion(["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)"]) }
        return names
    }

    // MARK: Checks

    /// Listening on every address (`0.0.0.0`, `::`): the names it is reached by are not known here,
    /// so any `Host` is answered (every page needs the sign-in then) and a form must come from the
    /// name the request was sent to.
    var wildcard: Bool { ["0.0.0.0", "::", "[::]"].contains(host) }

    /// `Host` names this server.
    public func checkHost(_ request: WebRequest) throws(Refusal) {
        let host = request.header("host") ?? ""
        guard wildcard ? !host.isEmpty : authorities.contains(host.lowercased()) else { throw .badHost(host) }
    }

    /// A form comes from this server's pages: `Origin`, else `Referer`, is one of its addresses.
    public func checkOrigin(_ request: WebRequest) throws(Refusal) {
        let allowed = wildcard ? Set([(request.header("host") ?? "").lowercased()]) : authorities
        if let origin = request.header("origin") {
            guard let authority = Self.authority(ofOrigin: origin), allowed.contains(authority) else { throw .badOrigin(origin) }
            return
        }
        guard let referer = request.header("referer"), let authority = Self.authority(ofOrigin: referer),
              allowed.contains(authority) else { throw .badOrigin(request.header("referer") ?? "none") }
    }

    /// `http://host:port[/path]` → `host:port`.
    static func authority(ofOrigin text: String) -> String? {
        guard text.hasPrefix("http://") else { return nil }
        let rest = text.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return authority.isEmpty ? nil : authority.lowercased()
    }

    /// The token given equals the configured one (constant time in the token's length).
    public func checkToken(_ given: String?) throws(Refusal) {
        guard let token else { throw .readOnly }
        guard let given, !given.isEmpty else { throw .missingToken }
        guard Self.constantTimeEqual(Array(given.utf8), token) else { throw .wrongToken }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        // Compare over the longer length so the time says nothing of where they differ.
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }

    // MARK: CSRF tokens

    /// A token for the form of `purpose` (a control's name, `login`), issued at `now`.
    public func csrfToken(for purpose: String, now: Int64) -> String {
        "\(now).\(SHA256.hexString(Self.hmac(key: key, Array("\(purpose)|\(now)".utf8))))"
    }

    public func checkCSRF(_ given: String?, for purpose: String, now: Int64) throws(Refusal) {
        guard let given, !given.isEmpty else { throw .missingCSRF }
        let parts = given.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let issued = Int64(parts[0]), now - issued >= 0, now - issued <= Self.csrfLifetime,
              Self.constantTimeEqual(Array(given.utf8), Array(csrfToken(for: purpose, now: issued).utf8)) else { throw .badCSRF }
    }

    /// HMAC-SHA-256 (RFC 2104).
    static func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var k = key.count > 64 ? SHA256.hash(key) : key
        k += Array(repeating: 0, count: 64 - k.count)
        var inner = SHA256()
        inner.update(k.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(k.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }

    // MARK: Sign-in (off loopback)

    /// A new session after a correct token: the cookie's value.
    public func startSession(now: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        let id = SHA256.hexString((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        sessions.withLock { s in
            s = s.filter { $0.value > now }
            s[id] = now + Self.sessionLifetime
        }
        return id
    }

    /// Pages need a signed-in session when the server is reachable beyond this machine.
    public func checkSignedIn(_ request: WebRequest, now: Int64) throws(Refusal) {
        guard requiresSignIn else { return }
        let cookie = Self.cookie(Self.sessionCookie, in: request.header("cookie") ?? "")
        let valid = cookie.map { id in sessions.withLock { ($0[id] ?? 0) > now } } ?? false
        guard valid else { throw .signInNeeded }
    }

    static func cookie(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0] == name { return String(pair[1]) }
        }
        return nil
    }
}
