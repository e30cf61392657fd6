import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Synchronization
import WSClient

/// A WebSocket client of kite-sim's ticker (swift-websocket's `WSClient`), keeping every message
/// it receives, with a small reader of Kite's binary layout (docs/kite-sim.md, "The ticker").
final class TickerClient: Sendable {
    enum Message: Sendable, Equatable {
        case binary([UInt8])
        case text(String)
    }

    struct End: Sendable {
        /// The close code the server sent (`goingAway`, …), when it sent one.
        var closeCode: String?
        /// Why the connection failed, when it did (a refused handshake).
        var failure: String?
    }

    /// What the connection's task records.
    private final class Record: Sendable {
        let messages = Mutex<[Message]>([])
        let end = Mutex<End?>(nil)
    }

    private let record = Record()
    private let outgoing: AsyncStream<String>.Continuation
    private let task: Task<Void, Never>

    /// Connects to `ws://127.0.0.1:PORT/?api_key=…&access_token=…` and keeps reading until closed.
    init(port: Int, apiKey: String = KiteSimProcess.apiKey, accessToken: String = KiteSimProcess.accessToken) {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let record = self.record
        outgoing = continuation
        let url = "ws://127.0.0.1:\(port)/?api_key=\(apiKey)&access_token=\(accessToken)"
        task = Task(executorPreference: TestThreads.network) {
            do {
                let frame = try await WebSocketClient.connect(url: url, logger: Logger(label: "ticker-test")) { inbound, outbound, _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await text in stream { try await outbound.write(.text(text)) }
                        }
                        group.addTask {
                            for try await message in inbound.messages(maxSize: 1 << 20) {
                                switch message {
                                case .binary(let buffer): record.messages.withLock { $0.append(.binary(Array(buffer.readableBytesView))) }
                                case .text(let text): record.messages.withLock { $0.append(.text(text)) }
                                }
                            }
                        }
                        _ = try await group.next()
                        group.cancelAll()
                    }
                }
                record.end.withLock { $0 = End(closeCode: frame.map { "\($0.closeCode)" }, failure: nil) }
            } catch {
                record.end.withLock { $0 = End(closeCode: nil, failure: "\(error)") }
            }
        }
    }

    deinit {
        outgoing.finish()
        task.cancel()
    }

    func send(_ text: String) { outgoing.yield(text) }

    /// Closes from the client's side.
    func close() async {
        outgoing.finish()
        await task.value
    }

    var received: [Message] { record.messages.withLock { $0 } }
    var ended: End? { record.end.withLock { $0 } }

    /// Waits (polling) until `condition` holds of what was received, or `seconds` pass.
    @discardableResult
    func wait(seconds: Double, until condition: ([Message]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition(received) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(received)
    }

    /// Waits until the connection has ended (closed or failed).
    @discardableResult
    func waitForEnd(seconds: Double) async -> End? {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline, ended == nil { try? await Task.sleep(for: .milliseconds(20)) }
        return ended
    }

    // MARK: Kite's binary layout, read as the documentation gives it

    /// One packet of a tick message.
    struct Packet: Equatable {
        var bytes: [UInt8]
        var length: Int { bytes.count }
        var token: Int64 { u32(0) }
        var lastPrice: Int64 { u32(4) }
        /// Index packets (28, 32 bytes).
        var indexHigh: Int64 { u32(8) }
        var indexLow: Int64 { u32(12) }
        var indexOpen: Int64 { u32(16) }
        var indexClose: Int64 { u32(20) }
        var indexChange: Int64 { Int64(Int32(truncatingIfNeeded: u32(24))) }
        var indexTimestamp: Int64 { u32(28) }
        /// Quote and full packets (44, 184 bytes).
        var lastQuantity: Int64 { u32(8) }
        var averagePrice: Int64 { u32(12) }
        var volume: Int64 { u32(16) }
        var open: Int64 { u32(28) }
        var high: Int64 { u32(32) }
        var low: Int64 { u32(36) }
        var close: Int64 { u32(40) }
        var lastTradeTime: Int64 { u32(44) }
        var exchangeTimestamp: Int64 { u32(60) }
        /// The tick's time: the exchange timestamp of a full packet.
        var time: Int64 { length == 32 ? indexTimestamp : exchangeTimestamp }

        func u32(_ at: Int) -> Int64 {
            Int64(bytes[at]) << 24 | Int64(bytes[at + 1]) << 16 | Int64(bytes[at + 2]) << 8 | Int64(bytes[at + 3])
        }
    }

    /// The packets of a binary message (none for a heartbeat).
    static func packets(_ message: [UInt8]) -> [Packet] {
        guard message.count >= 2 else { return [] }
        let count = Int(message[0]) << 8 | Int(message[1])
        var packets: [Packet] = [], at = 2
        for _ in 0..<count {
            let length = Int(message[at]) << 8 | Int(message[at + 1])
            packets.append(Packet(bytes: Array(message[(at + 2)..<(at + 2 + length)])))
            at += 2 + length
        }
        precondition(at == message.count, "a message's packets fill it exactly")
        return packets
    }

    /// The tick messages received (binary, more than a heartbeat), each as its packets.
    var tickMessages: [[Packet]] {
        received.compactMap { if case .binary(let bytes) = $0, bytes.count > 1 { Self.packets(bytes) } else { nil } }
    }

    var heartbeats: Int { received.filter { $0 == .binary([0]) }.count }

    /// The `data` of the `{"type":"order",…}` messages received, in order.
    var orderUpdates: [[String: Any]] {
        received.compactMap { message -> [String: Any]? in
            guard case .text(let text) = message,
                  let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                  object["type"] as? String == "order" else { return nil }
            return object["data"] as? [String: Any]
        }
    }
}

extension KiteSimProcess {
    /// `GET /sim/clock`'s data.
    func clock() async throws -> [String: Any] {
        let answer = try await call("GET", "/sim/clock", headers: [:])
        let object = try JSONSerialization.jsonObject(with: answer.body) as! [String: Any]
        return object["data"] as! [String: Any]
    }

    /// A plain HTTP request to the ticker's port (a handshake's first request).
    func tickerHandshake(query: String) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(tickerPort)/?\(query)")!, timeoutInterval: 10)
        for (name, value) in ["Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                              "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="] {
            request.setValue(value, forHTTPHeaderField: name)
        }
        return try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                continuation.resume(returning: (status, String(decoding: data ?? Data(), as: UTF8.self)))
            }.resume()
        }
    }
}
