import AlphaPrimeSupport
import AlphaPrimeDomain

/// Rule 3 of ``SecretRedactor``: secrets that come with their name in free text.
extension SecretRedactor {
    /// Replaces the value after a secret-looking name with `[REDACTED]`, keeping the name:
    /// - `name=value` (query strings, logfmt, `.env` lines): `access_token=abc&x=1` →
    ///   `access_token=[REDACTED]&x=1`;
    /// - `"name": "value"` and `'name': 'value'` (JSON, Python reprs): the quoted value;
    /// - `Name: value` for HTTP-style headers (a name with a `-`, or Authorization / Cookie):
    ///   `Authorization: token api_key:access_token` → `Authorization: token [REDACTED]`
    ///   (the scheme word — token, Bearer, Basic, enctoken — is kept).
    ///
    /// A name counts when ``isSensitiveKey(_:)`` says so, except the bare word `key`
    /// (`unknown key: risk.max_loss` is a config message, not a secret). Unquoted `name: value`
    /// outside headers is left alone so messages such as `broker.api_key: expected a string`
    /// stay readable; configured secret values are removed by rule 1 wherever they are.
    public func scrubPatterns(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "=")) || bytes.contains(UInt8(ascii: ":")) else { return text }
        let placeholder = Array(Self.placeholder.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var changed = false
        let n = bytes.count
        var i = 0
        while i < n {
            guard Self.isNameByte(bytes[i]), i == 0 || !Self.isNameByte(bytes[i - 1]) else {
                out.append(bytes[i]); i += 1; continue
            }
            var j = i
            while j < n, Self.isNameByte(bytes[j]) { j += 1 }
            if let (valueStart, valueEnd) = secretValue(in: bytes, nameStart: i, nameEnd: j) {
                out.append(contentsOf: bytes[i..<valueStart])
                out.append(contentsOf: placeholder)
                i = valueEnd
                changed = true
            } else {
                out.append(contentsOf: bytes[i..<j])
                i = j
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : text
    }

    /// The byte range of the value to hide after the name `bytes[nameStart..<nameEnd]`, or nil.
    private func secretValue(in bytes: [UInt8], nameStart: Int, nameEnd: Int) -> (Int, Int)? {
        let n = bytes.count
        var k = nameEnd
        // A quoted name: "access_token": …
        var quotedName = false
        if k < n, Self.isQuote(bytes[k]), nameStart > 0, bytes[nameStart - 1] == bytes[k] {
            quotedName = true
            k += 1
        }
        while k < n, bytes[k] == 32 || bytes[k] == 9 { k += 1 }
        guard k < n, bytes[k] == UInt8(ascii: "=") || bytes[k] == UInt8(ascii: ":") else { return nil }
        let separator = bytes[k]
        k += 1

        let name = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
        let words = Self.splitWords(name)
        guard words != ["key"], Self.isSensitiveKey(name) else { return nil }
        let isHeader = name.utf8.contains(UInt8(ascii: "-")) || words.contains("authorization") || words.contains("cookie")
        guard separator == UInt8(ascii: "=") || quotedName || isHeader else { return nil }

        while k < n, bytes[k] == 32 || bytes[k] == 9 { k += 1 }
        guard k < n else { return nil }

        if Self.isQuote(bytes[k]) {
            let quote = bytes[k]
            let start = k + 1
            var end = start
            while end < n, bytes[end] != quote {
                end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            end = min(end, n)
            return end > start && !Self.isPlaceholder(bytes[start..<end]) ? (start, end) : nil
        }

        var start = k
        if isHeader {
            // Keep an authorization scheme: "token", "Bearer", "Basic", "enctoken".
            var w = k
            while w < n, Self.isLetter(bytes[w]) { w += 1 }
            let scheme = String(decoding: bytes[k..<w], as: UTF8.self).lowercased()
            if Self.authSchemes.contains(scheme), w < n, bytes[w] == 32 {
                var v = w
                while v < n, bytes[v] == 32 { v += 1 }
                if v < n, Self.endOfRun(bytes, from: v) > v { start = v }
            }
        }
        let end = Self.endOfRun(bytes, from: start)
        return end > start && !Self.isPlaceholder(bytes[start..<end]) ? (start, end) : nil
    }

    /// Where an unquoted value starting at `start` ends. An earlier `[REDACTED]` inside it
    /// (`token [REDACTED]:[REDACTED]`) is part of the value.
    static func endOfRun(_ bytes: [UInt8], from start: Int) -> Int {
        let placeholder = Array(Self.placeholder.utf8)
        var end = start
        while end < bytes.count {
            if bytes[end] == placeholder[0], end + placeholder.count <= bytes.count,
               bytes[end..<(end + placeholder.count)].elementsEqual(placeholder) {
                end += placeholder.count
            } else if isTerminator(bytes[end]) {
                break
            } else {
                end += 1
            }
        }
        return end
    }

    static let authSchemes: Set<String> = ["token", "bearer", "basic", "digest", "enctoken"]

    static func isNameByte(_ b: UInt8) -> Bool {
        isLetter(b) || (b >= 48 && b <= 57) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }

    static func isLetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }

    static func isQuote(_ b: UInt8) -> Bool { b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") }

    /// Where an unquoted value ends.
    static func isTerminator(_ b: UInt8) -> Bool {
        switch b {
        case 32, 9, 10, 13: true  // whitespace
        case UInt8(ascii: "&"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ","), UInt8(ascii: ";"),
             UInt8(ascii: "}"), UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: ">"):
            true
        default: false
        }
    }

    static func isPlaceholder(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.elementsEqual(placeholder.utf8)
    }
}
