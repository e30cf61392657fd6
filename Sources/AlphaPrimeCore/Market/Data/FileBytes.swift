#if canImport(Glibc)
import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Whole files read into memory in one go, and the facts the bar cache keys on.
enum FileBytes {
    /// The size, modification time and identity of a file, from one `stat`.
    struct Status: Hashable, Sendable {
        var size: Int64
        var modifiedNanoseconds: Int64
    }

    static func status(_ path: String) -> Status? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if canImport(Darwin)
        let ns = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #else
        let ns = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #endif
        return Status(size: Int64(st.st_size), modifiedNanoseconds: ns)
    }

    /// The bytes of a file, or ``MarketDataError/missingFile(path:reason:)``.
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MarketDataError.missingFile(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw MarketDataError.missingFile(path: path, reason: String(cString: strerror(errno))) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw MarketDataError.missingFile(path: path, reason: "is a directory") }
        let size = Int(st.st_size)
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var offset = 0
            while offset < size {
                let n = Foundation.read(fd, buffer.baseAddress! + offset, size - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    break
                }
                if n == 0 { break }
                offset += n
            }
            initialized = offset
        }
        if let failure { throw MarketDataError.missingFile(path: path, reason: failure) }
        return bytes
    }

    /// Reads exactly `count` bytes at `offset` into `destination`; false on a short read.
    static func pread(_ fd: Int32, into destination: UnsafeMutableRawPointer, count: Int, at offset: Int64) -> Bool {
        var done = 0
        while done < count {
            let n = Foundation.pread(fd, destination + done, count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            if n == 0 { return false }
            done += n
        }
        return true
    }
}

/// 64-bit FNV-1a: a fast, non-cryptographic checksum of a file's bytes, used to notice that a
/// market-data file changed under its cached copy.
public enum FNV1a64 {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = offsetBasis) -> UInt64 {
        var h = seed
        for b in bytes {
            h ^= UInt64(b)
            h = h &* prime
        }
        return h
    }

    public static func hash(_ bytes: [UInt8], seed: UInt64 = offsetBasis) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    /// The checksum of a file's bytes, read in pieces.
    public static func hash(file path: String) throws -> UInt64 {
        try ChunkedFile.forEachLineRegion(path: path, hashing: true) { _, _, _, _ in }.checksum!
    }

    public static func hash(_ text: String, seed: UInt64 = offsetBasis) -> UInt64 {
        hash(Array(text.utf8), seed: seed)
    }
}

extension FileBytes {
    /// Asks the kernel to back the whole 2 MB pages inside a large new buffer with huge pages: one
    /// page fault per 2 MB instead of 512, for the columns of a million bars (about a tenth of the
    /// read). Only advice: where transparent huge pages are off it changes nothing.
    static func adviseHugePages(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        let huge = 2 << 20
        let first = (Int(bitPattern: start) + huge - 1) / huge * huge
        let last = (Int(bitPattern: start) + bytes) / huge * huge
        guard last > first, let base = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(base, last - first, MADV_HUGEPAGE)
        #endif
    }
}
