import AlphaPrimeSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a file (created if missing): one run of a tool at a time (`cleanup-logs`,
/// `archive`). Held until the value goes away or the process ends. The holder's pid is written
/// into the file for the message of the next one.
final class ExclusiveFileLock {
    private let descriptor: Int32

    /// Takes the lock, or throws what `whenHeld` makes of the holder's pid when another process
    /// holds it; a file that cannot be opened or locked is ``AtomicFile/WriteError`` (exit 73).
    init(path: String, mode: mode_t = 0o640, whenHeld: (_ holder: String?) -> any Error) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { throw AtomicFile.WriteError(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(fd)
            if busy {
                let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                throw whenHeld(holder?.isEmpty == false ? holder : nil)
            }
            throw AtomicFile.WriteError(path: path, reason: "flock: \(reason)")
        }
        descriptor = fd
        let text = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
