extension IST {
    /// The UTC epoch seconds of an ISO-8601 instant as a person types it, or nil when the text is
    /// not one:
    ///
    ///     YYYY-MM-DD(T|t| )HH:MM[:SS[(.|,)fraction]][Z|z|±HH:MM|±HHMM|±HH]
    ///
    /// `2026-01-27T15:00:00+05:30`, `2026-01-27T09:30Z` and `2026-01-27 15:00` are the same instant:
    /// without an offset the wall clock is IST. The date must exist, hours run 00–23, an offset is at
    /// most 14 hours, and a fraction of a second (at least one digit) is dropped. Nothing may follow.
    public static func epochSeconds(iso8601 text: String) -> Int64? {
        var scanner = InstantScanner(text)
        guard scanner.bytes.count >= 16,
              let date = LocalDate(String(decoding: scanner.bytes[0..<10], as: UTF8.self))
        else { return nil }
        scanner.index = 10
        guard scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
              let hour = scanner.digits(2), hour < 24, scanner.skip(":"),
              let minute = scanner.digits(2), minute < 60
        else { return nil }
        var second = 0
        if scanner.skip(":") {
            guard let s = scanner.digits(2), s < 60 else { return nil }
            second = s
            if scanner.skip(".") || scanner.skip(",") {
                guard scanner.skipDigits() > 0 else { return nil }
            }
        }
        var offset = offsetSeconds
        if !scanner.atEnd {
            if scanner.skip("Z") || scanner.skip("z") {
                offset = 0
            } else if let sign = scanner.sign() {
                guard let h = scanner.digits(2), h <= 14 else { return nil }
                var m = 0
                if !scanner.atEnd {
                    _ = scanner.skip(":")
                    guard let mm = scanner.digits(2), mm < 60 else { return nil }
                    m = mm
                }
                offset = sign * Int64(h * 3_600 + m * 60)
            } else {
                return nil
            }
        }
        guard scanner.atEnd else { return nil }
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
        return local - offset
    }
}

/// A cursor over the UTF-8 bytes of an instant's text.
private struct InstantScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var atEnd: Bool { index >= bytes.count }

    /// Steps over `character` when it comes next.
    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    /// The number written with exactly `count` digits next, or nil (nothing consumed then).
    mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var n = 0
        for b in bytes[index..<(index + count)] {
            guard b >= 48, b <= 57 else { return nil }
            n = n * 10 + Int(b - 48)
        }
        index += count
        return n
    }

    /// Steps over every digit next; returns how many there were.
    mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
        return index - start
    }

    /// +1 or -1 for a `+` or `-` next (stepped over), else nil.
    mutating func sign() -> Int64? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}
