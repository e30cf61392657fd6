import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeHTTP
import Foundation
import Logging
import Synchronization

/// The Kite ticker as the engine's live market source: one WebSocket connection (through the
/// ``WebSocketConnector`` port) subscribed in full mode to the session's instruments, its binary
/// frames decoded (``KiteTickerCodec``) into prints per symbol id, its order updates passed on.
///
/// It connects on its own thread and, when the connection ends or cannot be made, connects again
/// after an exponential back-off (1 s doubling up to `maxReconnectDelay`; reset once a connection
/// delivered data), subscribing again each time. ``reconnect(reason:)`` drops the connection and
/// connects again at once. A print's time is its exchange timestamp (full mode carries one), else
/// the time it was received on `clock`.
public final class KiteTickerSource: LiveMarketSource, @unchecked Sendable {
    public struct Subscription: Sendable, Equatable {
        public var token: UInt32
        public var symbol: SymbolID
        public init(token: UInt32, symbol: SymbolID) {
            self.token = token
            self.symbol = symbol
        }
    }

    public let name: String
    let url: String
    public let subscriptions: [Subscription]
    /// INDIA VIX's token, subscribed beside the instruments when the instrument master has it: its
    /// packets give the previous session's close (``LiveSourceEvent/indiaVIX(previousClose:time:)``).
    public let indiaVIXToken: UInt32?
    /// The access token the ticker connects with (the same the REST API takes).
    public let accessToken: String
    let symbolByToken: [UInt32: SymbolID]
    let connector: any WebSocketConnector
    let clock: any EngineClock
    let maxReconnectDelay: Duration
    let logger: Logger

    private let condition = NSCondition()
    private var queue: [LiveSourceEvent] = []
    private var stopped = false
    private var reconnectNow = false
    private var control: WebSocketControl?
    private var thread: Thread?
    private let statusBox = Mutex(LiveSourceStatus())
    private let undecodable = Atomic<Int>(0)

    /// - Parameters:
    ///   - base: the ticker's address (`wss://ws.kite.trade`, or kite-sim's `ws://127.0.0.1:PORT`).
    public init(base: String, apiKey: String, accessToken: String, subscriptions: [Subscription], indiaVIXToken: UInt32? = nil,
                connector: any WebSocketConnector, clock: any EngineClock, maxReconnectDelay: Duration = .seconds(60), logger: Logger) {
        url = KiteTickerCodec.url(base: Self.withPath(base), apiKey: apiKey, accessToken: accessToken)
        self.accessToken = accessToken
        name = "kite ticker \(WebSocketError.authority(of: base))"
        self.subscriptions = subscriptions
        self.indiaVIXToken = indiaVIXToken
        symbolByToken = Dictionary(subscriptions.map { ($0.token, $0.symbol) }, uniquingKeysWith: { a, _ in a })
        self.connector = connector
        self.clock = clock
        self.maxReconnectDelay = maxReconnectDelay
        self.logger = logger
    }

    /// `wss://ws.kite.trade` → `wss://ws.kite.trade/`: the handshake's request line needs a path.
    static func withPath(_ base: String) -> String {
        guard let scheme = base.range(of: "://") else { return base }
        let rest = base[scheme.upperBound...]
        if rest.contains("/") { return base }
        if let query = rest.firstIndex(of: "?") { return String(base[..<query]) + "/" + String(base[query...]) }
        return base + "/"
    }

    public var status: LiveSourceStatus { statusBox.withLock { $0 } }
    /// Binary or text messages that could not be read.
    public var undecodableMessages: Int { undecodable.load(ordering: .relaxed) }

    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard thread == nil, !stopped else { return }
        let thread = Thread { [self] in connectLoop() }
        thread.name = "kite-ticker"
        self.thread = thread
        thread.start()
    }

    public func take(timeout: Duration) -> [LiveSourceEvent] {
        condition.lock()
        defer { condition.unlock() }
        if queue.isEmpty, timeout > .zero {
            let (seconds, attoseconds) = timeout.components
            _ = condition.wait(until: Date(timeIntervalSinceNow: Double(seconds) + Double(attoseconds) / 1e18))
        }
        let events = queue
        queue.removeAll(keepingCapacity: true)
        return events
    }

    public func reconnect(reason: String) {
        condition.lock()
        reconnectNow = true
        let control = self.control
        condition.signal()
        condition.unlock()
        logger.warning("the Kite ticker reconnects", metadata: ["reason": "\(reason)"])
        control?.close()
    }

    public func stop() {
        condition.lock()
        stopped = true
        let control = self.control
        condition.broadcast()
        condition.unlock()
        control?.close()
    }

    private func push(_ event: LiveSourceEvent) {
        condition.lock()
        queue.append(event)
        condition.signal()
        condition.unlock()
    }

    private func connectLoop() {
        var delay = Duration.seconds(1)
        while true {
            let control = WebSocketControl()
            condition.lock()
            if stopped { condition.unlock(); return }
            reconnectNow = false
            self.control = control
            condition.unlock()
            let received = Atomic<Bool>(false)
            statusBox.withLock { $0.connections += 1; $0.subscribed = 0; $0.connected = false; $0.connectedAt = nil; $0.lastMessageAt = nil }
            let tokens = subscriptions.map(\.token) + (indiaVIXToken.map { [$0] } ?? [])
            let greeting = [KiteTickerCodec.subscribe(tokens), KiteTickerCodec.mode(.full, tokens)]
            var ending = "closed"
            do {
                try connector.run(url: url, greeting: greeting, control: control) { [self] message in
                    if !received.exchange(true, ordering: .relaxed) {
                        let at = clock.now().microseconds / 1_000_000
                        statusBox.withLock { $0.connected = true; $0.connectedAt = at; $0.subscribed = tokens.count }
                        push(.connected(subscribed: tokens.count))
                    }
                    handle(message)
                    // After what the message brought is queued: the feed never closes a minute by
                    // the clock past what it has heard (docs/engine.md, "The live feed").
                    let heard = clock.now().microseconds / 1_000_000
                    statusBox.withLock { $0.lastMessageAt = heard }
                }
            } catch {
                ending = "\(error)"
            }
            statusBox.withLock { $0.connected = false; $0.connectedAt = nil; $0.subscribed = 0 }
            condition.lock()
            let stop = stopped
            let now = reconnectNow
            condition.unlock()
            if stop { return }
            push(.disconnected(ending))
            // A connection that worked is tried again at once; one that never did, after a growing pause.
            if received.load(ordering: .relaxed) || now { delay = .zero }
            if delay > .zero {
                logger.warning("the Kite ticker connection ended; connecting again", metadata: [
                    "reason": "\(ending)", "after": "\(delay)"])
                condition.lock()
                let (seconds, attoseconds) = delay.components
                let until = Date(timeIntervalSinceNow: Double(seconds) + Double(attoseconds) / 1e18)
                while !stopped && !reconnectNow && condition.wait(until: until) {}
                condition.unlock()
                delay = min(delay * 2, maxReconnectDelay)
            } else {
                delay = .seconds(1)
            }
        }
    }

    private func handle(_ message: WebSocketMessage) {
        do {
            let decoded: KiteTickerMessage
            switch message {
            case .binary(let bytes): decoded = try KiteTickerCodec.decode(binary: bytes)
            case .text(let text): decoded = try KiteTickerCodec.decode(text: text)
            }
            switch decoded {
            case .heartbeat:
                return
            case .ticks(let ticks):
                let received = clock.now().microseconds / 1_000_000
                var out: [LiveTick] = []
                out.reserveCapacity(ticks.count)
                for t in ticks {
                    if t.instrumentToken == indiaVIXToken {
                        if let close = t.close, close > 0, t.priceDivisor == 100 {
                            push(.indiaVIX(previousClose: close, time: t.exchangeTimestamp ?? received))
                        }
                        continue
                    }
                    guard let symbol = symbolByToken[t.instrumentToken], let price = t.lastPricePaise, price > 0 else { continue }
                    let time = t.exchangeTimestamp ?? t.lastTradeTime ?? received
                    out.append(LiveTick(Tick(time: time, lastPrice: price, lastQuantity: t.lastTradedQuantity ?? 0,
                                             volume: t.volumeTraded ?? 0), symbol: symbol))
                }
                if !out.isEmpty { push(.ticks(out)) }
            case .order(let update):
                push(.orderUpdate(orderId: update.order.orderID, status: update.order.status))
            case .error(let text):
                push(.error(text))
            case .message(let text):
                logger.info("the Kite ticker says", metadata: ["message": "\(text)"])
            }
        } catch {
            let count = undecodable.add(1, ordering: .relaxed).newValue
            if count <= 10 || count % 1000 == 0 {
                logger.error("a Kite ticker message could not be read", metadata: ["error": "\(error)", "count": "\(count)"])
            }
        }
    }
}
