import AlphaPrimeSupport

/// Everything that can go wrong reading or writing an archive, a compressed stream or a sealed
/// secret. The description names the file and, where there is one, the member; it never quotes a
/// passphrase, a key or a member's content.
public enum ArchiveError: Error, Hashable, Sendable, CustomStringConvertible, ExitStatusProviding {
    /// The file does not exist.
    case missingFile(path: String)
    /// The file exists but cannot be read (permission, an I/O error).
    case unreadable(path: String, reason: String)
    /// The file cannot be created or written: permission, a read-only file system, a full disk.
    case cantWrite(path: String, reason: String)
    /// The content is damaged or does not match what it claims: a compressed frame, a tar header, a
    /// size, a checksum, the manifest. `member` is the archive member concerned, when there is one.
    case damaged(path: String, member: String?, reason: String)
    /// A member the writer refuses: a name tar cannot hold, a duplicate, a reserved name, a size
    /// over the format's limit, a source file that changed while it was read.
    case invalidMember(name: String, reason: String)
    /// A sealed secret did not open: the passphrase is wrong, or a byte of it was changed.
    case wrongPassphrase
    /// A library call failed for a reason that is not the input's (out of memory, a bad parameter).
    case libraryFailure(function: String, reason: String)

    public var exitStatus: ExitStatus {
        switch self {
        case .missingFile, .unreadable: .noInput
        case .cantWrite: .cantCreate
        case .damaged, .invalidMember, .wrongPassphrase: .dataError
        case .libraryFailure: .internalError
        }
    }

    public var description: String {
        switch self {
        case .missingFile(let path): "\(path): no such file"
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .cantWrite(let path, let reason): "\(path): cannot write: \(reason)"
        case .damaged(let path, nil, let reason): "\(path): damaged: \(reason)"
        case .damaged(let path, let member?, let reason): "\(path): member \(member): damaged: \(reason)"
        case .invalidMember(let name, let reason): "member \(name): \(reason)"
        case .wrongPassphrase: "wrong passphrase or damaged encrypted member"
        case .libraryFailure(let function, let reason): "\(function) failed: \(reason)"
        }
    }
}
