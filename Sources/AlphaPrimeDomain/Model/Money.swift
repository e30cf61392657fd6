/// An amount of Indian rupees held exactly, in paise (1 INR = 100 paise).
///
/// Prices, cash, P&L and charges are all `Paise`; quantities are plain integers.
/// Floating point is used only for indicators and statistics, never for money.
public struct Paise: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var value: Int64

    @inlinable public init(_ value: Int64) { self.value = value }

    public static let zero = Paise(0)

    /// Parses a rupee amount such as `"1234.5"`, `"-0.05"` or `"₹1,234.50"` exactly (no floating point).
    /// Returns nil for text that is not a rupee amount or has more than two decimals.
    public init?(rupees text: String) {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        if s.hasPrefix("₹") { s = s.dropFirst() }
        var negative = false
        if s.hasPrefix("-") { negative = true; s = s.dropFirst() } else if s.hasPrefix("+") { s = s.dropFirst() }
        let parts = s.replacingOccurrences(of: ",", with: "").split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty || parts.count == 2,
              whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber) else { return nil }
        var paise = Int64(0)
        if !whole.isEmpty {
            guard let w = Int64(whole), w <= Int64.max / 100 else { return nil }
            paise = w * 100
        }
        if parts.count == 2 {
            let frac = parts[1]
            guard (1...2).contains(frac.count), frac.allSatisfy(\.isASCII), frac.allSatisfy(\.isNumber),
                  let f = Int64(frac) else { return nil }
            paise += frac.count == 1 ? f * 10 : f
        }
        self.value = negative ? -paise : paise
    }

    /// Converts a floating-point rupee amount, rounding half away from zero to the nearest paisa.
    /// Only for amounts that arrive as floating point from outside (a broker's JSON, a CSV).
    public init(rupeesRounded amount: Double) {
        self.value = Int64((amount * 100).rounded(.toNearestOrAwayFromZero))
    }

    /// The amount in rupees as a `Double`, for statistics and display only.
    public var rupees: Double { Double(value) / 100 }

    /// `1234.50`, `-0.05`: rupees with exactly two decimals, no grouping.
    public var description: String {
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        let whole = magnitude / 100, frac = magnitude % 100
        return "\(sign)\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }

    @inlinable public static func < (a: Paise, b: Paise) -> Bool { a.value < b.value }
    @inlinable public static func + (a: Paise, b: Paise) -> Paise { Paise(a.value + b.value) }
    @inlinable public static func - (a: Paise, b: Paise) -> Paise { Paise(a.value - b.value) }
    @inlinable public static prefix func - (a: Paise) -> Paise { Paise(-a.value) }
    @inlinable public static func * (a: Paise, quantity: Int64) -> Paise { Paise(a.value * quantity) }
    @inlinable public static func += (a: inout Paise, b: Paise) { a.value += b.value }
    @inlinable public static func -= (a: inout Paise, b: Paise) { a.value -= b.value }

    public init(from decoder: Decoder) throws { value = try decoder.singleValueContainer().decode(Int64.self) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

import AlphaPrimeSupport
import Foundation
