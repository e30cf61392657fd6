import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// One engine per state database: an exclusive `flock` on a lock file next to a SQLite database
/// (`var/alpha_prime.db.engine.lock`), a session-level advisory lock on PostgreSQL (per schema). Both
/// are released by the operating system or the server when the process dies, even by `kill -9`.
/// The holder writes who it is (pid, host, mode, since) where a second engine can read it.
// @unchecked: `kind` changes only under `lock` (release may be called from deinit and by the owner).
public final class EngineLock: EngineLease, @unchecked Sendable {
    enum Kind {
        case file(fd: Int32, path: String)
        case postgres(database: any SQLDatabase, key: Int64)
        case none
    }

    private var kind: Kind
    private let lock = NSLock()

    private init(kind: Kind) { self.kind = kind }

    deinit { release() }

    /// The lock file of a SQLite database file, or nil for `:memory:` and PostgreSQL.
    public static func lockFilePath(_ url: DatabaseURL) -> String? {
        guard case .sqlite(let path) = url, path != ":memory:" else { return nil }
        return path + ".engine.lock"
    }

    /// Takes the lock or throws ``EngineLockedError`` naming the holder. PostgreSQL takes it on
    /// `database`, which must stay open for as long as the lock is held.
    public static func acquire(url: DatabaseURL, database: any SQLDatabase, holder: EngineLockHolder) throws -> EngineLock {
        switch url {
        case .sqlite(let path) where path == ":memory:":
            return EngineLock(kind: .none)
        case .sqlite:
            let path = lockFilePath(url)!
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw StoreError(.unavailable, backend: .sqlite, message: "cannot open the engine lock file \(path): \(String(cString: strerror(errno)))")
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let busy = errno == EWOULDBLOCK
                let reason = String(cString: strerror(errno))
                close(fd)
                if busy { throw EngineLockedError(holder: readHolder(path: path), location: path) }
                throw StoreError(.unavailable, backend: .sqlite, message: "cannot lock \(path): \(reason)")
            }
            let text = holder.text(separator: "\n") + "\n"
            _ = ftruncate(fd, 0)
            _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
            _ = fsync(fd)
            return EngineLock(kind: .file(fd: fd, path: path))
        case .postgres:
            let key = try advisoryKey(database)
            // PostgreSQL keeps 63 bytes of an application name: the start time is not put there (it
            // would be cut off) but read back from the session's start.
            var named = holder
            named.since = nil
            _ = try database.query("SELECT set_config('application_name', ?, false) AS name",
                                   [.text("alpha-prime engine " + named.text(separator: " ", includingSince: false))])
            let locked = try database.queryFirst("SELECT pg_try_advisory_lock(?) AS locked", [.integer(key)])?.bool("locked") ?? false
            guard locked else {
                let holder = try postgresHolder(database, key: key) ?? EngineLockHolder()
                // An engine of this machine that died (SIGKILL, a crash) holds the lock until the
                // server notices its connection closed: that connection is ended and the lock taken.
                if let pid = holder.pid, pid > 0, holder.host == ProcessInfo.processInfo.hostName,
                   kill(pid_t(pid), 0) != 0, errno == ESRCH, let backend = holder.backendPid {
                    _ = try? database.query("SELECT pg_terminate_backend(?) AS ended", [.integer(backend)])
                    for _ in 0..<50 {
                        if try database.queryFirst("SELECT pg_try_advisory_lock(?) AS locked", [.integer(key)])?.bool("locked") == true {
                            return EngineLock(kind: .postgres(database: database, key: key))
                        }
                        usleep(100_000)
                    }
                }
                throw EngineLockedError(holder: holder, location: database.location)
            }
            return EngineLock(kind: .postgres(database: database, key: key))
        }
    }

    /// Who holds the lock, without taking it; nil when no engine holds it.
    public static func holder(url: DatabaseURL, database: any SQLDatabase) throws -> EngineLockHolder? {
        switch url {
        case .sqlite(let path) where path == ":memory:":
            return nil
        case .sqlite:
            let path = lockFilePath(url)!
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            let holder = readHolder(path: path)
            if let held = FileLocks.isLocked(path: path) { return held ? holder : nil }
            // No /proc/locks: trust the pid when that process is alive.
            guard let pid = holder.pid, pid > 0, kill(pid_t(pid), 0) == 0 else { return nil }
            return holder
        case .postgres:
            return try postgresHolder(database, key: advisoryKey(database))
        }
    }

    public func release() {
        lock.lock()
        defer { lock.unlock() }
        switch kind {
        case .file(let fd, _):
            flock(fd, LOCK_UN)
            close(fd)
        case .postgres(let database, let key):
            _ = try? database.query("SELECT pg_advisory_unlock(?) AS unlocked", [.integer(key)])
        case .none:
            break
        }
        kind = .none
    }

    static func readHolder(path: String) -> EngineLockHolder {
        guard let data = FileManager.default.contents(atPath: path) else { return EngineLockHolder() }
        return EngineLockHolder.parse(String(decoding: data, as: UTF8.self))
    }

    /// The advisory lock key of the engine in the connection's schema.
    static func advisoryKey(_ database: any SQLDatabase) throws -> Int64 {
        let schema = try database.queryFirst("SELECT current_schema() AS schema")?.optionalString("schema") ?? "public"
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in "alpha_prime.engine:\(schema)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 1_099_511_628_211
        }
        return Int64(bitPattern: hash)
    }

    static func postgresHolder(_ database: any SQLDatabase, key: Int64) throws -> EngineLockHolder? {
        let bits = UInt64(bitPattern: key)
        let row = try database.queryFirst("""
            SELECT a.application_name AS name, a.pid AS backend,
                (EXTRACT(EPOCH FROM a.backend_start) * 1000000)::bigint AS started_us
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 1
            AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """, [.integer(Int64(bits >> 32)), .integer(Int64(bits & 0xFFFF_FFFF))])
        guard let row else { return nil }
        var holder = EngineLockHolder.parse(try row.optionalString("name") ?? "")
        holder.backendPid = try row.optionalInt64("backend")
        if let started = try row.optionalInt64("started_us") { holder.since = UTCTimestamp(microseconds: started).description }
        return holder
    }
}

/// Linux's table of file locks (`/proc/locks`).
enum FileLocks {
    /// Whether some process holds a `flock` on the file; nil when the table cannot be read.
    static func isLocked(path: String) -> Bool? {
        var info = stat()
        guard stat(path, &info) == 0, let table = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        let inode = UInt64(info.st_ino)
        // Linux's encoding of a device number: major in bits 8-19 and 32-43, minor in bits 0-7 and 20-31.
        let dev = UInt64(info.st_dev)
        let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~UInt64(0xfff))
        let minor = (dev & 0xff) | ((dev >> 12) & ~UInt64(0xff))
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // "1: FLOCK  ADVISORY  WRITE 12345 fd:01:123456 0 EOF" (blocked waiters have "->" first).
            guard fields.count >= 6, fields[1] == "FLOCK" else { continue }
            let id = fields[5].split(separator: ":")
            if id.count == 3, UInt64(id[2]) == inode, UInt64(id[0], radix: 16) == major, UInt64(id[1], radix: 16) == minor {
                return true
            }
        }
        return false
    }
}
