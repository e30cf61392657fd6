/// One pass over an archive file: decompress it, read the tar stream, hash every member as it
/// passes, read the manifest it ends with, and check the two against each other. Each member's
/// content can also go to a sink chosen when its header is read.
///
/// Nothing the pass hands out is known good until `run` returns: a damaged byte may show only at
/// the end (zstd's checksum, a member's SHA-256), so whoever writes content out keeps it aside until
/// then.
enum ArchiveScan {
    typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    /// The largest manifest a reader accepts; a real one is a few kilobytes.
    static let manifestLimit: UInt64 = 16 << 20

    private struct Found {
        var header: TarHeader
        var sha256: String
    }

    /// Reads and checks the archive at `path`. `sink` is asked for each member other than the
    /// manifest (nil: the content is only hashed); `memberEnd` hears when a member's content is
    /// complete. Returns the checked manifest.
    static func run(path: String, sink: @escaping (TarHeader) throws -> Sink? = { _ in nil },
                    memberEnd: @escaping (TarHeader) throws -> Void = { _ in }) throws -> ArchiveManifest {
        var found: [Found] = []
        var manifestBytes: [UInt8]?
        var manifestCollected: [UInt8] = []
        var readingManifest = false
        var digest = MemberDigest()
        var currentSink: Sink?
        let tar = TarReader(source: path) { event in
            switch event {
            case .member(let header):
                if manifestBytes != nil {
                    throw ArchiveError.damaged(path: path, member: header.name, reason: "a member after the manifest")
                }
                if found.contains(where: { $0.header.name == header.name }) {
                    throw ArchiveError.damaged(path: path, member: header.name, reason: "a second member of this name")
                }
                digest = MemberDigest()
                readingManifest = header.name == ArchiveManifest.memberName
                if readingManifest {
                    guard header.size <= manifestLimit else {
                        throw ArchiveError.damaged(path: path, member: header.name, reason: "\(header.size) bytes, more than a manifest may have")
                    }
                    manifestCollected = []
                    currentSink = nil
                } else {
                    currentSink = try sink(header)
                }
            case .content(let bytes):
                digest.update(bytes)
                try currentSink?(bytes)
                if readingManifest { manifestCollected.append(contentsOf: bytes) }
            case .memberEnd(let header):
                if readingManifest {
                    manifestBytes = manifestCollected
                } else {
                    found.append(Found(header: header, sha256: digest.finish()))
                    try memberEnd(header)
                }
            }
        }
        let decompressor = try ZstdDecompressor(source: path) { try tar.feed($0) }
        try OpenFile(reading: path).readChunks { try decompressor.feed($0) }
        try decompressor.finish()
        try tar.finish()
        guard let manifestBytes else { throw ArchiveError.damaged(path: path, member: nil, reason: "no \(ArchiveManifest.memberName)") }
        let manifest = try ArchiveManifest.decode(manifestBytes, path: path)
        try check(manifest, against: found, path: path)
        return manifest
    }

    /// Every member listed is in the archive with the listed size, SHA-256 and mode; every member in
    /// the archive is listed, once.
    private static func check(_ manifest: ArchiveManifest, against found: [Found], path: String) throws {
        var listed = Set<String>()
        for entry in manifest.members {
            guard listed.insert(entry.name).inserted else {
                throw ArchiveError.damaged(path: path, member: ArchiveManifest.memberName, reason: "lists \(entry.name) twice")
            }
            guard let member = found.first(where: { $0.header.name == entry.name }) else {
                throw ArchiveError.damaged(path: path, member: entry.name, reason: "listed in the manifest but not in the archive")
            }
            guard member.header.size == entry.size else {
                throw ArchiveError.damaged(path: path, member: entry.name, reason: "\(member.header.size) bytes, the manifest says \(entry.size)")
            }
            guard member.sha256 == entry.sha256 else {
                throw ArchiveError.damaged(path: path, member: entry.name, reason: "the content does not match its SHA-256 in the manifest")
            }
            guard member.header.mode == entry.mode else {
                let modes = (String(member.header.mode, radix: 8), String(entry.mode, radix: 8))
                throw ArchiveError.damaged(path: path, member: entry.name, reason: "mode \(modes.0), the manifest says \(modes.1)")
            }
        }
        if let unlisted = found.first(where: { !listed.contains($0.header.name) }) {
            throw ArchiveError.damaged(path: path, member: unlisted.header.name, reason: "in the archive but not listed in the manifest")
        }
    }
}
