import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeLogs
import AlphaPrimeArchive
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Carries out ``LogRotationPlan`` on a logs directory: renames, compresses with zstd, deletes.
///
/// No line is lost while writers append: a rotation is a rename, and every writer (``LogFileSink``)
/// re-opens its path within a second, so the run waits ``settle`` after renaming before it compresses;
/// the compressed copy is written to a temporary name, fsynced and renamed into place, and the
/// uncompressed copy is removed only when its size is still the number of bytes compressed (a late
/// line makes it compress again).
struct LogCleanupJob {
    let directory: URL
    let policy: LogRotationPlan.Policy
    var settle: Duration = .seconds(2)
    var compressionLevel: Int32 = Zstd.defaultLevel
    let logger: Logger

    /// One action as carried out (or, in a dry run, as it would be).
    struct Record: Encodable, Equatable {
        var action: String
        var file: String
        var to: String?
        var bytes: Int64
        var compressedBytes: Int64?
        var reason: String
        var done: Bool

        enum CodingKeys: String, CodingKey {
            case action, file, to, bytes, compressedBytes = "compressed_bytes", reason, done
        }
    }

    /// The files of the directory, with the first line's time of each live file the plan may rotate.
    func scan() throws -> [LogRotationPlan.Entry] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw LogToolError.noLogsDirectory(path: directory.path)
        }
        let managed = Set(policy.files)
        return names.compactMap { name in
            let path = directory.appending(path: name).path
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            let bytes = Int64(info.st_size)
            let first = managed.contains(name) && bytes > 0 ? LogFileReader.firstLineTimestamp(path) : nil
            return LogRotationPlan.Entry(name: name, bytes: bytes, firstLineAt: first)
        }
    }

    /// Carries out `actions` in order; with `dryRun`, only says what each would do.
    func run(_ actions: [LogRotationPlan.Action], dryRun: Bool, each: (Record) -> Void) throws -> [Record] {
        var records: [Record] = []
        func report(_ r: Record) { records.append(r); each(r) }
        var rotated = false
        for action in actions {
            switch action {
            case .removeLeftover(let file, let bytes):
                if !dryRun { try remove(file) }
                report(Record(action: "remove_leftover", file: file, bytes: bytes, reason: "left by an interrupted run", done: !dryRun))
            case .rotate(let file, let to, let bytes, let reason):
                if !dryRun {
                    guard rename(path(file), path(to)) == 0 else {
                        throw LogToolError.cannotWrite(path: path(file), reason: "rename to \(to): \(errnoText())")
                    }
                    syncDirectory()
                    rotated = true
                    logger.notice("log rotated", metadata: ["file": "\(file)", "to": "\(to)", "bytes": "\(bytes)"])
                }
                report(Record(action: "rotate", file: file, to: to, bytes: bytes, reason: Self.describe(reason), done: !dryRun))
            case .compress(let file, let to, let bytes):
                if dryRun {
                    report(Record(action: "compress", file: file, to: to, bytes: bytes, reason: "a rotated copy", done: false))
                    continue
                }
                if rotated {
                    // Writers re-open their paths within a second; their last lines reach the copy first.
                    Thread.sleep(forTimeInterval: Double(settle.components.seconds) + Double(settle.components.attoseconds) / 1e18)
                    rotated = false
                }
                report(try compress(file, to: to))
            case .delete(let file, let bytes, let rotatedAt):
                if !dryRun {
                    try remove(file)
                    logger.notice("log deleted", metadata: ["file": "\(file)", "bytes": "\(bytes)"])
                }
                report(Record(action: "delete", file: file, bytes: bytes,
                              reason: "rotated \(IST.dateTime(epochSeconds: rotatedAt)), more than \(policy.retentionDays) days ago",
                              done: !dryRun))
            }
        }
        return records
    }

    /// Compresses a rotated copy and removes it once the compressed copy holds every byte of it.
    private func compress(_ file: String, to: String, attempts: Int = 5) throws -> Record {
        for attempt in 1...attempts {
            let result: ZstdFile.Compressed
            do {
                result = try ZstdFile.compress(path(file), to: path(to), level: compressionLevel)
            } catch let error as ArchiveError {
                if case .cantWrite(let p, let reason) = error { throw LogToolError.cannotWrite(path: p, reason: reason) }
                throw error
            }
            var info = stat()
            guard stat(path(file), &info) == 0 else { throw LogToolError.cannotWrite(path: path(file), reason: errnoText()) }
            if UInt64(info.st_size) == result.inputBytes {
                try remove(file)
                logger.notice("log compressed", metadata: [
                    "file": "\(file)", "to": "\(to)", "bytes": "\(result.inputBytes)", "compressed_bytes": "\(result.outputBytes)"])
                return Record(action: "compress", file: file, to: to, bytes: Int64(result.inputBytes),
                              compressedBytes: Int64(result.outputBytes), reason: "a rotated copy", done: true)
            }
            if attempt < attempts { Thread.sleep(forTimeInterval: 1) }
        }
        logger.warning("a rotated log is still being written; left uncompressed for the next run", metadata: ["file": "\(file)"])
        return Record(action: "compress", file: file, to: to, bytes: 0, reason: "still being written: kept as it is for the next run",
                      done: false)
    }

    private func path(_ name: String) -> String { directory.appending(path: name).path }

    private func remove(_ name: String) throws {
        guard unlink(path(name)) == 0 || errno == ENOENT else {
            throw LogToolError.cannotWrite(path: path(name), reason: "remove: \(errnoText())")
        }
        syncDirectory()
    }

    private func syncDirectory() {
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    private func errnoText() -> String { String(cString: strerror(errno)) }

    static func describe(_ reason: LogRotationPlan.RotationReason) -> String {
        switch reason {
        case .size(let limit): "larger than \(LogCleanupText.bytes(limit))"
        case .earlierDay(let first): "first line written \(IST.dateTime(epochMilliseconds: first)), an earlier day"
        }
    }
}
