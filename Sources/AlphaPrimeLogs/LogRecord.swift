import AlphaPrimeSupport
import AlphaPrimeDomain
import Logging

/// One log event, already redacted, ready to be written as a line.
public struct LogRecord: Sendable {
    /// UTC epoch milliseconds.
    public var timestampMilliseconds: Int64
    public var level: Logger.Level
    public var label: String
    public var category: LogCategory
    public var message: String
    /// Metadata as given (nested dictionaries are flattened when written).
    public var metadata: Logger.Metadata
    /// The description of an error passed with `logger.error("…", error: e)`.
    public var error: String?
    public var errorType: String?
    public var source: String
    public var file: String
    public var function: String
    public var line: UInt
    /// The tool that wrote the line (`engine`, `backup`) and its process id.
    public var process: String
    public var pid: Int32

    /// Whether the source location is written: from `error` up.
    public var includesSourceLocation: Bool { level >= .error }
}

/// How metadata values are written: numbers and booleans stay JSON numbers and booleans.
enum LogValueKind {
    static func isPlainScalar(_ value: any CustomStringConvertible & Sendable) -> Bool {
        switch value {
        case is Bool, is Int, is Int64, is Int32, is Int16, is Int8, is UInt, is UInt64, is UInt32, is UInt16, is UInt8:
            true
        case let d as Double: d.isFinite
        case let f as Float: f.isFinite
        default: false
        }
    }
}
