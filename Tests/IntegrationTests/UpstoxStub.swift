import Foundation
import Hummingbird
import Logging
import Synchronization

/// A local server that speaks Upstox API v2's protocol for the adapter's tests: it serves the
/// documented example answers of `Tests/AlphaPrimeTests/Fixtures/upstox/`, exchanges one
/// authorization code for a token, and keeps a small order book (a placement gets an order id, the
/// book lists placed orders with their tags, cancel works; a market order completes at once at
/// ₹1.50, a limit order stays open). Fault switches: answer a placement with
/// a 503 after placing it, or withhold the answer to a placement (placed, then silent past the
/// client's timeout).
final class UpstoxStub: Sendable {
    static let apiKey = "stub-api-key"
    static let apiSecret = "stub-client-secret-93f1"
    static let accessToken = "stub-access-token-7c2e"
    static let code = "code4711"
    static let redirectURI = "https://example.com/upstox/callback"

    struct PlacedOrder: Sendable {
        var orderID: String
        var body: [String: String]
        var status: String
    }

    struct State: Sendable {
        var orders: [PlacedOrder] = []
        var placements = 0
        var codeUsed = false
        var failNextPlacementWith5xx = false
        var withholdNextPlacement = false
    }

    /// The state, shared with the routes.
    final class Shared: Sendable {
        let state = Mutex(State())
    }

    let shared = Shared()
    private let task: Mutex<Task<Void, Error>?> = Mutex(nil)
    let port: Int

    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "AlphaPrimeTests/Fixtures/upstox")
    }

    static func fixture(_ name: String) -> String {
        (try? String(contentsOf: fixtures.appending(path: name), encoding: .utf8)) ?? "{}"
    }

    var baseURL: String { "http://127.0.0.1:\(port)/v2" }

    /// Starts listening on a free port of 127.0.0.1 and returns once it accepts connections.
    init() async throws {
        let router = Router()
        Self.addRoutes(router, shared: shared)
        let (port, running) = try await LocalHTTPServer.start(router, label: "upstox-stub")
        self.port = port
        task.withLock { $0 = running }
    }

    func stop() { task.withLock { $0?.cancel() } }

    func set(_ change: (inout State) -> Void) { shared.state.withLock { change(&$0) } }

    func read<T>(_ look: (State) -> T) -> T { shared.state.withLock { look($0) } }

    // MARK: Answers

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ code: String, _ message: String, status: HTTPResponse.Status) -> Response {
        json("""
            {"status":"error","errors":[{"errorCode":"\(code)","message":"\(message)","propertyPath":null,"invalidValue":null,\
            "error_code":"\(code)","property_path":null,"invalid_value":null}]}
            """, status: status)
    }

    static func authorized(_ request: Request) -> Bool {
        request.headers[.authorization] == "Bearer \(accessToken)"
    }

    static func unauthorized() -> Response { json(fixture("error.json"), status: .unauthorized) }

    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for part in text.split(separator: "&") {
            let pair = part.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        return fields
    }

    /// A placed order in the order book's shape (the documented fields).
    static func render(_ o: PlacedOrder) -> [String: Any] {
        let price = Double(o.body["price"] ?? "0") ?? 0
        let quantity = Int(o.body["quantity"] ?? "0") ?? 0
        let complete = o.status == "complete"
        return [
            "exchange": "NSE", "product": o.body["product"] ?? "I", "price": price, "quantity": quantity, "status": o.status,
            "guid": NSNull(), "tag": o.body["tag"].map { $0 as Any } ?? NSNull(), "instrument_token": o.body["instrument_token"] ?? "",
            "placed_by": "STUB01", "trading_symbol": o.body["instrument_token"]?.split(separator: "|").last.map(String.init) ?? "",
            "order_type": o.body["order_type"] ?? "", "validity": "DAY", "trigger_price": Double(o.body["trigger_price"] ?? "0") ?? 0,
            "disclosed_quantity": 0, "transaction_type": o.body["transaction_type"] ?? "", "average_price": complete ? 1.5 : 0,
            "filled_quantity": complete ? quantity : 0, "pending_quantity": complete ? 0 : quantity, "status_message": NSNull(), "exchange_order_id": NSNull(), "parent_order_id": NSNull(),
            "order_id": o.orderID, "variety": "SIMPLE", "order_timestamp": "2024-01-10 09:16:00", "exchange_timestamp": NSNull(),
            "is_amo": false, "order_ref_id": "stub-\(o.orderID)",
        ]
    }

    static func addRoutes(_ router: Router<BasicRequestContext>, shared: Shared) {
        router.post("/v2/login/authorization/token") { request, _ -> Response in
            let fields = form(String(buffer: try await request.body.collect(upTo: 1 << 16)))
            guard fields["client_id"] == apiKey, fields["client_secret"] == apiSecret, fields["redirect_uri"] == redirectURI,
                  fields["grant_type"] == "authorization_code" else {
                return error("UDAPI100016", "Invalid Credentials", status: .unauthorized)
            }
            let fresh = shared.state.withLock { s -> Bool in
                guard fields["code"] == code, !s.codeUsed else { return false }
                s.codeUsed = true
                return true
            }
            guard fresh else { return error("UDAPI100057", "Invalid Auth code", status: .badRequest) }
            return json(fixture("token.json").replacingOccurrences(of: "\"access_token\": \"******************\"",
                                                                   with: "\"access_token\": \"\(accessToken)\"")
                .replacingOccurrences(of: "\"user_id\": \"******\"", with: "\"user_id\": \"STUB01\""))
        }
        router.post("/v2/order/place") { request, _ -> Response in
            guard authorized(request) else { return unauthorized() }
            let bytes = try await request.body.collect(upTo: 1 << 16)
            guard let object = try? JSONSerialization.jsonObject(with: Data(String(buffer: bytes).utf8)) as? [String: Any] else {
                return error("UDAPI1026", "Invalid request body", status: .badRequest)
            }
            var body: [String: String] = [:]
            for (key, value) in object { body[key] = "\(value)" }
            guard body["instrument_token"]?.contains("|") == true, ["BUY", "SELL"].contains(body["transaction_type"] ?? "") else {
                return error("UDAPI1052", "The instrument_token is invalid", status: .badRequest)
            }
            let (orderID, fault) = shared.state.withLock { s -> (String, Int) in
                s.placements += 1
                let id = String(240_110_000_000_000 + s.placements)
                s.orders.append(PlacedOrder(orderID: id, body: body, status: body["order_type"] == "MARKET" ? "complete" : "open"))
                defer { s.failNextPlacementWith5xx = false; s.withholdNextPlacement = false }
                return (id, s.failNextPlacementWith5xx ? 1 : s.withholdNextPlacement ? 2 : 0)
            }
            if fault == 1 { return json("<html><body>503 Service Temporarily Unavailable</body></html>", status: .serviceUnavailable) }
            if fault == 2 { try await Task.sleep(for: .seconds(4)) }
            return json(#"{"status":"success","data":{"order_id":"\#(orderID)"}}"#)
        }
        router.delete("/v2/order/cancel") { request, _ -> Response in
            guard authorized(request) else { return unauthorized() }
            let id = request.uri.queryParameters["order_id"].map(String.init) ?? ""
            let done = shared.state.withLock { s -> Bool in
                guard let i = s.orders.firstIndex(where: { $0.orderID == id }), s.orders[i].status == "open" else { return false }
                s.orders[i].status = "cancelled"
                return true
            }
            guard done else { return error("UDAPI100010", "Order not found or not open", status: .badRequest) }
            return json(#"{"status":"success","data":{"order_id":"\#(id)"}}"#)
        }
        router.get("/v2/order/retrieve-all") { request, _ -> Response in
            guard authorized(request) else { return unauthorized() }
            let documented = (try? JSONSerialization.jsonObject(with: Data(fixture("order_book.json").utf8)) as? [String: Any])?["data"]
                as? [[String: Any]] ?? []
            let placed = shared.state.withLock { $0.orders }.map(render)
            let data = try JSONSerialization.data(withJSONObject: ["status": "success", "data": documented + placed])
            return json(String(decoding: data, as: UTF8.self))
        }
        for (path, name) in [("/v2/order/trades/get-trades-for-day", "trades_for_day.json"),
                             ("/v2/portfolio/short-term-positions", "positions.json"),
                             ("/v2/user/get-funds-and-margin", "funds_and_margin.json"), ("/v2/market-quote/ltp", "ltp.json")] {
            router.get(RouterPath(path)) { request, _ -> Response in
                authorized(request) ? json(fixture(name)) : unauthorized()
            }
        }
        router.get("/v2/user/profile") { request, _ -> Response in
            authorized(request) ? json(#"{"status":"success","data":{"user_id":"STUB01"}}"#) : unauthorized()
        }
        router.delete("/v2/logout") { request, _ -> Response in
            authorized(request) ? json(#"{"status":"success","data":true}"#) : unauthorized()
        }
    }
}
