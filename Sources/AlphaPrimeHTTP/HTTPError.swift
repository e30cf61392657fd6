import AlphaPrimeSupport

/// Why an HTTP exchange did not end with an answer.
///
/// `mayHaveReachedServer` is what an order placement needs to know: false only when the request
/// certainly never left (the host could not be resolved or connected to); after a timeout or a
/// connection lost mid-exchange the server may have acted on it. Messages name the host, never the
/// URL (which may carry a token) and never a header or body.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    public enum Kind: Sendable, Equatable {
        /// Name resolution or the TCP/TLS connection failed: nothing was sent.
        case couldNotConnect
        /// No complete answer within the time allowed.
        case timedOut
        /// The connection broke after the request started (reset, closed, an empty reply).
        case connectionLost
        /// The URL or an option was refused before anything was sent.
        case badRequest
        /// Anything else libcurl reports.
        case other
    }

    public var kind: Kind
    public var host: String
    /// libcurl's own description of what failed.
    public var detail: String
    /// libcurl's error code (`CURLE_…`).
    public var code: Int

    public init(kind: Kind, host: String, detail: String, code: Int) {
        self.kind = kind
        self.host = host
        self.detail = detail
        self.code = code
    }

    public var mayHaveReachedServer: Bool {
        switch kind {
        case .couldNotConnect, .badRequest: false
        case .timedOut, .connectionLost, .other: true
        }
    }

    public var exitStatus: ExitStatus { kind == .badRequest ? .internalError : .unavailable }

    public var description: String {
        switch kind {
        case .couldNotConnect: "could not connect to \(host): \(detail)"
        case .timedOut: "no answer from \(host) in time: \(detail)"
        case .connectionLost: "the connection to \(host) broke: \(detail)"
        case .badRequest: "request to \(host) refused before sending: \(detail)"
        case .other: "HTTP exchange with \(host) failed: \(detail)"
        }
    }
}
