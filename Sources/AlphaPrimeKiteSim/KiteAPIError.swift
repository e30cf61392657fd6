import Hummingbird

/// An error answer in Kite's shape: the HTTP status, the `error_type` and Kite's message, sent as
/// `{"status":"error","message":…,"data":null,"error_type":…}`.
struct KiteAPIError: Error, HTTPResponseError, Equatable, CustomStringConvertible {
    var status: HTTPResponse.Status
    var errorType: String
    var message: String

    init(status: HTTPResponse.Status, errorType: String, message: String) {
        self.status = status
        self.errorType = errorType
        self.message = message
    }

    /// 400 `InputException`: a missing or bad parameter.
    static func input(_ message: String) -> KiteAPIError {
        KiteAPIError(status: .badRequest, errorType: "InputException", message: message)
    }

    /// 400 `OrderException`: the order cannot be changed or found as asked.
    static func order(_ message: String) -> KiteAPIError {
        KiteAPIError(status: .badRequest, errorType: "OrderException", message: message)
    }

    /// 403 `TokenException`: no valid session (Kite's exact message).
    static let token = KiteAPIError(
        status: .forbidden, errorType: "TokenException", message: "Incorrect `api_key` or `access_token`.")

    /// 429 `NetworkException`: over the rate limit.
    static let tooManyRequests = KiteAPIError(
        status: .tooManyRequests, errorType: "NetworkException", message: "Too many requests")

    /// 400 `InputException` Kite answers when a placement timed out inside its system; the order
    /// may still be placed.
    static let placementTimedOut = KiteAPIError.input(
        "Order request timed out. Please check the order book and confirm before placing again.")

    /// 503 `NetworkException`: the order management system could not be reached; nothing was placed.
    static let omsUnavailable = KiteAPIError(
        status: .serviceUnavailable, errorType: "NetworkException",
        message: "Couldn't reach the order management system. Please try again.")

    /// 404 `GeneralException` for a route Kite does not have.
    static let routeNotFound = KiteAPIError(status: .notFound, errorType: "GeneralException", message: "Route not found")

    var description: String { "\(status.code) \(errorType): \(message)" }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        KiteHTTP.json(.error(message: message, errorType: errorType), status: status)
    }
}

/// The answers kite-sim writes.
enum KiteHTTP {
    static func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
        body(value.text, contentType: "application/json", status: status)
    }

    static func success(_ data: JSON) -> Response { json(.success(data)) }

    static func body(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// What a gateway in front of Kite answers when the API behind it does not: HTML, not Kite's JSON.
    static func gatewayTimeout() -> Response {
        body("<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n",
             contentType: "text/html", status: .gatewayTimeout)
    }
}
