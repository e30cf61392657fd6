#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlphaPrimeSupport
import Foundation

/// An archive file being written: a ustar archive compressed with zstd (`.tar.zst`), whose members
/// are followed by a `manifest.json` listing each one's name, size and SHA-256 (`ArchiveManifest`).
///
/// Members stream through tar and zstd into `.<final name>.<pid>.partial` in the same directory
/// (created new, mode 0600), so a member of any size is never held in memory. `commit` writes the
/// manifest, ends both formats, syncs the file to the disk, renames it to its final name and syncs
/// the directory: the final name only ever holds a whole, verified-to-disk archive. An archive not
/// committed (an error, `discard`, the value going away) leaves nothing behind but, after a crash,
/// its `.partial` file, which `removeStalePartials(in:)` clears once its process is gone.
public final class ArchiveFile {
    /// A member to write: its name in the archive, where its content comes from, its permissions.
    public struct Member: Sendable {
        public enum Content: Sendable {
            case bytes([UInt8])
            /// Streamed from the file, which must not change size while it is read.
            case file(URL)
        }

        public var name: String
        public var content: Content
        public var mode: UInt32

        public init(name: String, bytes: [UInt8], mode: UInt32 = 0o600) {
            self.init(name: name, content: .bytes(bytes), mode: mode)
        }

        public init(name: String, contentsOf file: URL, mode: UInt32 = 0o600) {
            self.init(name: name, content: .file(file), mode: mode)
        }

        public init(name: String, content: Content, mode: UInt32) {
            self.name = name
            self.content = content
            self.mode = mode
        }
    }

    private enum State { case open, failed, committed }

    /// The archive's final location.
    public let url: URL
    /// Where the archive is written until it is committed.
    public let partialURL: URL
    private let file: OpenFile
    private let compressor: ZstdCompressor
    private let tar: TarWriter
    private let modificationTime: Int64
    private var listed: [ArchiveManifest.Member] = []
    private var state = State.open

    /// Starts an archive to be committed at `url`, creating its directory if needed. Refuses when a
    /// file of that name exists. `modificationTime` is every member's time in the tar headers.
    public init(creating url: URL, level: Int32 = Zstd.defaultLevel, modificationTime: Date = Date()) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ArchiveError.cantWrite(path: directory.path, reason: "cannot create the directory: \(error.localizedDescription)")
        }
        guard !FileManager.default.fileExists(atPath: url.path) else { throw ArchiveError.cantWrite(path: url.path, reason: "the file already exists") }
        self.url = url
        partialURL = directory.appending(path: Self.partialName(for: url))
        let file = try OpenFile(creatingNew: partialURL.path, mode: 0o600)
        let compressor: ZstdCompressor
        do {
            compressor = try ZstdCompressor(level: level) { try file.write($0) }
        } catch {
            unlink(partialURL.path)
            throw error
        }
        self.file = file
        self.compressor = compressor
        tar = TarWriter { try compressor.write($0) }
        self.modificationTime = Int64(modificationTime.timeIntervalSince1970.rounded(.down))
    }

    deinit {
        if state != .committed { unlink(partialURL.path) }
    }

    /// Adds a member held in memory.
    public func add(name: String, bytes: [UInt8], mode: UInt32 = 0o600) throws {
        try add(Member(name: name, bytes: bytes, mode: mode))
    }

    /// Adds a member streamed from a file.
    public func add(name: String, contentsOf source: URL, mode: UInt32 = 0o600) throws {
        try add(Member(name: name, contentsOf: source, mode: mode))
    }

    /// Adds a member. A name the archive cannot hold is refused and leaves the archive as it was;
    /// any later failure (reading the source, writing the file) ends the archive and removes its
    /// partial file.
    public func add(_ member: Member) throws {
        guard member.name != ArchiveManifest.memberName else {
            throw ArchiveError.invalidMember(name: member.name, reason: "the name is reserved for the archive's manifest")
        }
        guard !listed.contains(where: { $0.name == member.name }) else {
            throw ArchiveError.invalidMember(name: member.name, reason: "a second member of this name")
        }
        _ = try TarHeader.split(member.name)
        try whileOpen {
            var digest = MemberDigest()
            switch member.content {
            case .bytes(let bytes):
                try writeMember(member, size: UInt64(bytes.count)) { write in try bytes.withUnsafeBytes { try write($0) } }
                bytes.withUnsafeBytes { digest.update($0) }
            case .file(let source):
                let input = try OpenFile(reading: source.path)
                let size = try input.size()
                try writeMember(member, size: size) { write in
                    var read: UInt64 = 0
                    try input.readChunks { chunk in
                        read += UInt64(chunk.count)
                        guard read <= size else { throw ArchiveError.invalidMember(name: member.name, reason: "\(source.path) grew while it was read") }
                        digest.update(chunk)
                        try write(chunk)
                    }
                    guard read == size else { throw ArchiveError.invalidMember(name: member.name, reason: "\(source.path) shrank while it was read") }
                }
            }
            listed.append(ArchiveManifest.Member(name: member.name, size: digest.size, sha256: digest.finish(), mode: member.mode))
        }
    }

    /// Writes the manifest (every member added, and `extra`), finishes the file and puts it under
    /// its final name. Returns the manifest written.
    @discardableResult
    public func commit(extra: [String: String] = [:]) throws -> ArchiveManifest {
        let manifest = ArchiveManifest(members: listed, extra: extra)
        try whileOpen {
            let bytes = try manifest.encoded()
            try tar.addMember(name: ArchiveManifest.memberName, bytes: bytes, mode: 0o600, modificationTime: modificationTime)
            try tar.finish()
            try compressor.finish()
            try file.syncAndClose()
            guard !FileManager.default.fileExists(atPath: url.path) else { throw ArchiveError.cantWrite(path: url.path, reason: "the file already exists") }
            guard rename(partialURL.path, url.path) == 0 else { throw ArchiveError.cantWrite(path: url.path, reason: "rename: \(OpenFile.text(errno))") }
            state = .committed
            try OpenFile.syncDirectory(url.deletingLastPathComponent().path)
        }
        return manifest
    }

    /// Abandons the archive and removes its partial file.
    public func discard() {
        if state != .committed {
            state = .failed
            unlink(partialURL.path)
        }
    }

    /// Writes a whole archive: `members` in order, then the manifest with `extra`.
    @discardableResult
    public static func write(to url: URL, members: [Member], extra: [String: String] = [:],
                             level: Int32 = Zstd.defaultLevel, modificationTime: Date = Date()) throws -> ArchiveManifest {
        let archive = try ArchiveFile(creating: url, level: level, modificationTime: modificationTime)
        for member in members { try archive.add(member) }
        return try archive.commit(extra: extra)
    }

    /// The name of the partial file of an archive written to `url` by process `pid`.
    public static func partialName(for url: URL, pid: Int32 = getpid()) -> String {
        ".\(url.lastPathComponent).\(pid).partial"
    }

    /// Removes the `.partial` files in `directory` whose writing process no longer runs, and
    /// returns them. A missing directory has none.
    @discardableResult
    public static func removeStalePartials(in directory: URL) throws -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch CocoaError.fileReadNoSuchFile {
            return []
        } catch {
            throw ArchiveError.unreadable(path: directory.path, reason: error.localizedDescription)
        }
        var removed: [URL] = []
        for name in names.sorted() where name.hasPrefix(".") && name.hasSuffix(".partial") {
            guard let pidText = name.dropLast(".partial".count).split(separator: ".").last,
                  let pid = Int32(pidText), ProcessLiveness.hasEnded(pid)
            else { continue }
            let stale = directory.appending(path: name)
            guard unlink(stale.path) == 0 else { throw ArchiveError.cantWrite(path: stale.path, reason: "unlink: \(OpenFile.text(errno))") }
            removed.append(stale)
        }
        return removed
    }

    private func writeMember(_ member: Member, size: UInt64,
                             content: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        try tar.beginMember(TarHeader(name: member.name, size: size, mode: member.mode, modificationTime: modificationTime))
        try content { try tar.writeContent($0) }
        try tar.endMember()
    }

    /// Runs a step of writing; an error in it leaves the archive failed and its partial file removed.
    private func whileOpen(_ body: () throws -> Void) throws {
        switch state {
        case .open: break
        case .failed: throw ArchiveError.cantWrite(path: url.path, reason: "an earlier error or a discard ended this archive")
        case .committed: throw ArchiveError.cantWrite(path: url.path, reason: "the archive is already committed")
        }
        do {
            try body()
        } catch {
            if state != .committed {
                state = .failed
                unlink(partialURL.path)
            }
            throw error
        }
    }
}
