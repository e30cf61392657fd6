/// The user's profile (`GET /user/profile`).
public struct KiteProfile: Decodable, Sendable, Hashable {
    public var userID: String
    public var userType: String
    public var email: String
    public var userName: String
    public var userShortname: String
    public var broker: String
    public var exchanges: [String]
    public var products: [String]
    public var orderTypes: [String]
    public var avatarURL: String?
    enum CodingKeys: String, CodingKey {
        case userID = "user_id", userType = "user_type", email, userName = "user_name"
        case userShortname = "user_shortname", broker, exchanges, products, orderTypes = "order_types"
        case avatarURL = "avatar_url"
    }
}

/// The full profile (`GET /user/profile/full`): the profile plus masked identity and bank details.
public struct KiteFullProfile: Decodable, Sendable, Hashable {
    public var userID: String
    public var userType: String
    public var userName: String
    public var userShortname: String
    public var email: String
    /// Masked by Kite (`*9999`).
    public var phone: String
    public var broker: String
    public var twofaType: String
    public var bankAccounts: [BankAccount]
    public var dpIDs: [String]
    public var products: [String]
    public var orderTypes: [String]
    public var exchanges: [String]
    /// Masked by Kite.
    public var pan: String
    public var tags: [String]
    public var passwordTimestamp: KiteTimestamp?
    public var twofaTimestamp: KiteTimestamp?

    public struct BankAccount: Decodable, Sendable, Hashable {
        public var name: String
        public var branch: String
        /// Masked by Kite.
        public var account: String
        enum CodingKeys: String, CodingKey { case name, branch, account }
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", userType = "user_type", userName = "user_name"
        case userShortname = "user_shortname", email, phone, broker, twofaType = "twofa_type"
        case bankAccounts = "bank_accounts", dpIDs = "dp_ids", products, orderTypes = "order_types"
        case exchanges, pan, tags, passwordTimestamp = "password_timestamp", twofaTimestamp = "twofa_timestamp"
    }
}

/// The session `POST /session/token` creates from a request token.
///
/// It holds secrets: `accessToken`, `publicToken`, `enctoken`, `refreshToken`. Its `description`
/// masks them, so the session can be logged or printed without leaking them.
public struct KiteSession: Decodable, Sendable, Hashable, CustomStringConvertible {
    public var userID: String
    public var userName: String
    public var userShortname: String
    public var userType: String
    public var email: String
    public var broker: String
    public var exchanges: [String]
    public var products: [String]
    public var orderTypes: [String]
    public var apiKey: String
    public var accessToken: String
    public var publicToken: String
    public var enctoken: String?
    public var refreshToken: String?
    public var loginTime: KiteTimestamp

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", userName = "user_name", userShortname = "user_shortname"
        case userType = "user_type", email, broker, exchanges, products, orderTypes = "order_types"
        case apiKey = "api_key", accessToken = "access_token", publicToken = "public_token", enctoken
        case refreshToken = "refresh_token", loginTime = "login_time"
    }

    public var description: String {
        "KiteSession(user \(userID), logged in \(loginTime), access token ***)"
    }
}
