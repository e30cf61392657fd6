import AlphaPrimeSupport

/// Why a state export could not be written, or an export could not be checked or restored.
///
/// Damaged or mismatching export data (a malformed line, a count or checksum that differs from the
/// manifest, a newer schema) exits with `dataError`; files that cannot be written with `cantCreate`.
/// Failures of the database itself are ``StoreError``s and keep their own exit status (a database
/// that cannot be reached is `unavailable`).
public struct StateExportError: Error, ExitStatusProviding, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The manifest is not one this build can use (another format version, an unknown table).
        case invalidManifest
        /// A table file is missing or cannot be read.
        case unreadable
        /// A line of a table file is not in the export format.
        case malformed
        /// A table file's columns, row count or checksum differ from the manifest.
        case mismatch
        /// The export's schema is newer than this build knows.
        case newerSchema(backup: Int, build: Int)
        /// The export's rows do not fit the target database (a column it does not have).
        case incompatible
        /// A table file cannot be written.
        case cannotWrite
    }

    public let kind: Kind
    /// The table concerned, when there is one.
    public let table: String?
    /// The file concerned (its name inside the export directory), when there is one.
    public let file: String?
    /// The 1-based line of `file`, when the problem is on one line.
    public let line: Int?
    public let message: String

    public init(_ kind: Kind, table: String? = nil, file: String? = nil, line: Int? = nil, message: String) {
        self.kind = kind
        self.table = table
        self.file = file
        self.line = line
        self.message = message
    }

    public var exitStatus: ExitStatus {
        switch kind {
        case .cannotWrite: .cantCreate
        case .invalidManifest, .unreadable, .malformed, .mismatch, .newerSchema, .incompatible: .dataError
        }
    }

    public var description: String {
        var place = ""
        if let file { place = line.map { "\(file) line \($0): " } ?? "\(file): " } else if let table { place = "table \(table): " }
        return "state export: \(place)\(message)"
    }
}
