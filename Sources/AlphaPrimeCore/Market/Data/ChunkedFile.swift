#if canImport(Glibc)
import AlphaPrimeSupport
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read in pieces that end at line ends.
enum ChunkedFile {
    /// Calls `body(p, start, end, fileSize)` for consecutive regions of whole lines (the last may end
    /// without a newline), reading `chunkSize` bytes at a time; optionally hashes the bytes (FNV-1a 64).
    @discardableResult
    static func forEachLineRegion(path: String, chunkSize: Int = 4 << 20, hashing: Bool = false,
                                  _ body: (UnsafePointer<UInt8>, Int, Int, Int) throws -> Void) throws -> (size: Int, checksum: UInt64?) {
        let file = try OpenedFile(path: path)
        defer { file.close() }
        return try forEachLineRegion(file, from: 0, to: .max, chunkSize: chunkSize, hashing: hashing) { p, start, end in
            try body(p, start, end, file.size)
        }
    }

    /// The same over the bytes `[from, to)` of an open file (`to` past its end: to the end), read
    /// with `pread`, so several threads can each read their own range of one descriptor.
    @discardableResult
    static func forEachLineRegion(_ file: OpenedFile, from: Int, to: Int, chunkSize: Int = 4 << 20, hashing: Bool = false,
                                  _ body: (UnsafePointer<UInt8>, Int, Int) throws -> Void) throws -> (size: Int, checksum: UInt64?) {
        var capacity = max(chunkSize, 1 << 12)
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var filled = 0  // bytes in the buffer; [0, filled)
        var hash = FNV1a64.offsetBasis
        var offset = from
        while true {
            if filled == capacity {
                // A line longer than the buffer: grow it.
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                bigger.update(from: buffer, count: filled)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let wanted = min(capacity - filled, to - offset)
            let n = wanted > 0 ? pread(file.descriptor, buffer + filled, wanted, off_t(offset)) : 0
            if n < 0 {
                if errno == EINTR { continue }
                throw MarketDataError.missingFile(path: file.path, reason: String(cString: strerror(errno)))
            }
            if hashing && n > 0 { hash = FNV1a64.hash(UnsafeRawBufferPointer(start: buffer + filled, count: n), seed: hash) }
            offset += n
            if n == 0 {
                if filled > 0 { try body(buffer, 0, filled) }
                break
            }
            filled += n
            // Hand over everything up to the last newline; keep the partial line.
            var last = filled - 1
            while last >= 0 && buffer[last] != Byte.newline { last -= 1 }
            if last < 0 { continue }
            try body(buffer, 0, last + 1)
            let rest = filled - (last + 1)
            if rest > 0 { buffer.update(from: buffer + last + 1, count: rest) }
            filled = rest
        }
        return (offset - from, hashing ? hash : nil)
    }
}

/// A file opened for reading, with its size: not a directory. The caller closes it.
struct OpenedFile: Sendable {
    let path: String
    let descriptor: Int32
    let size: Int

    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MarketDataError.missingFile(path: path, reason: String(cString: strerror(errno))) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = String(cString: strerror(errno))
            closeDescriptor(fd)
            throw MarketDataError.missingFile(path: path, reason: reason)
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            closeDescriptor(fd)
            throw MarketDataError.missingFile(path: path, reason: "is a directory")
        }
        self.path = path
        self.descriptor = fd
        self.size = Int(st.st_size)
    }

    func close() { closeDescriptor(descriptor) }

    /// Where the first line that starts at or after `offset` begins (the file's size when none does).
    func lineStart(atOrAfter offset: Int) throws -> Int {
        guard offset > 0 else { return 0 }
        var position = offset - 1  // a line starts at `offset` when the byte before it ends one
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while position < size {
            let n = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(position)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw MarketDataError.missingFile(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            if let k = buffer[0..<n].firstIndex(of: Byte.newline) { return position + k + 1 }
            position += n
        }
        return size
    }

    /// How many line feeds the bytes `[from, to)` hold.
    func lineFeeds(from: Int, to: Int) throws -> Int {
        var count = 0
        try ChunkedFile.forEachLineRegion(self, from: from, to: to, chunkSize: 1 << 20) { p, start, end in
            var q = start
            while q < end, let hit = memchr(p + q, Int32(Byte.newline), end - q) {
                count += 1
                q = p.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
            }
        }
        return count
    }
}

private func closeDescriptor(_ fd: Int32) { _ = close(fd) }
