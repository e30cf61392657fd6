import AlphaPrimeSupport
import AlphaPrimeHTTP
import Dispatch
import Foundation
import Logging
import NIOCore
import Synchronization
import WSClient

/// The WebSocket transport through hummingbird-project's swift-websocket (SwiftNIO, with TLS for
/// `wss://`). Only the `engine` executable links it: the other tools never open a WebSocket.
public struct NIOWebSocketConnector: WebSocketConnector {
    let logger: Logger
    let maxMessageBytes: Int

    public init(logger: Logger = Logger(label: "alpha-prime.websocket"), maxMessageBytes: Int = 1 << 20) {
        self.logger = logger
        self.maxMessageBytes = maxMessageBytes
    }

    public func run(url: String, greeting: [String], control: WebSocketControl,
                    received: @escaping @Sendable (AlphaPrimeHTTP.WebSocketMessage) -> Void) throws {
        let host = WebSocketError.authority(of: url)
        let outcome = Mutex<Result<Void, WebSocketError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let maxSize = maxMessageBytes
        var quiet = logger
        quiet.logLevel = .critical  // the library's own lines could carry the URL, whose query holds the token
        let task = Task {
            do {
                let close = try await WebSocketClient.connect(url: url, logger: quiet) { inbound, outbound, _ in
                    for text in greeting { try await outbound.write(.text(text)) }
                    for try await message in inbound.messages(maxSize: maxSize) {
                        switch message {
                        case .text(let text): received(.text(text))
                        case .binary(let buffer): received(.binary(Array(buffer: buffer)))
                        }
                    }
                }
                if let close, close.closeCode != .normalClosure, !control.isClosed {
                    outcome.withLock { $0 = .failure(WebSocketError(host: host, reason: "closed by the server (\(close.closeCode))"
                        + (close.reason.map { ": \($0)" } ?? ""))) }
                } else {
                    outcome.withLock { $0 = .success(()) }
                }
            } catch is CancellationError {
                outcome.withLock { $0 = .success(()) }
            } catch {
                let reason = control.isClosed ? nil : Self.reason(error, url: url, host: host)
                outcome.withLock { $0 = reason.map { .failure(WebSocketError(host: host, reason: $0)) } ?? .success(()) }
            }
            done.signal()
        }
        control.onClose { task.cancel() }
        // A close asked for ends the wait within a few seconds even when the library is stuck in a
        // handshake that never completes (the abandoned attempt ends on its own).
        var closedSince: DispatchTime?
        while done.wait(timeout: .now() + .milliseconds(250)) == .timedOut {
            guard control.isClosed else { continue }
            let now = DispatchTime.now()
            if let since = closedSince {
                if now.uptimeNanoseconds - since.uptimeNanoseconds > 3_000_000_000 { return }
            } else {
                closedSince = now
            }
        }
        if case .failure(let error) = outcome.withLock({ $0 }) { throw error }
    }

    /// What went wrong, without the URL (its query holds the access token).
    static func reason(_ error: any Error, url: String, host: String) -> String {
        var text = String(describing: error)
        text = text.replacingOccurrences(of: url, with: host)
        if let query = url.firstIndex(of: "?") { text = text.replacingOccurrences(of: String(url[query...]), with: "") }
        return text
    }
}
