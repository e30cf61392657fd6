extension LogLineParser {
    /// Reads the bytes of one line: a flat JSON object (nested values kept as their text) or logfmt pairs.
    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpaces() {
            while let c = peek, c == 32 || c == 9 || c == 13 || c == 10 { index += 1 }
        }

        mutating func skip(_ c: UInt8) -> Bool {
            guard peek == c else { return false }
            index += 1
            return true
        }

        // MARK: JSON

        /// `{"key": value, …}` and nothing after it but spaces.
        mutating func readJSONObject(into pairs: inout [ParsedLogLine.Field]) -> Bool {
            guard skip(UInt8(ascii: "{")) else { return false }
            skipSpaces()
            if skip(UInt8(ascii: "}")) { skipSpaces(); return atEnd }
            while true {
                skipSpaces()
                guard let key = readJSONString() else { return false }
                skipSpaces()
                guard skip(UInt8(ascii: ":")) else { return false }
                skipSpaces()
                guard let value = readJSONValue() else { return false }
                pairs.append(.init(key: key, value: value))
                skipSpaces()
                if skip(UInt8(ascii: ",")) { continue }
                guard skip(UInt8(ascii: "}")) else { return false }
                skipSpaces()
                return atEnd
            }
        }

        mutating func readJSONValue() -> String? {
            guard let c = peek else { return nil }
            if c == UInt8(ascii: "\"") { return readJSONString() }
            let start = index
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                guard skipNested() else { return nil }
            } else {
                while let d = peek, d != UInt8(ascii: ","), d != UInt8(ascii: "}"), d != 32, d != 9 { index += 1 }
                guard index > start else { return nil }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        /// An array or object, skipped whole (strings inside it included).
        mutating func skipNested() -> Bool {
            var depth = 0
            while let c = peek {
                switch c {
                case UInt8(ascii: "\""):
                    guard readJSONString() != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { index += 1; return true }
                default: break
                }
                index += 1
            }
            return false
        }

        /// A JSON string literal, unescaped.
        mutating func readJSONString() -> String? {
            guard skip(UInt8(ascii: "\"")) else { return nil }
            let start = index
            var escaped = false
            let count = bytes.count
            while index < count {
                let c = bytes[index]
                if c == 34 { break }  // "
                if c == 92 { escaped = true; index += 1 }  // \
                index += 1
            }
            guard index < count else { return nil }
            let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
            index += 1
            return escaped ? Self.unescape(raw) : String(decoding: raw, as: UTF8.self)
        }

        static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var i = 0
            func hex4(_ at: Int) -> UInt32? {
                guard at + 4 <= raw.count else { return nil }
                var v: UInt32 = 0
                for c in raw[at..<at + 4] {
                    guard let d = hexDigit(c) else { return nil }
                    v = v << 4 | d
                }
                return v
            }
            while i < raw.count {
                let c = raw[i]
                guard c == UInt8(ascii: "\\") else { out.append(c); i += 1; continue }
                guard i + 1 < raw.count else { return nil }
                let e = raw[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4(i) else { return nil }
                    i += 4
                    if (0xD800..<0xDC00).contains(scalar), i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"),
                       raw[i + 1] == UInt8(ascii: "u"), let low = hex4(i + 2), (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    out.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(e)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        static func hexDigit(_ c: UInt8) -> UInt32? {
            switch c {
            case 48...57: UInt32(c - 48)
            case 65...70: UInt32(c - 55)
            case 97...102: UInt32(c - 87)
            default: nil
            }
        }

        // MARK: logfmt

        /// `key=value key="quoted value" …`; a word without `=` makes the line malformed.
        mutating func readLogfmt(into pairs: inout [ParsedLogLine.Field]) -> Bool {
            while true {
                skipSpaces()
                if atEnd { return !pairs.isEmpty }
                let start = index
                while let c = peek, c != UInt8(ascii: "="), c != 32, c != 9 { index += 1 }
                guard index > start, skip(UInt8(ascii: "=")) else { return false }
                let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
                let value: String
                if peek == UInt8(ascii: "\"") {
                    guard let quoted = readJSONString() else { return false }
                    value = quoted
                } else {
                    let from = index
                    while let c = peek, c != 32, c != 9 { index += 1 }
                    value = String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<index]), as: UTF8.self)
                }
                pairs.append(.init(key: key, value: value))
            }
        }
    }
}
