import AlphaPrimeSupport
import AlphaPrimeDomain

/// Deterministic client order ids: the same order intent always gets the same id, so an order that
/// is retried or re-created after a crash is recognised in the database (and, at Kite, by its tag)
/// and never sent twice.
///
/// Layout (14 characters, ASCII letters and digits, inside Kite's 20-character tag):
///
/// ```
/// A 1B7Q FZ0K9 E 00C
/// │ │    │     │ └── sequence: the engine's order number in the session, base 36 (3+ characters)
/// │ │    │     └──── purpose: E entry, X exit, S stop loss, T take profit, Q square-off,
/// │ │    │           K emergency close (written by `engine emergency-stop`)
/// │ │    └────────── the minute the order was created (bar start), minutes since 1970, base 36
/// │ └─────────────── the book: strategy name and symbol hashed to 4 base-36 characters
/// └───────────────── ALPHA-PRIME
/// ```
public enum ClientOrderID {
    public static let prefix: Character = "A"
    static let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    /// The 4-character code of a strategy's book in a symbol (FNV-1a of `strategy|symbol`, base 36).
    public static func bookCode(strategy: String, symbol: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in "\(strategy)|\(symbol)".utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return base36(Int64(hash % 1_679_616), width: 4)  // 36^4
    }

    /// The id of an order: book code, creation time (UTC epoch seconds), purpose and sequence number.
    public static func make(bookCode: String, time: Int64, purpose: OrderPurpose, sequence: Int64) -> String {
        var id = String(prefix)
        id += bookCode
        id += base36(max(0, time) / 60, width: 5)
        id.append(purposeLetter(purpose))
        id += base36(sequence, width: 3)
        return id
    }

    /// An emergency close written outside the engine (purpose letter K).
    public static func emergency(bookCode: String, time: Int64, sequence: Int64) -> String {
        "\(prefix)\(bookCode)\(base36(max(0, time) / 60, width: 5))K\(base36(sequence, width: 3))"
    }

    public static func purposeLetter(_ purpose: OrderPurpose) -> Character {
        switch purpose {
        case .entry: "E"
        case .exit: "X"
        case .stopLoss: "S"
        case .takeProfit: "T"
        case .squareOff: "Q"
        }
    }

    /// The purpose an id's letter names (K, an emergency close, is a square-off); nil for an id
    /// this engine did not make.
    public static func purpose(of id: String) -> OrderPurpose? {
        let chars = Array(id.utf8)
        guard chars.count >= 14, chars[0] == UInt8(ascii: "A") else { return nil }
        switch chars[10] {
        case UInt8(ascii: "E"): return .entry
        case UInt8(ascii: "X"): return .exit
        case UInt8(ascii: "S"): return .stopLoss
        case UInt8(ascii: "T"): return .takeProfit
        case UInt8(ascii: "Q"), UInt8(ascii: "K"): return .squareOff
        default: return nil
        }
    }

    /// The engine's order number in its session, for an order the engine made (not for an
    /// emergency close written by `engine emergency-stop`, nor an id this engine did not make).
    public static func engineSequence(of id: String) -> Int64? {
        let chars = Array(id.utf8)
        guard chars.count >= 14, chars[0] == UInt8(ascii: "A"), chars[10] != UInt8(ascii: "K"), purpose(of: id) != nil else { return nil }
        var value: Int64 = 0
        for c in chars[11...] {
            guard let d = digits.firstIndex(of: c) else { return nil }
            value = value * 36 + Int64(d)
        }
        return value
    }

    /// Base 36 with upper-case letters, left-padded with zeros to `width`.
    static func base36(_ value: Int64, width: Int) -> String {
        var v = max(0, value)
        var out: [UInt8] = []
        repeat {
            out.append(digits[Int(v % 36)])
            v /= 36
        } while v > 0
        while out.count < width { out.append(UInt8(ascii: "0")) }
        return String(decoding: out.reversed(), as: UTF8.self)
    }
}
