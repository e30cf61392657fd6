import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import Logging

/// The engine's live state in Redis (docs/engine.md, "Live-state cache"): one key per account,
/// `alpha_prime:live:<mode>`, holding the latest ``LiveStateSnapshot`` as JSON with an expiry, so
/// a copy no engine refreshes is gone within ``RedisLiveStateMirror/ttlSeconds``.
public enum RedisLiveState {
    public static func key(_ mode: TradingMode) -> String { "alpha_prime:live:\(mode.rawValue)" }

    /// The snapshot in the cache, or nil when there is none (expired, or no engine wrote one).
    public static func read(_ url: RedisURL, mode: TradingMode, timeout: Double = 1) throws(RedisError) -> LiveStateSnapshot? {
        let connection = try RedisConnection(url, timeout: timeout)
        guard case .string(let json) = try connection.command(["GET", key(mode)]) else { return nil }
        return try? JSONDecoder().decode(LiveStateSnapshot.self, from: Data(json.utf8))
    }

    /// Whether Redis answers `PING` (health-check).
    public static func ping(_ url: RedisURL, timeout: Double = 1) throws(RedisError) {
        let connection = try RedisConnection(url, timeout: timeout)
        let reply = try connection.command(["PING"])
        guard reply == .status("PONG") else { throw RedisError.failed(url.description, "PING answered \(reply)") }
    }
}

/// Mirrors the engine's live state into Redis on a thread of its own. ``publish(_:)`` only puts
/// the snapshot in a one-place slot (a newer one replaces one not yet written) and returns: the
/// engine never waits for Redis. When Redis is down the writes fail, the outage is logged once, the
/// connection is tried again with a back-off (1 s doubling to 30 s) and logged again when it is back.
public final class RedisLiveStateMirror: LiveStateSink, @unchecked Sendable {
    public let url: RedisURL
    public let ttlSeconds: Int
    let logger: Logger
    private let condition = NSCondition()
    private var pending: LiveStateSnapshot?
    private var stopping = false
    private var finished = false
    private var connection: RedisConnection?
    private var retryAt: Date = .distantPast
    private var backoff: Double = 1
    private var down = false
    private var written: Set<TradingMode> = []
    /// Snapshots written and writes that failed (for tests and the benchmark).
    public private(set) var writes = 0
    public private(set) var failures = 0

    public init(url: RedisURL, ttlSeconds: Int = 30, logger: Logger) {
        self.url = url
        self.ttlSeconds = ttlSeconds
        self.logger = logger
        let thread = Thread { self.loop() }
        thread.name = "alpha_prime.redis"
        thread.start()
    }

    public func publish(_ snapshot: LiveStateSnapshot) {
        condition.lock()
        pending = snapshot
        condition.signal()
        condition.unlock()
    }

    /// Writes what is waiting, removes the keys this mirror wrote (the engine is no longer running,
    /// so readers go back to the database) and ends the thread; waits at most `timeout` seconds.
    public func stop(timeout: Double = 3) {
        condition.lock()
        stopping = true
        condition.signal()
        let deadline = Date().addingTimeInterval(timeout)
        while !finished, condition.wait(until: deadline) {}
        condition.unlock()
    }

    public var counts: (writes: Int, failures: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (writes, failures)
    }

    private func loop() {
        condition.lock()
        while true {
            while pending == nil && !stopping { condition.wait() }
            let snapshot = pending
            pending = nil
            let ending = stopping
            condition.unlock()
            if let snapshot { write(snapshot) }
            if ending {
                removeKeys()
                condition.lock()
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            condition.lock()
        }
    }

    private func write(_ snapshot: LiveStateSnapshot) {
        guard Date() >= retryAt else { return }  // down: this snapshot is skipped; a later one tries again
        do {
            let connection = try self.connection ?? RedisConnection(url)
            self.connection = connection
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let json = String(decoding: try encoder.encode(snapshot), as: UTF8.self)
            try connection.command(["SET", RedisLiveState.key(snapshot.mode), json, "EX", String(ttlSeconds)])
            condition.lock()
            writes += 1
            written.insert(snapshot.mode)
            condition.unlock()
            if down {
                down = false
                backoff = 1
                logger.notice("the live-state cache is reachable again", metadata: ["redis": "\(url)"])
            }
        } catch {
            connection = nil
            condition.lock()
            failures += 1
            condition.unlock()
            if !down {
                down = true
                logger.warning("the live-state cache cannot be written; trading goes on, and it is tried again",
                               metadata: ["redis": "\(url)", "error": "\(error)"])
            }
            retryAt = Date().addingTimeInterval(backoff)
            backoff = min(30, backoff * 2)
        }
    }

    private func removeKeys() {
        condition.lock()
        let modes = written
        condition.unlock()
        guard !modes.isEmpty, let connection = connection ?? (try? RedisConnection(url)) else { return }
        for mode in modes { _ = try? connection.command(["DEL", RedisLiveState.key(mode)]) }
    }
}
