import AlphaPrimeSupport
import AlphaPrimeDomain
import Logging

/// Formats ``LogRecord``s: one JSON object per line for the files, one readable line for a terminal.
///
/// JSON fields, in this order: `timestamp` (UTC, ISO-8601 with milliseconds, `Z`), `level`,
/// `label`, `category`, `message`, `process`, `pid`; from `error` up also `source`, `file`,
/// `line`, `function`; `error` and `error.type` when an error was passed; then the metadata,
/// sorted by key, nested dictionaries flattened to dotted keys (`["order": ["id": "X"]]` →
/// `"order.id": "X"`). A metadata key equal to one of the fields above is written as
/// `metadata.<key>`.
public enum LogLineFormat {
    static let reservedKeys: Set<String> = [
        "timestamp", "level", "label", "category", "message", "process", "pid",
        "source", "file", "line", "function", "error", "error.type",
    ]

    /// The JSON line, newline included.
    public static func json(_ r: LogRecord) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + r.message.utf8.count)
        out.append(contentsOf: #"{"timestamp":""#.utf8)
        appendISO8601(r.timestampMilliseconds, to: &out)
        out.append(UInt8(ascii: "\""))
        field("level", r.level.rawValue, &out)
        field("label", r.label, &out)
        field("category", r.category.rawValue, &out)
        field("message", r.message, &out)
        field("process", r.process, &out)
        rawField("pid", String(r.pid), &out)
        if r.includesSourceLocation {
            field("source", r.source, &out)
            field("file", r.file, &out)
            rawField("line", String(r.line), &out)
            field("function", r.function, &out)
        }
        if let e = r.error { field("error", e, &out) }
        if let t = r.errorType { field("error.type", t, &out) }
        var flat: [(String, Logger.Metadata.Value)] = []
        flatten(r.metadata, prefix: "", into: &flat)
        for (key, value) in flat.sorted(by: { $0.0 < $1.0 }) {
            out.append(UInt8(ascii: ","))
            appendString(reservedKeys.contains(key) ? "metadata.\(key)" : key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendValue(value, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// A line for a person at a terminal, in IST:
    /// `09:15:02.123 IST info  [trades] order sent order.id=AP1 qty=50`.
    public static func console(_ r: LogRecord) -> [UInt8] {
        let local = IST.dateTime(epochMilliseconds: r.timestampMilliseconds)
        let ms = Int(((r.timestampMilliseconds % 1_000) + 1_000) % 1_000)
        var text = "\(local.time):\(pad2(local.second)).\(pad3(ms)) IST \(r.level.rawValue.padding(8))[\(r.category)] \(r.message)"
        var flat: [(String, Logger.Metadata.Value)] = []
        flatten(r.metadata, prefix: "", into: &flat)
        for (key, value) in flat.sorted(by: { $0.0 < $1.0 }) {
            text += " \(key)=\(consoleValue(value))"
        }
        if let e = r.error { text += " error=\(e)" }
        if r.includesSourceLocation { text += " (\(r.file):\(r.line))" }
        return Array((text.replacingNewlines() + "\n").utf8)
    }

    // MARK: Pieces

    static func flatten(_ metadata: Logger.Metadata, prefix: String, into out: inout [(String, Logger.Metadata.Value)]) {
        for (key, value) in metadata {
            let full = prefix.isEmpty ? key : "\(prefix).\(key)"
            if case .dictionary(let nested) = value, !nested.isEmpty {
                flatten(nested, prefix: full, into: &out)
            } else {
                out.append((full, value))
            }
        }
    }

    private static func field(_ name: String, _ value: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: ","))
        appendString(name, to: &out)
        out.append(UInt8(ascii: ":"))
        appendString(value, to: &out)
    }

    private static func rawField(_ name: String, _ raw: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: ","))
        appendString(name, to: &out)
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: raw.utf8)
    }

    static func appendValue(_ value: Logger.Metadata.Value, to out: inout [UInt8]) {
        switch value {
        case .string(let s):
            appendString(s, to: &out)
        case .stringConvertible(let c):
            if LogValueKind.isPlainScalar(c) {
                out.append(contentsOf: c.description.utf8)
            } else {
                appendString(c.description, to: &out)
            }
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendValue(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let dict):
            out.append(UInt8(ascii: "{"))
            for (i, (key, item)) in dict.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                appendValue(item, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 10: out.append(contentsOf: #"\n"#.utf8)
            case 13: out.append(contentsOf: #"\r"#.utf8)
            case 9: out.append(contentsOf: #"\t"#.utf8)
            case 0..<32, 127:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `2026-01-27T03:45:00.123Z`
    static func appendISO8601(_ ms: Int64, to out: inout [UInt8]) {
        let day = CivilCalendar.floorDiv(ms, 86_400_000)
        let msOfDay = Int(ms - day * 86_400_000)
        let date = LocalDate(daysSinceEpoch: Int(day))
        out.append(contentsOf: date.description.utf8)
        let s = msOfDay / 1_000
        out.append(contentsOf: "T\(pad2(s / 3_600)):\(pad2(s / 60 % 60)):\(pad2(s % 60)).\(pad3(msOfDay % 1_000))Z".utf8)
    }

    public static func iso8601(milliseconds: Int64) -> String {
        var out: [UInt8] = []
        appendISO8601(milliseconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func consoleValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): s.contains(" ") ? "\"\(s)\"" : s
        case .stringConvertible(let c): c.description
        case .array, .dictionary:
            String(decoding: { var o: [UInt8] = []; appendValue(value, to: &o); return o }(), as: UTF8.self)
        }
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private static func pad3(_ n: Int) -> String { n < 10 ? "00\(n)" : n < 100 ? "0\(n)" : "\(n)" }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    /// Newlines shown as `\n` so a console entry stays on one line.
    fileprivate func replacingNewlines() -> String {
        guard utf8.contains(10) || utf8.contains(13) else { return self }
        var out = ""
        for c in unicodeScalars {
            switch c {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
