import AlphaPrimeSupport

/// An error answer from the Upstox API v2: the first entry of the `errors` list of
/// `{"status": "error", "errors": [{"errorCode": "UDAPI100050", "message": …, "propertyPath": …,
/// "invalidValue": …}]}`, with the HTTP status of the response that carried it.
///
/// The description names the error code, the HTTP status and Upstox's message only; it never
/// echoes a request (body, headers, the access token or the client secret), and it leaves out
/// `invalidValue`, which repeats what was sent.
public struct UpstoxError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    /// Upstox's `errorCode` (`UDAPI100050`), or `HTTP 502` when the body was not an error envelope.
    public var code: String
    /// The HTTP status of the response.
    public var httpStatus: Int
    /// Upstox's `message`, as sent.
    public var message: String
    /// The request field the error is about (`propertyPath`), when Upstox names one.
    public var propertyPath: String?

    public init(code: String, httpStatus: Int, message: String, propertyPath: String? = nil) {
        self.code = code
        self.httpStatus = httpStatus
        self.message = message
        self.propertyPath = propertyPath
    }

    /// The access token is missing, invalid or expired (HTTP 401; `UDAPI100050` "Invalid token used
    /// to access API", `UDAPI100016` "Invalid Credentials").
    public var isTokenError: Bool { httpStatus == 401 || code == "UDAPI100050" || code == "UDAPI100016" }

    /// Whether this answer to an order *placement* leaves its outcome unknown: any 5xx (Upstox's
    /// gateway or its order system failed between hops; the order may exist). Every 4xx (a token,
    /// validation, margin or rate-limit error) means nothing was placed. Timeouts and broken
    /// connections arrive as ``AlphaPrimeHTTP/HTTPError`` and are unknown too.
    public var isOutcomeUnknownOnPlacement: Bool { (500...599).contains(httpStatus) }

    /// The exit code a tool ends with when this error stops it (docs/exit-codes.md): `unavailable`
    /// (69) for a 5xx and a 429, `configError` (78) for a token error, `dataError` (65) for other
    /// 400/404/422 (the request the tool built was wrong), `refused` (5) for other 4xx (403 and the
    /// rest: Upstox refused the action), `failure` (1) otherwise.
    public var exitStatus: ExitStatus {
        if (500...599).contains(httpStatus) || httpStatus == 429 { return .unavailable }
        if isTokenError { return .configError }
        if [400, 404, 422].contains(httpStatus) { return .dataError }
        if (400...499).contains(httpStatus) { return .refused }
        return .failure
    }

    public var description: String {
        "Upstox \(code) (HTTP \(httpStatus)): \(message)" + (propertyPath.map { " [\($0)]" } ?? "")
    }
}
