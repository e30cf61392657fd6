import AlphaPrimeSupport
import Logging

/// A value written in a configuration file as one piece of text (a date, a time, a choice from a
/// list, a rupee amount). The strict decoder parses it from the scalar's text and, when the text
/// is wrong, reports the message and carries on with ``configPlaceholder``.
public protocol ConfigScalarDecodable {
    /// Parses the text of a YAML scalar (after `${VAR}` expansion); throws ``ConfigValueError``
    /// saying what was expected.
    init(configText text: String) throws
    /// A stand-in used after an error so that decoding can continue and report more problems.
    static var configPlaceholder: Self { get }
}

/// Why a scalar's text is not an acceptable value.
public struct ConfigValueError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A fixed set of words (`fixed_fractional | kelly | fixed_quantity`). Conforming enums get a
/// strict parser that names the accepted words and suggests the closest one.
public protocol ConfigChoice: ConfigScalarDecodable, CaseIterable, RawRepresentable where RawValue == String {}

extension ConfigChoice {
    public init(configText text: String) throws {
        if let value = Self(rawValue: text) {
            self = value
            return
        }
        let words = Self.allCases.map(\.rawValue)
        var message = "expected one of \(words.joined(separator: ", ")), got '\(text)'"
        if let suggestion = ConfigSuggestion.closest(to: text, among: words) {
            message += "; did you mean '\(suggestion)'?"
        }
        throw ConfigValueError(message)
    }

    public static var configPlaceholder: Self { allCases.first! }
}

extension LocalDate: ConfigScalarDecodable {
    public init(configText text: String) throws {
        if let date = LocalDate(text) {
            self = date
            return
        }
        let shape = text.utf8.count == 10 && text.enumerated().allSatisfy { i, c in
            i == 4 || i == 7 ? c == "-" : c.isASCII && c.isNumber
        }
        throw ConfigValueError(shape ? "'\(text)' is not a real date"
                                     : "expected a date as YYYY-MM-DD, got '\(text)'")
    }

    public static var configPlaceholder: LocalDate { LocalDate(daysSinceEpoch: 0) }
}

extension TimeOfDay: ConfigScalarDecodable {
    public init(configText text: String) throws {
        guard let time = TimeOfDay(text) else {
            throw ConfigValueError("expected a time as HH:MM (24-hour, IST), got '\(text)'")
        }
        self = time
    }

    public static var configPlaceholder: TimeOfDay { TimeOfDay(minutes: 0)! }
}

extension ProductType: ConfigChoice {}
extension TradingMode: ConfigChoice {}
extension Logger.Level: ConfigChoice {
    /// Log levels are accepted in any case (`INFO`), as `LOG_LEVEL` is.
    public init(configText text: String) throws {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let words = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigValueError("expected one of \(words), got '\(text)'")
        }
        self = level
    }
}

/// An amount of rupees written in a configuration file (`1000000`, `250000.50`), held exactly
/// in paise. Printed back as rupees.
public struct Rupees: Hashable, Sendable, Codable, CustomStringConvertible, ConfigScalarDecodable {
    public var paise: Paise

    public init(paise: Paise) { self.paise = paise }

    public init(configText text: String) throws {
        guard let paise = Paise(rupees: text.replacingOccurrences(of: "_", with: "")) else {
            throw ConfigValueError("expected an amount in rupees (at most two decimals), got '\(text)'")
        }
        self.paise = paise
    }

    public static var configPlaceholder: Rupees { Rupees(paise: .zero) }

    public var description: String { paise.description }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(configText: text)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(paise.description)
    }
}

/// "Did you mean …" for a misspelt key or word.
package enum ConfigSuggestion {
    /// The candidate closest to `word` by edit distance, when it is close enough to be a likely typo.
    package static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let lowered = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        guard let (candidate, distance) = best else { return nil }
        let limit = max(2, min(lowered.count, candidate.count) / 3)
        return distance <= limit ? candidate : nil
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}

import Foundation
