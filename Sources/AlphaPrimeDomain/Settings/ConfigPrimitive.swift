import Foundation

/// The plain types a configuration value can be: text, numbers, booleans.
package protocol ConfigPrimitive {
    static var configExpectation: String { get }
    static var configZero: Self { get }
    static func parseConfig(_ text: String) -> Self?
}

extension ConfigPrimitive {
    package static func mismatch(_ text: String) -> String {
        "expected \(configExpectation), got '\(text.count > 60 ? String(text.prefix(57)) + "..." : text)'"
    }
}

extension String: ConfigPrimitive {
    package static var configExpectation: String { "text" }
    package static var configZero: String { "" }
    package static func parseConfig(_ text: String) -> String? { text }
}

extension Bool: ConfigPrimitive {
    package static var configExpectation: String { "true or false" }
    package static var configZero: Bool { false }
    package static func parseConfig(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }
}

extension ConfigPrimitive where Self: FixedWidthInteger {
    package static var configExpectation: String {
        Self.isSigned ? "a whole number" : "a whole number, 0 or more"
    }
    package static var configZero: Self { 0 }
    package static func parseConfig(_ text: String) -> Self? {
        let digits = text.replacingOccurrences(of: "_", with: "")
        return Self(digits, radix: 10)
    }
}

extension Int: ConfigPrimitive {}
extension Int8: ConfigPrimitive {}
extension Int16: ConfigPrimitive {}
extension Int32: ConfigPrimitive {}
extension Int64: ConfigPrimitive {}
extension UInt: ConfigPrimitive {}
extension UInt8: ConfigPrimitive {}
extension UInt16: ConfigPrimitive {}
extension UInt32: ConfigPrimitive {}
extension UInt64: ConfigPrimitive {}

extension ConfigPrimitive where Self: BinaryFloatingPoint & LosslessStringConvertible {
    package static var configExpectation: String { "a number" }
    package static var configZero: Self { 0 }
    package static func parseConfig(_ text: String) -> Self? {
        let digits = text.replacingOccurrences(of: "_", with: "")
        guard !digits.isEmpty, digits.allSatisfy({ "0123456789+-.eE".contains($0) }),
              let value = Self(digits), value.isFinite else { return nil }
        return value
    }
}

extension Double: ConfigPrimitive {}
extension Float: ConfigPrimitive {}

extension ConfigValueError {
    /// The sentence a decoding failure is reported with: the value's own message, or the decoder's.
    package static func message(of error: Error) -> String {
        switch error {
        case let error as ConfigValueError: return error.message
        case let DecodingError.dataCorrupted(context): return context.debugDescription
        case let DecodingError.typeMismatch(_, context): return context.debugDescription
        case let DecodingError.valueNotFound(_, context): return context.debugDescription
        case let DecodingError.keyNotFound(key, _): return "missing required key '\(key.stringValue)'"
        default: return "\(error)"
        }
    }
}

/// The primitive types, found by their identity. The decoder asks for every value it reads whether
/// its type is primitive; asked of the runtime (`as? any ConfigPrimitive.Type`) that question scans
/// every protocol-conformance record of the process the first time for each type, which is most
/// of a tool's configuration time. Every ``ConfigPrimitive`` is listed here.
package enum ConfigPrimitives {
    // Constants of metatypes, never written after they are made.
    package nonisolated(unsafe) static let all: [any ConfigPrimitive.Type] = [
        String.self, Bool.self, Double.self, Float.self,
        Int.self, Int8.self, Int16.self, Int32.self, Int64.self,
        UInt.self, UInt8.self, UInt16.self, UInt32.self, UInt64.self,
    ]

    nonisolated(unsafe) static let byType: [ObjectIdentifier: any ConfigPrimitive.Type] =
        Dictionary(uniqueKeysWithValues: all.map { (ObjectIdentifier($0), $0) })

    /// `type` as a ``ConfigPrimitive``, or nil when it is not one.
    package static func primitive<T>(_ type: T.Type) -> (any ConfigPrimitive.Type)? {
        byType[ObjectIdentifier(type)]
    }
}
