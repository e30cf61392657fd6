import AlphaPrimeSupport
import AlphaPrimeDomain

/// What `cleanup-logs` does to the files of `logs/`, decided from their names, sizes and first
/// lines before anything is touched (so `--dry-run` prints exactly what a run would do).
///
/// The rules, for the files the platform writes (``LogFile``) and their copies only:
/// 1. A live file that is not empty is **rotated** (renamed to `<name>.<UTC stamp>`) when it is
///    larger than `logging.max_file_size_mb`, or when its first line was written on an earlier IST
///    day than the run's (so a daily run leaves one copy per day, whatever the hour it runs at). A
///    file whose first line carries no readable timestamp is rotated by size only.
/// 2. Every rotated copy not yet compressed is **compressed** into `<copy>.zst`; the uncompressed
///    copy is removed only once the compressed one is whole on disk and holds every byte.
/// 3. A compressed copy **rotated** more than `logging.retention_days` days before the run (by the
///    stamp in its name) is **deleted**.
/// 4. A temporary file an interrupted run left behind (`.<copy>.zst.….tmp`) is removed.
///
/// Everything else in `logs/` is left alone.
public enum LogRotationPlan {
    public struct Policy: Sendable, Equatable {
        /// A live file larger than this is rotated.
        public var maxBytes: Int64
        public var retentionDays: Int
        /// The live files that may be rotated, and whose copies are compressed and expired.
        public var files: [String]

        public init(maxBytes: Int64, retentionDays: Int, files: [String] = LogFile.allCases.map(\.fileName)) {
            self.maxBytes = maxBytes
            self.retentionDays = retentionDays
            self.files = files
        }
    }

    /// A file found in `logs/`.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var bytes: Int64
        /// UTC epoch milliseconds of the first line of a live file; nil when empty or not readable.
        public var firstLineAt: Int64?

        public init(name: String, bytes: Int64, firstLineAt: Int64? = nil) {
            self.name = name
            self.bytes = bytes
            self.firstLineAt = firstLineAt
        }
    }

    public enum RotationReason: Sendable, Equatable {
        /// Larger than the limit (bytes).
        case size(limit: Int64)
        /// Its first line (UTC epoch milliseconds) was written on an earlier IST day.
        case earlierDay(firstLineAt: Int64)
    }

    public enum Action: Sendable, Equatable {
        case rotate(file: String, to: String, bytes: Int64, reason: RotationReason)
        case compress(file: String, to: String, bytes: Int64)
        case delete(file: String, bytes: Int64, rotatedAt: Int64)
        case removeLeftover(file: String, bytes: Int64)

        /// The file the action is about.
        public var file: String {
            switch self {
            case .rotate(let f, _, _, _), .compress(let f, _, _), .delete(let f, _, _), .removeLeftover(let f, _): f
            }
        }
    }

    /// The actions, in the order they are carried out: leftovers, rotations, compressions (of the
    /// copies just rotated and of any left uncompressed before), deletions.
    /// - Parameter now: the run's time, UTC epoch seconds; it is also the new copies' stamp.
    public static func actions(for entries: [Entry], policy: Policy, now: Int64) -> [Action] {
        let managed = Set(policy.files)
        var taken = Set(entries.map(\.name))
        var leftovers: [Action] = [], rotations: [Action] = [], compressions: [Action] = [], deletions: [Action] = []
        let today = IST.dateTime(epochSeconds: now).date
        let oldestKept = now - Int64(policy.retentionDays) * 86_400

        for entry in entries.sorted(by: { $0.name < $1.name }) {
            if isLeftover(entry.name, managed: managed) {
                leftovers.append(.removeLeftover(file: entry.name, bytes: entry.bytes))
                continue
            }
            guard let name = LogFileName(entry.name), managed.contains(name.base) else { continue }
            if let rotatedAt = name.rotatedAt {
                if !name.compressed {
                    compressions.append(.compress(file: entry.name, to: name.compressedName.description, bytes: entry.bytes))
                } else if rotatedAt < oldestKept {
                    deletions.append(.delete(file: entry.name, bytes: entry.bytes, rotatedAt: rotatedAt))
                }
                continue
            }
            guard entry.bytes > 0 else { continue }
            let reason: RotationReason
            if entry.bytes > policy.maxBytes {
                reason = .size(limit: policy.maxBytes)
            } else if let first = entry.firstLineAt, IST.dateTime(epochMilliseconds: first).date < today {
                reason = .earlierDay(firstLineAt: first)
            } else {
                continue
            }
            var copy = LogFileName(base: name.base, rotatedAt: now)
            while taken.contains(copy.description) || taken.contains(copy.compressedName.description) {
                copy = LogFileName(base: name.base, rotatedAt: now, sequence: copy.sequence + 1)
            }
            taken.insert(copy.description)
            rotations.append(.rotate(file: entry.name, to: copy.description, bytes: entry.bytes, reason: reason))
            compressions.append(.compress(file: copy.description, to: copy.compressedName.description, bytes: entry.bytes))
        }
        return leftovers + rotations + compressions + deletions
    }

    /// A temporary file of an interrupted compression: `.<copy>.zst.<anything>.tmp`.
    static func isLeftover(_ name: String, managed: Set<String>) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        let inner = name.dropFirst()
        guard let zst = inner.range(of: LogFileName.compressedSuffix + ".") else { return false }
        guard let copy = LogFileName(String(inner[..<zst.upperBound].dropLast())) else { return false }
        return copy.compressed && managed.contains(copy.base)
    }
}
