import AlphaPrimeDomain
import Hummingbird
import Logging
import ServiceLifecycle

extension KiteSimServer {
    /// Orders, trades, positions.
    func addOrderRoutes(to router: Router<BasicRequestContext>, logger: Logger) {
        // `/orders/{id}` is a variety for POST and an order id for GET; one parameter name keeps
        // the two on one route.
        router.post("/orders/{id}") { request, context -> Response in
            try await place(request, variety: context.parameters.get("id") ?? "", logger: logger)
        }
        router.get("/orders") { request, _ -> Response in
            try authenticated(request) { s, _ in
                KiteHTTP.success(.array(s.exchange.orders.map { $0.state.json(s.exchange.instruments.instruments[$0.state.instrument], userID: Self.userID) }))
            }
        }
        router.get("/orders/{id}") { request, context -> Response in
            let orderID = context.parameters.get("id") ?? ""
            return try authenticated(request) { (s: inout KiteSimState.Inner, _: String) throws(KiteAPIError) in
                guard let order = s.exchange.order(orderID) else { throw KiteAPIError.order("Couldn't find that `order_id`.") }
                let instrument = s.exchange.instruments.instruments[order.state.instrument]
                return KiteHTTP.success(.array(order.history.map { $0.json(instrument, userID: Self.userID) }))
            }
        }
        // `/orders/{id}/{second}`: GET …/:order_id/trades, PUT and DELETE …/:variety/:order_id.
        router.get("/orders/{id}/{second}") { request, context -> Response in
            let orderID = context.parameters.get("id") ?? ""
            guard context.parameters.get("second") == "trades" else { throw KiteAPIError.routeNotFound }
            return try authenticated(request) { (s: inout KiteSimState.Inner, _: String) throws(KiteAPIError) in
                guard s.exchange.order(orderID) != nil else { throw KiteAPIError.order("Couldn't find that `order_id`.") }
                return KiteHTTP.success(.array(s.exchange.trades.filter { $0.orderID == orderID }.map {
                    $0.json(s.exchange.instruments.instruments[$0.instrument])
                }))
            }
        }
        router.put("/orders/{id}/{second}") { request, context -> Response in
            let fields = try await Self.fields(of: request)
            let (variety, orderID) = (context.parameters.get("id") ?? "", context.parameters.get("second") ?? "")
            return try authenticated(request, isOrderRequest: true) { (s: inout KiteSimState.Inner, _: String) throws(KiteAPIError) in
                try Self.checkVariety(variety)
                try s.exchange.modify(orderID, fields: fields, now: s.marketNow())
                return KiteHTTP.success(.object([("order_id", .string(orderID))]))
            }
        }
        router.delete("/orders/{id}/{second}") { request, context -> Response in
            let (variety, orderID) = (context.parameters.get("id") ?? "", context.parameters.get("second") ?? "")
            return try authenticated(request, isOrderRequest: true) { (s: inout KiteSimState.Inner, _: String) throws(KiteAPIError) in
                try Self.checkVariety(variety)
                try s.exchange.cancel(orderID, now: s.marketNow())
                return KiteHTTP.success(.object([("order_id", .string(orderID))]))
            }
        }
        router.get("/trades") { request, _ -> Response in
            try authenticated(request) { s, _ in
                KiteHTTP.success(.array(s.exchange.trades.map { $0.json(s.exchange.instruments.instruments[$0.instrument]) }))
            }
        }
        router.get("/portfolio/positions") { request, _ -> Response in
            try authenticated(request) { s, _ in KiteHTTP.success(s.exchange.positionsJSON()) }
        }
    }

    static func checkVariety(_ variety: String) throws(KiteAPIError) {
        guard variety == "regular" else {
            throw KiteAPIError.input("Invalid `variety`: \"\(variety)\" (kite-sim places regular orders only).")
        }
    }

    /// `POST /orders/regular`: checked as Kite checks it, then one seeded draw decides its fault
    /// (docs/kite-sim.md): none (placed, `{"order_id": …}`), 503 (not placed), 504 (placed, a
    /// gateway's HTML), the 400 "timed out" (placed, in the book after `late-order-ms`), or a
    /// withheld answer (placed, answered after `drop-delay-ms`, sooner only when the server stops).
    func place(_ request: Request, variety: String, logger: Logger) async throws -> Response {
        let fields = try await Self.fields(of: request)
        let (fault, orderID, delay) = try authenticated(request, isOrderRequest: true) {
            (s: inout KiteSimState.Inner, _: String) throws(KiteAPIError) -> (PlacementFault?, String, Int) in
            try Self.checkVariety(variety)
            let ticket = try SimOrderTicket(fields: fields, instruments: s.exchange.instruments)
            let fault = s.drawPlacementFault()
            switch fault {
            case .unavailable503:
                logger.notice("fault injected: placement answered 503, nothing placed", metadata: ["fault": "\(PlacementFault.unavailable503.rawValue)"])
                throw KiteAPIError.omsUnavailable
            case .timeout400 where s.faults.lateOrderMilliseconds > 0:
                return (fault, s.exchange.placeLate(ticket, placedAt: .now), 0)
            default:
                return (fault, s.exchange.place(ticket, now: s.marketNow()), s.faults.dropDelayMilliseconds)
            }
        }
        if let fault, fault != .unavailable503 {
            logger.notice("fault injected: the order is placed, the answer is not Kite's", metadata: ["fault": "\(fault.rawValue)", "order.id": "\(orderID)"])
        }
        switch fault {
        case .gateway504:
            return KiteHTTP.gatewayTimeout()
        case .timeout400:
            throw KiteAPIError.placementTimedOut
        case .drop:
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(delay)) }
        case .unavailable503, nil:
            break
        }
        return KiteHTTP.success(.object([("order_id", .string(orderID))]))
    }
}
