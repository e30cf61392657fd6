/// One WebSocket message from Kite's ticker, decoded (`KiteTickerCodec.decode(binary:)`,
/// `KiteTickerCodec.decode(text:)`).
public enum KiteTickerMessage: Sendable, Equatable {
    /// A binary message of market data: one tick per packet, in the order sent.
    case ticks([KiteTick])
    /// A 1-byte binary message Kite sends about once a second when nothing else is flowing.
    case heartbeat
    /// `{"type":"order","data":{…}}`: an order of the user changed (the postback's payload).
    case order(KitePostback)
    /// `{"type":"error","data":"…"}`: an error Kite reports on the connection.
    case error(String)
    /// `{"type":"message","data":"…"}`: a message or alert from Kite; also any text message of a
    /// type this decoder does not know, as its raw text (see `KiteTickerCodec.decode(text:)`).
    case message(String)
}

/// A ticker message that does not follow Kite's documented layout: where and why.
///
/// `offset` is the byte of the binary message where the fault is (a packet's length field, the
/// first byte of a packet that overruns the message, the first trailing byte); text messages
/// report 0. Never carries more than a few bytes' worth of the message itself.
public struct KiteTickerDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "Kite ticker message, byte \(offset): \(reason)" }
}
