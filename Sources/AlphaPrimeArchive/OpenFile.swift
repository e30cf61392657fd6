#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One open file descriptor, closed when the value goes away. Reads and writes retry on EINTR and
/// report failures as `ArchiveError` naming the path.
final class OpenFile {
    let descriptor: Int32
    let path: String
    private var isOpen = true

    /// Opens an existing file for reading.
    init(reading path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw code == ENOENT ? ArchiveError.missingFile(path: path)
                : ArchiveError.unreadable(path: path, reason: Self.text(code))
        }
        descriptor = fd
        self.path = path
    }

    /// Creates a new file (never an existing one) for writing with the given permissions.
    init(creatingNew path: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ArchiveError.cantWrite(path: path, reason: Self.text(errno)) }
        descriptor = fd
        self.path = path
    }

    deinit {
        if isOpen { _ = systemClose(descriptor) }
    }

    /// The file's size in bytes.
    func size() throws -> UInt64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ArchiveError.unreadable(path: path, reason: Self.text(errno)) }
        return UInt64(info.st_size)
    }

    /// Reads up to `buffer.count` bytes; 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = systemRead(descriptor, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw ArchiveError.unreadable(path: path, reason: Self.text(errno)) }
        }
    }

    /// Calls `body` with each chunk of the file, in order, until its end.
    func readChunks(size: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try read(into: buffer)
            if n == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try Self.write(bytes, to: descriptor, path: path)
    }

    /// Writes all of `bytes` to a descriptor someone else owns; `path` names it in errors.
    static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw ArchiveError.cantWrite(path: path, reason: text(errno))
            }
            offset += n
        }
    }

    /// Flushes the file to the disk and closes it.
    func syncAndClose() throws {
        guard fsync(descriptor) == 0 else { throw ArchiveError.cantWrite(path: path, reason: "fsync: \(Self.text(errno))") }
        isOpen = false
        guard systemClose(descriptor) == 0 else { throw ArchiveError.cantWrite(path: path, reason: "close: \(Self.text(errno))") }
    }

    /// Flushes a directory's entries (a rename in it) to the disk.
    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ArchiveError.cantWrite(path: path, reason: "open directory: \(text(errno))") }
        defer { _ = systemClose(fd) }
        guard fsync(fd) == 0 else { throw ArchiveError.cantWrite(path: path, reason: "fsync directory: \(text(errno))") }
    }

    static func text(_ code: Int32) -> String { String(cString: strerror(code)) }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
private let systemClose = Glibc.close
#elseif canImport(Darwin)
private let systemRead = Darwin.read
private let systemWrite = Darwin.write
private let systemClose = Darwin.close
#endif
