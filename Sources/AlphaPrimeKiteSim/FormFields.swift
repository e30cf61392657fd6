import AlphaPrimeDomain
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
        guard let paise = Paise(rupees: text)?.value else {
            throw .input("Invalid `\(key)`: \"\(text)\" is not a price in rupees (at most two decimals).")
        }
        return paise
    }
}
