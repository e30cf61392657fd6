#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads archive files written by `ArchiveFile`. Every read is a full pass that checks the whole
/// file: the zstd frame and its checksum, every tar header, the end marker, the manifest, and each
/// member's size, SHA-256 and mode against it, with no member missing and none unlisted. A member's
/// content is handed out only after the whole check has passed.
public enum ArchiveReader {
    /// Checks the archive at `url` and returns its manifest.
    public static func verify(_ url: URL) throws -> ArchiveManifest {
        try ArchiveScan.run(path: url.path)
    }

    /// The content of one member, held in memory (for small members; see `extract(_:members:into:)`
    /// for large ones).
    public static func extract(_ url: URL, member name: String) throws -> [UInt8] {
        var content: [UInt8]?
        _ = try ArchiveScan.run(path: url.path, sink: { header in
            guard header.name == name else { return nil }
            content = []
            content?.reserveCapacity(Int(clamping: header.size))
            return { content?.append(contentsOf: $0) }
        })
        guard let content else { throw ArchiveError.missingFile(path: "\(url.path) member \(name)") }
        return content
    }

    /// Calls `body` with each member, in the archive's order, with its content in memory, once
    /// the whole archive has been checked. Returns the manifest.
    @discardableResult
    public static func forEachMember(in url: URL, _ body: (ArchiveManifest.Member, [UInt8]) throws -> Void) throws -> ArchiveManifest {
        var contents: [String: [UInt8]] = [:]
        let manifest = try ArchiveScan.run(path: url.path, sink: { header in
            contents[header.name] = []
            return { contents[header.name, default: []].append(contentsOf: $0) }
        })
        for member in manifest.members { try body(member, contents[member.name] ?? []) }
        return manifest
    }

    /// Writes members (all, or those named in `members`) to files under `directory`, streamed, each
    /// at its name (subdirectories created) with its mode. Each file is written aside and put in
    /// place only when the whole archive has checked out; an existing file is never replaced.
    /// Returns the manifest.
    @discardableResult
    public static func extract(_ url: URL, members: Set<String>? = nil, into directory: URL) throws -> ArchiveManifest {
        let extraction = Extraction(directory: directory)
        let manifest = try ArchiveScan.run(path: url.path, sink: { header in
            guard members?.contains(header.name) ?? true else { return nil }
            return try extraction.begin(header)
        }, memberEnd: { header in
            try extraction.end(header)
        })
        if let members, let absent = members.first(where: { manifest.member(named: $0) == nil }) {
            throw ArchiveError.missingFile(path: "\(url.path) member \(absent)")
        }
        try extraction.commit()
        return manifest
    }
}

/// The files of one extraction: written as `.<name>.<pid>.partial` beside their final place,
/// renamed when the archive has checked out, removed otherwise.
private final class Extraction {
    let directory: URL
    private var pending: [(partial: String, final: String)] = []
    private var current: OpenFile?
    private var committed = false

    init(directory: URL) {
        self.directory = directory
    }

    deinit {
        if !committed { for file in pending { unlink(file.partial) } }
    }

    func begin(_ header: TarHeader) throws -> ArchiveScan.Sink {
        let final = directory.appending(path: header.name)
        let folder = final.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ArchiveError.cantWrite(path: folder.path, reason: "cannot create the directory: \(error.localizedDescription)")
        }
        guard !FileManager.default.fileExists(atPath: final.path) else { throw ArchiveError.cantWrite(path: final.path, reason: "the file already exists") }
        let partial = folder.appending(path: ArchiveFile.partialName(for: final)).path
        let file = try OpenFile(creatingNew: partial, mode: mode_t(header.mode & 0o777))
        pending.append((partial, final.path))
        current = file
        return { try file.write($0) }
    }

    func end(_ header: TarHeader) throws {
        try current?.syncAndClose()
        current = nil
    }

    func commit() throws {
        var folders = Set<String>()
        for file in pending {
            guard !FileManager.default.fileExists(atPath: file.final) else { throw ArchiveError.cantWrite(path: file.final, reason: "the file already exists") }
            guard rename(file.partial, file.final) == 0 else { throw ArchiveError.cantWrite(path: file.final, reason: "rename: \(OpenFile.text(errno))") }
            folders.insert((file.final as NSString).deletingLastPathComponent)
        }
        committed = true
        for folder in folders.sorted() { try OpenFile.syncDirectory(folder) }
    }
}
