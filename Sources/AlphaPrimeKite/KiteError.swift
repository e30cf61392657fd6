import AlphaPrimeSupport

/// An error answer from Kite Connect v3: the `error_type` of the error envelope, the HTTP status and
/// Kite's message.
///
/// The description names the kind, the HTTP status and Kite's message only; it never echoes a request
/// (body, headers, the access token), because this type is never given one.
public struct KiteError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    /// The `error_type` values Kite documents, with a fallback for any it adds later.
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        /// `TokenException`: the session expired or the access token / API key is not valid (HTTP 403).
        case token
        /// `UserException`: the user account is blocked or not permitted the action.
        case user
        /// `OrderException`: the order could not be placed, modified or fetched (the OMS refused it).
        case order
        /// `InputException`: missing or bad request parameters (HTTP 400).
        case input
        /// `MarginException`: insufficient funds for the order.
        case margin
        /// `HoldingException`: insufficient holdings to sell.
        case holding
        /// `NetworkException`: Kite could not reach its order management system (HTTP 502/503).
        case network
        /// `DataException`: Kite could not read the OMS's answer (HTTP 502).
        case data
        /// `GeneralException`: an unclassified error (HTTP 500).
        case general
        /// Any other `error_type`, or a body that is not a Kite error envelope (`"HTTP 502"` then).
        case unknown(String)

        /// Parses an `error_type` string exactly as Kite spells it.
        public init(errorType: String) {
            switch errorType {
            case "TokenException": self = .token
            case "UserException": self = .user
            case "OrderException": self = .order
            case "InputException": self = .input
            case "MarginException": self = .margin
            case "HoldingException": self = .holding
            case "NetworkException": self = .network
            case "DataException": self = .data
            case "GeneralException": self = .general
            default: self = .unknown(errorType)
            }
        }

        /// The `error_type` string Kite sends for this kind.
        public var description: String {
            switch self {
            case .token: "TokenException"
            case .user: "UserException"
            case .order: "OrderException"
            case .input: "InputException"
            case .margin: "MarginException"
            case .holding: "HoldingException"
            case .network: "NetworkException"
            case .data: "DataException"
            case .general: "GeneralException"
            case .unknown(let text): text
            }
        }
    }

    public var kind: Kind
    /// The HTTP status of the response that carried the error.
    public var httpStatus: Int
    /// Kite's `message`, as sent.
    public var message: String

    public init(kind: Kind, httpStatus: Int, message: String) {
        self.kind = kind
        self.httpStatus = httpStatus
        self.message = message
    }

    /// Whether this answer to an order *placement* leaves its outcome unknown: the order may or may
    /// not exist at the exchange, so the caller must reconcile with the order book (by tag and
    /// timestamp) before placing again, never retry blindly.
    ///
    /// The rule: any HTTP 5xx (500, 502, 503, 504: Kite's gateway or its OMS failed between hops, and
    /// Kite's support answers "if you get any non 400 status for order placement, check the order book
    /// and then retry"), any `NetworkException` whatever its status, and the one 400 that is not a
    /// rejection: the `InputException` "Order request timed out. Please check the order book and
    /// confirm before placing again." (matched as a message containing "timed out", any case), which
    /// Kite answers with 400 although the order is sometimes placed seconds later (Kite forum threads
    /// 8143 and comment 35732). Every other 4xx (token, input, margin, holding, order, user errors,
    /// 429 rate limits) means nothing was placed.
    public var isOutcomeUnknownOnPlacement: Bool {
        if (500...599).contains(httpStatus) { return true }
        if kind == .network { return true }
        return httpStatus == 400 && kind == .input && message.lowercased().contains("timed out")
    }

    /// The exit code a tool ends with when this error stops it (docs/exit-codes.md):
    ///
    /// - `unavailable` (69) for an outcome-unknown answer, any 5xx, and `Network`, `Data`, `General`
    ///   exceptions: the broker is not answering properly; try later.
    /// - `configError` (78) for `TokenException`: the API key or access token the tool was configured
    ///   with is not accepted; log in again or fix the credentials.
    /// - `refused` (5) for `Order`, `Margin`, `Holding` and `User` exceptions: the broker refused the
    ///   action (a rejection, like a safety gate's).
    /// - `dataError` (65) for `InputException`: the request the tool built was wrong.
    /// - `failure` (1) for an unknown `error_type` with a 4xx status.
    public var exitStatus: ExitStatus {
        if isOutcomeUnknownOnPlacement { return .unavailable }
        switch kind {
        case .network, .data, .general: return .unavailable
        case .token: return .configError
        case .order, .margin, .holding, .user: return .refused
        case .input: return .dataError
        case .unknown: return .failure
        }
    }

    public var description: String {
        "Kite \(kind) (HTTP \(httpStatus)): \(message)"
    }
}
