import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// The ticker's WebSocket server (docs/kite-sim.md, "The ticker"): `ws://127.0.0.1:PORT/?api_key=…&access_token=…`
/// on a port of its own, as Kite's `wss://ws.kite.trade`.
extension KiteSimServer {
    /// The ticker's HTTP/1 server with the WebSocket upgrade. A handshake without a live session's
    /// `api_key` and `access_token` is answered 403 before any upgrade, as Kite answers it.
    func tickerApplication(logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let ticker = self.ticker, state = self.state
        let server = HTTPServerBuilder { responder in
            let upgrade = HTTP1WebSocketUpgradeChannel(
                responder: responder,
                // No WebSocket pings: Kite keeps a connection alive with its heartbeat byte, and a
                // client that answers no ping is not closed for it. Messages up to 1 MiB each way.
                configuration: .init(ws: .init(maxFrameSize: 1 << 20, autoPing: .disabled)),
                shouldUpgrade: { @Sendable (_: HTTPRequest, _: any Channel, _: Logger) throws
                    -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> in
                    .upgrade([:]) { inbound, outbound, _ in try await ticker.serve(inbound: inbound, outbound: outbound) }
                })
            return TickerChildChannel(upgrade: upgrade) { uri in
                state.authorizeTicker(query: uri.firstIndex(of: "?").map { String(uri[uri.index(after: $0)...]) } ?? "")
            }
        }
        return Application(
            router: Router(),
            server: server,
            configuration: .init(address: .hostname("127.0.0.1", port: configuration.tickerPort), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}

extension KiteTicker {
    /// One connection: registers it, then writes what the ticker sends it while reading its
    /// subscription messages, until either side closes.
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let (stream, continuation) = AsyncStream<Outbound>.makeStream()
        let id = connect(continuation)
        defer { disconnect(id) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await item in stream {
                    switch item {
                    case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                    case .text(let text): try await outbound.write(.text(text))
                    case .close(let reason):
                        try await outbound.close(.goingAway, reason: reason)
                        return
                    }
                }
            }
            group.addTask {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { self.receive(text, from: id) }
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }
}

/// Hummingbird's HTTP/1 channel with the WebSocket upgrade, with a gate before the upgrade that
/// refuses a request whose query names no live session: 403 and Kite's `TokenException` body,
/// then the connection is closed. Hummingbird's own refusal of an upgrade is a bare 400.
struct TickerChildChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value
    let upgrade: HTTP1WebSocketUpgradeChannel
    /// Whether a request's URI (path and query) may go on.
    let authorize: @Sendable (String) -> Bool

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let authorize = self.authorize
        return upgrade.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let upgrader = try pipeline.handler(type: NIOTypedHTTPServerUpgradeHandler<HTTP1WebSocketUpgradeChannel.UpgradeResult>.self)
            try pipeline.addHandler(TickerHandshakeGate(authorize: authorize), position: .before(upgrader))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await upgrade.handle(value: value, logger: logger)
    }
}

/// Reads the first request's head: a live session's passes on (and the gate leaves the
/// pipeline); any other is answered 403 and the connection closed.
final class TickerHandshakeGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let authorize: @Sendable (String) -> Bool
    private var refused = false

    init(authorize: @escaping @Sendable (String) -> Bool) { self.authorize = authorize }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refused { return }
        guard case .head(let head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        if authorize(head.uri) {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        refused = true
        let body = JSON.error(message: KiteAPIError.token.message, errorType: KiteAPIError.token.errorType).text
        let headers = HTTPHeaders([
            ("Content-Type", "application/json"), ("Content-Length", "\(body.utf8.count)"), ("Connection", "close"),
        ])
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .forbidden, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        // The client reads the answer (`Connection: close`) and closes; the upgrade handler then
        // ends the connection quietly (closing it from here first would be logged as an error by
        // Hummingbird). One that lingers is closed after 10 s.
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        written.futureResult.whenComplete { _ in
            bound.value.eventLoop.scheduleTask(in: .seconds(10)) { bound.value.close(promise: nil) }
        }
    }
}
