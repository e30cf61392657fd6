import AlphaPrimeSupport
import Foundation

/// The `manifest.json` member every archive file ends with: each other member's name, size and
/// SHA-256, in the order they were written, and the fields the writing tool adds.
///
/// ```json
/// {
///   "extra" : { "created_at" : "2025-03-31T10:00:00Z", "kind" : "daily", "rows.orders" : "1204" },
///   "format" : 1,
///   "members" : [ { "mode" : 384, "name" : "state.sql", "sha256" : "9f86d0…", "size" : 52311 } ]
/// }
/// ```
///
/// `extra` is flat text: the backup tool keeps its kind, creation time, schema version and row
/// counts there (row counts as `rows.<table>`), so a reader can show any archive's fields without
/// knowing which tool wrote it. Keys are sorted, so the same archive always has the same manifest.
public struct ArchiveManifest: Codable, Sendable, Hashable {
    /// The manifest's member name. No other member may have it.
    public static let memberName = "manifest.json"
    /// The version of this layout; a reader refuses a manifest of a later one.
    public static let currentFormat = 1

    public struct Member: Codable, Sendable, Hashable {
        public var name: String
        public var size: UInt64
        /// Lower-case hex of the content's SHA-256.
        public var sha256: String
        /// The member's permission bits.
        public var mode: UInt32

        public init(name: String, size: UInt64, sha256: String, mode: UInt32) {
            self.name = name
            self.size = size
            self.sha256 = sha256
            self.mode = mode
        }
    }

    public var format: Int
    public var members: [Member]
    public var extra: [String: String]

    public init(format: Int = currentFormat, members: [Member], extra: [String: String]) {
        self.format = format
        self.members = members
        self.extra = extra
    }

    /// The member called `name`, if the manifest lists one.
    public func member(named name: String) -> Member? {
        members.first { $0.name == name }
    }

    /// The manifest as `manifest.json` holds it.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }

    /// Reads `manifest.json`; `path` names the archive in errors.
    static func decode(_ bytes: [UInt8], path: String) throws -> ArchiveManifest {
        let manifest: ArchiveManifest
        do {
            manifest = try JSONDecoder().decode(ArchiveManifest.self, from: Data(bytes))
        } catch {
            throw ArchiveError.damaged(path: path, member: memberName, reason: "not a manifest: \(error)")
        }
        guard manifest.format == currentFormat else {
            throw ArchiveError.damaged(path: path, member: memberName, reason: "format \(manifest.format); this build reads format \(currentFormat)")
        }
        return manifest
    }
}

/// SHA-256 of a member's content, fed in pieces.
struct MemberDigest {
    private var hash = SHA256()
    private(set) var size: UInt64 = 0

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hash.update(Array(bytes))
        size += UInt64(bytes.count)
    }

    mutating func finish() -> String {
        SHA256.hexString(hash.finalize())
    }
}
