import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// A market-data file could not be used. Each case names the file (and line) that is wrong.
public enum MarketDataError: Error, Hashable, Sendable, CustomStringConvertible, ExitStatusProviding {
    /// The file does not exist or cannot be opened.
    case missingFile(path: String, reason: String)
    /// A row that cannot be used (the reader stops at the first one).
    case badRow(file: String, line: Int, message: String)
    /// The whole file is unusable (no header, wrong columns, empty).
    case badFile(file: String, message: String)
    /// The file's rows name another symbol than the one the bars would be stored under.
    case symbolMismatch(file: String, found: String, expected: String)
    /// The data does not say which convention it follows; a flag must.
    case ambiguous(file: String, message: String)
    /// A file could not be written.
    case writeFailed(path: String, reason: String)
    /// Bars that cannot be resampled (outside a session, wrong timeframe, out of order).
    case cannotResample(message: String)

    public var exitStatus: ExitStatus {
        switch self {
        case .missingFile: .noInput
        case .badRow, .badFile, .symbolMismatch, .cannotResample: .dataError
        case .ambiguous: .usage
        case .writeFailed: .cantCreate
        }
    }

    public var description: String { ProblemLog.printable(rawDescription) }

    var rawDescription: String {
        switch self {
        case .missingFile(let path, let reason): "\(path): cannot read: \(reason)"
        case .badRow(let file, let line, let message): "\(file):\(line): \(message)"
        case .badFile(let file, let message): "\(file): \(message)"
        case .symbolMismatch(let file, let found, let expected):
            "\(file): the rows name \(SymbolNames.printable(found)), not \(expected) (--symbol): nothing imported; "
                + "import it under its own symbol, or pass --allow-symbol-mismatch to keep it as \(expected) anyway"
        case .ambiguous(let file, let message): "\(file): \(message)"
        case .writeFailed(let path, let reason): "\(path): cannot write: \(reason)"
        case .cannotResample(let message): "cannot resample: \(message)"
        }
    }
}
