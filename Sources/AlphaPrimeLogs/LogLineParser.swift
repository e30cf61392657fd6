import AlphaPrimeSupport
import AlphaPrimeDomain
import Logging

/// One line of a log file, read back: the fields ``LogLineFormat`` writes first, and the rest.
public struct ParsedLogLine: Sendable, Equatable {
    /// UTC epoch milliseconds.
    public var timestampMilliseconds: Int64
    public var level: Logger.Level
    public var label: String
    public var category: String
    public var message: String
    public var process: String
    public var pid: Int64?
    /// Every other field in the order written: strings unescaped, numbers and booleans as their
    /// text, arrays and objects as their JSON text.
    public var fields: [Field]

    public struct Field: Sendable, Equatable {
        public var key: String
        public var value: String
    }

    /// The value of a field other than the fixed ones, nil when absent.
    public func field(_ key: String) -> String? {
        for f in fields where f.key == key { return f.value }
        return nil
    }
}

/// Reads a log line written as one JSON object (``LogLineFormat/json(_:)``) or as logfmt
/// (`timestamp=… level=info message="order placed" order.client_id=AP1`).
///
/// A line is well formed when it parses and has a `timestamp` (ISO-8601 with an offset or `Z`; `ts`
/// in logfmt), a `level` (a swift-log level or `warn`, `err`, `crit`, `fatal`; `lvl` in logfmt) and a
/// `message` (`msg` in logfmt). Anything else is malformed: ``parse(_:)`` returns nil.
public enum LogLineParser {
    public static func parse(_ text: String) -> ParsedLogLine? {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    public static func parse(_ line: UnsafeBufferPointer<UInt8>) -> ParsedLogLine? {
        var scanner = Scanner(bytes: line)
        scanner.skipSpaces()
        var pairs: [ParsedLogLine.Field] = []
        if scanner.peek == UInt8(ascii: "{") {
            guard scanner.readJSONObject(into: &pairs) else { return nil }
        } else {
            guard scanner.readLogfmt(into: &pairs) else { return nil }
        }
        return make(pairs)
    }

    private static let aliases: [String: String] = ["ts": "timestamp", "lvl": "level", "msg": "message", "logger": "label"]

    private static func make(_ pairs: [ParsedLogLine.Field]) -> ParsedLogLine? {
        var timestamp: Int64?, level: Logger.Level?, message: String?
        var line = ParsedLogLine(timestampMilliseconds: 0, level: .info, label: "", category: "", message: "", process: "",
                                 pid: nil, fields: [])
        line.fields.reserveCapacity(pairs.count)
        for pair in pairs {
            switch aliases[pair.key] ?? pair.key {
            case "timestamp" where timestamp == nil: timestamp = epochMilliseconds(iso8601: pair.value)
            case "level" where level == nil: level = AlphaPrimeLogging.parseLevel(pair.value)
            case "message" where message == nil: message = pair.value
            case "label": line.label = pair.value
            case "category": line.category = pair.value
            case "process": line.process = pair.value
            case "pid": line.pid = Int64(pair.value)
            default: line.fields.append(pair)
            }
        }
        guard let timestamp, let level, let message else { return nil }
        line.timestampMilliseconds = timestamp
        line.level = level
        line.message = message
        if line.category.isEmpty { line.category = LogCategory(label: line.label).rawValue }
        return line
    }

    /// UTC epoch milliseconds of `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`, nil otherwise.
    public static func epochMilliseconds(iso8601 text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var n: Int64 = 0
            for c in b[range] {
                guard c >= 48, c <= 57 else { return nil }
                n = n * 10 + Int64(c - 48)
            }
            return n
        }
        guard let y = number(0..<4), let mo = number(5..<7), let d = number(8..<10), let days = CivilCalendar.validDays(year: y, month: mo, day: d),
              let h = number(11..<13), h < 24, let mi = number(14..<16), mi < 60, let s = number(17..<19), s < 60 else { return nil }
        var i = 19
        var ms: Int64 = 0
        if b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 3 { ms = ms * 10 + Int64(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 3) { ms *= 10 }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard i + 2 <= b.count, let oh = number(i..<i + 2), oh <= 14 else { return nil }
            i += 2
            if i < b.count, b[i] == UInt8(ascii: ":") { i += 1 }
            guard i + 2 <= b.count, let om = number(i..<i + 2), om < 60 else { return nil }
            i += 2
            offset = sign * (oh * 3_600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        return (days * 86_400 + h * 3_600 + mi * 60 + s - offset) * 1_000 + ms
    }
}
