import AlphaPrimeSupport
import AlphaPrimeDomain

/// The name of a file in `logs/`: a live file (`alpha_prime.log`), a rotated copy
/// (`alpha_prime.log.20260127T034500Z`) or a compressed one (`alpha_prime.log.20260127T034500Z.zst`).
///
/// The stamp is the UTC second the copy was rotated, `YYYYMMDDTHHMMSSZ`; when two rotations of one
/// file fall in the same second the later copy gets `-2`, `-3`… after the stamp.
public struct LogFileName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The live file's name: `alpha_prime.log`.
    public let base: String
    /// When the copy was rotated, UTC epoch seconds; nil for the live file.
    public let rotatedAt: Int64?
    /// The `-N` after the stamp (1 when there is none).
    public let sequence: Int
    public let compressed: Bool

    public static let compressedSuffix = ".zst"

    public init(base: String, rotatedAt: Int64? = nil, sequence: Int = 1, compressed: Bool = false) {
        self.base = base
        self.rotatedAt = rotatedAt
        self.sequence = sequence
        self.compressed = compressed
    }

    /// Reads a name; nil when it is none of the three forms.
    public init?(_ name: String) {
        var rest = Substring(name)
        var compressed = false
        if rest.hasSuffix(Self.compressedSuffix) {
            rest = rest.dropLast(Self.compressedSuffix.count)
            compressed = true
        }
        if rest.hasSuffix(".log"), rest.count > 4, !compressed {
            self.init(base: String(rest))
            return
        }
        guard let dot = rest.lastIndex(of: ".") else { return nil }
        let base = rest[..<dot]
        var stampText = rest[rest.index(after: dot)...]
        var sequence = 1
        if let dash = stampText.firstIndex(of: "-") {
            guard let n = Int(stampText[stampText.index(after: dash)...]), n >= 2 else { return nil }
            sequence = n
            stampText = stampText[..<dash]
        }
        guard base.hasSuffix(".log"), base.count > 4, let stamp = Self.parseStamp(stampText) else { return nil }
        self.init(base: String(base), rotatedAt: stamp, sequence: sequence, compressed: compressed)
    }

    public var isLive: Bool { rotatedAt == nil }

    /// The name on disk.
    public var description: String {
        guard let rotatedAt else { return base }
        return base + "." + Self.stamp(rotatedAt) + (sequence > 1 ? "-\(sequence)" : "") + (compressed ? Self.compressedSuffix : "")
    }

    /// The compressed name of a rotated copy.
    public var compressedName: LogFileName {
        LogFileName(base: base, rotatedAt: rotatedAt, sequence: sequence, compressed: true)
    }

    /// The name of this copy without its compression suffix.
    public var uncompressedName: LogFileName {
        LogFileName(base: base, rotatedAt: rotatedAt, sequence: sequence, compressed: false)
    }

    /// Oldest copy first, the live file last.
    public static func < (a: LogFileName, b: LogFileName) -> Bool {
        if a.base != b.base { return a.base < b.base }
        switch (a.rotatedAt, b.rotatedAt) {
        case (nil, nil): return false
        case (nil, _): return false
        case (_, nil): return true
        case let (x?, y?): return (x, a.sequence, a.compressed ? 1 : 0) < (y, b.sequence, b.compressed ? 1 : 0)
        }
    }

    /// `20260127T034500Z` for an instant in UTC epoch seconds.
    public static func stamp(_ epochSeconds: Int64) -> String {
        let day = CivilCalendar.floorDiv(epochSeconds, 86_400)
        let s = Int(epochSeconds - day * 86_400)
        let (y, m, d) = CivilCalendar.date(days: day)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = String(y)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + two(Int(m)) + two(Int(d))
            + "T" + two(s / 3_600) + two(s / 60 % 60) + two(s % 60) + "Z"
    }

    /// The UTC epoch seconds of a stamp, or nil when the text is not one.
    public static func parseStamp(_ text: Substring) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var n: Int64 = 0
            for c in b[range] {
                guard c >= 48, c <= 57 else { return nil }
                n = n * 10 + Int64(c - 48)
            }
            return n
        }
        guard let y = number(0..<4), let mo = number(4..<6), let d = number(6..<8),
              let h = number(9..<11), h < 24, let mi = number(11..<13), mi < 60, let s = number(13..<15), s < 60,
              let days = CivilCalendar.validDays(year: y, month: mo, day: d) else { return nil }
        return days * 86_400 + h * 3_600 + mi * 60 + s
    }
}
