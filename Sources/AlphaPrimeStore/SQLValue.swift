import AlphaPrimeSupport
import AlphaPrimeDomain

/// A value bound to a statement parameter or read from a result column.
///
/// Money is bound as `.integer` paise, timestamps as `.integer` microseconds since the Unix epoch
/// (UTC), enums as their `.text` raw value. Floating point is only for statistics.
public enum SQLValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    public init(_ value: Double?) { self = value.map { .real($0) } ?? .null }
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    public init(_ value: Bool?) { self = value.map { .integer($0 ? 1 : 0) } ?? .null }
    public init(_ value: Paise?) { self = value.map { .integer($0.value) } ?? .null }
    public init(_ value: UTCTimestamp?) { self = value.map { .integer($0.microseconds) } ?? .null }
    public init<Value: RawRepresentable>(_ value: Value?) where Value.RawValue == String {
        self = value.map { .text($0.rawValue) } ?? .null
    }

    public var isNull: Bool { self == .null }

    /// The kind of value, for messages. Never the value itself: error messages must not show it.
    public var typeName: String {
        switch self {
        case .null: "NULL"
        case .integer: "integer"
        case .real: "real"
        case .text: "text"
        }
    }

    public var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let v): String(v)
        case .real(let v): String(v)
        case .text(let v): v
        }
    }
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByNilLiteral, ExpressibleByBooleanLiteral
{
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}

/// One result row: the column names of its result and the values, read by name or position.
///
/// Typed reads throw ``StoreError`` (kind `.typeMismatch`) naming the column when the value is NULL
/// where a value is required, or of another type.
public struct SQLRow: Sendable {
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(index: Int) -> SQLValue { values[index] }

    public func value(_ column: String) throws -> SQLValue {
        guard let index = columns.firstIndex(of: column) else {
            throw StoreError(.typeMismatch, message: "no column '\(column)' in the result (columns: \(columns.joined(separator: ", ")))")
        }
        return values[index]
    }

    public func optionalInt64(_ column: String) throws -> Int64? {
        switch try value(column) {
        case .null: return nil
        case .integer(let v): return v
        case let other: throw mismatch(column, expected: "integer", got: other)
        }
    }

    public func int64(_ column: String) throws -> Int64 {
        guard let v = try optionalInt64(column) else { throw mismatch(column, expected: "integer", got: .null) }
        return v
    }

    public func optionalInt(_ column: String) throws -> Int? {
        guard let v = try optionalInt64(column) else { return nil }
        guard let i = Int(exactly: v) else { throw mismatch(column, expected: "Int", got: .integer(v)) }
        return i
    }

    public func int(_ column: String) throws -> Int {
        guard let v = try optionalInt(column) else { throw mismatch(column, expected: "integer", got: .null) }
        return v
    }

    /// A real column; an integer value is widened (SQLite stores 1.0 in a REAL column as written).
    public func optionalDouble(_ column: String) throws -> Double? {
        switch try value(column) {
        case .null: return nil
        case .real(let v): return v
        case .integer(let v): return Double(v)
        case let other: throw mismatch(column, expected: "real", got: other)
        }
    }

    public func double(_ column: String) throws -> Double {
        guard let v = try optionalDouble(column) else { throw mismatch(column, expected: "real", got: .null) }
        return v
    }

    public func optionalString(_ column: String) throws -> String? {
        switch try value(column) {
        case .null: return nil
        case .text(let v): return v
        case let other: throw mismatch(column, expected: "text", got: other)
        }
    }

    public func string(_ column: String) throws -> String {
        guard let v = try optionalString(column) else { throw mismatch(column, expected: "text", got: .null) }
        return v
    }

    public func bool(_ column: String) throws -> Bool {
        let v = try int64(column)
        guard v == 0 || v == 1 else { throw mismatch(column, expected: "0 or 1", got: .integer(v)) }
        return v == 1
    }

    public func paise(_ column: String) throws -> Paise { Paise(try int64(column)) }
    public func optionalPaise(_ column: String) throws -> Paise? { try optionalInt64(column).map(Paise.init) }

    public func timestamp(_ column: String) throws -> UTCTimestamp { UTCTimestamp(microseconds: try int64(column)) }
    public func optionalTimestamp(_ column: String) throws -> UTCTimestamp? {
        try optionalInt64(column).map { UTCTimestamp(microseconds: $0) }
    }

    /// A text column holding the raw value of an enum (`mode`, `side`, `status`…).
    public func enumValue<Value: RawRepresentable>(_ column: String, as type: Value.Type = Value.self) throws -> Value
        where Value.RawValue == String
    {
        let text = try string(column)
        guard let v = Value(rawValue: text) else {
            throw StoreError(.typeMismatch, message: "column '\(column)' holds a value that is not a \(Value.self)")
        }
        return v
    }

    public func optionalEnumValue<Value: RawRepresentable>(_ column: String, as type: Value.Type = Value.self) throws -> Value?
        where Value.RawValue == String
    {
        guard try !value(column).isNull else { return nil }
        return try enumValue(column, as: type)
    }

    private func mismatch(_ column: String, expected: String, got: SQLValue) -> StoreError {
        StoreError(.typeMismatch, message: "column '\(column)' is \(got.typeName), expected \(expected)")
    }
}
