import AlphaPrimeSupport

/// Kite's login: request tokens handed out by the login redirect, exchanged once for an access
/// token by `POST /session/token` with the checksum that proves the API secret.
///
/// Tokens are random (the system's generator, never the fault draws' seed), and neither they, the
/// secret nor a checksum ever reach a log line or an error message.
struct SimSessions: Sendable {
    let apiKey: String
    private let apiSecret: String
    private var requestTokens: Set<String> = []
    private var accessTokens: Set<String> = []

    init(apiKey: String, apiSecret: String, accessToken: String?) {
        self.apiKey = apiKey
        self.apiSecret = apiSecret
        if let accessToken { accessTokens.insert(accessToken) }
    }

    /// A fresh request token for a login.
    mutating func newRequestToken() -> String {
        let token = Self.randomToken()
        requestTokens.insert(token)
        return token
    }

    /// Exchanges a request token (once) for a new access token, when the API key is this server's
    /// and the checksum is the hex SHA-256 of api_key + request_token + api_secret.
    mutating func createSession(apiKey: String, requestToken: String, checksum: String) throws(KiteAPIError) -> String {
        guard apiKey == self.apiKey, requestTokens.contains(requestToken) else {
            throw KiteAPIError(status: .forbidden, errorType: "TokenException", message: "Token is invalid or has expired.")
        }
        guard checksum.lowercased() == SHA256.hex(of: apiKey + requestToken + apiSecret) else {
            throw KiteAPIError(status: .forbidden, errorType: "TokenException", message: "Invalid checksum.")
        }
        requestTokens.remove(requestToken)
        let token = Self.randomToken()
        accessTokens.insert(token)
        return token
    }

    /// The access token of an `Authorization: token api_key:access_token` header that names a live
    /// session of this server's API key; nil otherwise.
    func authorizedToken(_ header: String?) -> String? {
        guard let header, header.hasPrefix("token ") else { return nil }
        let credentials = header.dropFirst("token ".count)
        guard let colon = credentials.firstIndex(of: ":") else { return nil }
        let key = String(credentials[..<colon]), token = String(credentials[credentials.index(after: colon)...])
        return key == apiKey && accessTokens.contains(token) ? token : nil
    }

    /// Whether a ticker connection's `api_key` and `access_token` name a live session.
    func isLive(apiKey: String, accessToken: String) -> Bool {
        apiKey == self.apiKey && accessTokens.contains(accessToken)
    }

    /// A postback's checksum: the hex SHA-256 of order_id + order_timestamp + api_secret.
    func postbackChecksum(orderID: String, orderTimestamp: String) -> String {
        SHA256.hex(of: orderID + orderTimestamp + apiSecret)
    }

    /// Ends a session (`DELETE /session/token`).
    mutating func invalidate(_ accessToken: String) { accessTokens.remove(accessToken) }

    /// 32 random letters and digits.
    static func randomToken() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
