import AlphaPrimeSupport
import Synchronization

/// One message of a WebSocket connection.
public enum WebSocketMessage: Sendable, Equatable {
    case text(String)
    case binary([UInt8])
}

/// A WebSocket connection that ended or could not be made. The message names the host, never the
/// URL (a broker's ticker URL carries the access token).
public struct WebSocketError: Error, Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var reason: String
    public init(host: String, reason: String) {
        self.host = host
        self.reason = reason
    }
    public var description: String { "WebSocket \(host): \(reason)" }
}

/// Lets another thread end a running connection (``WebSocketConnector/run(url:greeting:control:received:)``).
public final class WebSocketControl: Sendable {
    private let state = Mutex<(closed: Bool, close: (@Sendable () -> Void)?)>((false, nil))

    public init() {}

    /// Ends the connection (at once if it is running, else as soon as it starts).
    public func close() {
        let close = state.withLock { s -> (@Sendable () -> Void)? in
            s.closed = true
            return s.close
        }
        close?()
    }

    /// For the connector: how to end the connection it runs. Called at once when a close came first.
    public func onClose(_ close: @escaping @Sendable () -> Void) {
        let closed = state.withLock { s -> Bool in
            s.close = close
            return s.closed
        }
        if closed { close() }
    }

    public var isClosed: Bool { state.withLock { $0.closed } }
}

/// The WebSocket transport port: a maintained client library behind it (the engine's executable
/// provides one), so the broker adapters stay free of any networking stack.
public protocol WebSocketConnector: Sendable {
    /// Connects to `url` (`ws://` or `wss://`), sends `greeting` (text messages, in order), and
    /// hands every message received to `received`, in order, on the calling thread's behalf until
    /// the connection ends. Returns when it closed (by the server or through `control`); throws a
    /// ``WebSocketError`` when it could not connect or broke.
    func run(url: String, greeting: [String], control: WebSocketControl,
             received: @escaping @Sendable (WebSocketMessage) -> Void) throws
}

extension WebSocketError {
    /// `host:port` of a WebSocket URL, for messages (nothing after the authority).
    public static func authority(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end]
        // Credentials before an `@` are never shown.
        if let at = authority.lastIndex(of: "@") { return String(authority[authority.index(after: at)...]) }
        return String(authority)
    }
}
