import Foundation

/// The fields of an `application/x-www-form-urlencoded` text: a request body or a URL's query.
///
/// Kite's clients send the same key more than once (`i=NSE:INFY&i=NSE:SBIN` for quotes), so a key
/// keeps all its values in order. `+` is a space and `%XX` a byte, as the form encoding says.
/// (Hummingbird's form decoder refuses repeated keys, so the fields are read here.)
struct FormFields: Sendable, Equatable {
    private(set) var pairs: [(key: String, value: String)] = []

    init() {}

    /// Reads `text`; a pair that is not valid percent-encoding is an `InputException`.
    init(encoded text: String) throws(KiteAPIError) {
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let (rawKey, rawValue) = part.firstIndex(of: "=").map { (part[..<$0], part[part.index(after: $0)...]) } ?? (part, "")
            guard let key = Self.decode(rawKey), let value = Self.decode(rawValue) else {
                throw .input("The request's form field `\(rawKey)` is not valid form encoding.")
            }
            pairs.append((key, value))
        }
    }

    static func == (a: FormFields, b: FormFields) -> Bool {
        a.pairs.map(\.key) == b.pairs.map(\.key) && a.pairs.map(\.value) == b.pairs.map(\.value)
    }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// Adds the fields of `other` after these (a query and a body together).
    mutating func append(_ other: FormFields) { pairs += other.pairs }

    /// The last value of `key`, or nil when it is absent.
    subscript(_ key: String) -> String? { pairs.last { $0.key == key }?.value }

    /// Every value of `key`, in order.
    func all(_ key: String) -> [String] { pairs.filter { $0.key == key }.map(\.value) }

    /// The value of `key`, which must be present and not empty.
    func required(_ key: String) throws(KiteAPIError) -> String {
        guard let value = self[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            throw .input("Missing or empty field `\(key)`.")
        }
        return value
    }

    /// A whole number, or nil when the field is absent or empty.
    func integer(_ key: String) throws(KiteAPIError) -> Int64? {
        guard let text = self[key]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = Int64(text) else { throw .input("Invalid `\(key)`: \"\(text)\" is not a whole number.") }
        return value
    }

    /// A rupee amount as paise (at most two decimals), or nil when absent or empty.
    func rupees(_ key: String) throws(KiteAPIError) -> Int64? {
        guard let text = self[key]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let paise = Self.paise(text) else {
            throw .input("Invalid `\(key)`: \"\(text)\" is not a price in rupees (at most two decimals).")
        }
        return paise
    }

    /// Exact paise of plain decimal rupee text (`"109.4"`, `"0"`, `"72.05"`, `"-1.5"`).
    static func paise(_ text: String) -> Int64? {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" { negative = true; digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
              let whole = Int64(parts[0]), whole <= Int64.max / 100 - 1 else { return nil }
        var value = whole * 100
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let f = Int64(fraction) else { return nil }
            value += fraction.count == 1 ? f * 10 : f
        }
        return negative ? -value : value
    }
}
