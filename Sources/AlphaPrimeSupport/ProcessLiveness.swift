#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a process that left a file behind (a `.partial`, a working folder) is gone, so the file
/// is a leftover to clear rather than another run's work in progress.
public enum ProcessLiveness {
    /// True only when no process `pid` exists (`kill(pid, 0)` says ESRCH); a process of another
    /// user (EPERM) still counts as running.
    public static func hasEnded(_ pid: Int32) -> Bool {
        pid > 0 && kill(pid, 0) == -1 && errno == ESRCH
    }
}
