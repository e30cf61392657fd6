import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import Logging

/// Sends alerts on a thread of its own, so that raising one never waits for a mail server or
/// Telegram: the engine hands an alert over and goes on.
///
/// - **Deduplicated.** An alert whose key was raised within the interval (``AlertLedger``) is not
///   sent again; it is logged as suppressed.
/// - **Bounded.** At most `capacity` alerts wait; when more come, the oldest waiting one is dropped
///   (logged), so a channel that is down never grows memory without end.
/// - **Retried, a little.** Each channel gets `attempts` tries, `retryDelay` seconds apart and
///   doubling; then the failure is logged and the next alert goes on. Every send and failure is
///   logged, with the channel.
public final class AlertDispatcher: AlertSink, @unchecked Sendable {
    public struct Delivery: Sendable, Equatable {
        public var key: String
        public var channel: String
        /// nil when sent; why not otherwise.
        public var failure: String?
    }

    let channels: [any AlertChannel]
    let dedupSeconds: Int64
    let ledger: any AlertLedger
    let logger: Logger
    let capacity: Int
    let attempts: Int
    let retryDelay: Double

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [Alert] = []
    private var busy = false
    private var stopped = false
    private var deliveries: [Delivery] = []
    private var dropped = 0

    public init(channels: [any AlertChannel], dedupSeconds: Int64, ledger: any AlertLedger, logger: Logger,
                capacity: Int = 64, attempts: Int = 3, retryDelay: Double = 1) {
        self.channels = channels
        self.dedupSeconds = dedupSeconds
        self.ledger = ledger
        self.logger = logger
        self.capacity = max(1, capacity)
        self.attempts = max(1, attempts)
        self.retryDelay = retryDelay
        let thread = Thread { [self] in work() }
        thread.name = "alerts"
        thread.start()
    }

    /// Hands the alert over: returns at once.
    public func raise(_ alert: Alert) {
        guard !channels.isEmpty else {
            logger.notice("alert not sent: no alert channel is configured", metadata: Self.metadata(alert))
            return
        }
        condition.lock()
        defer { condition.unlock() }
        if let last = ledger.lastRaised(key: alert.key), alert.raisedAt - last < dedupSeconds, alert.raisedAt >= last {
            logger.info("alert suppressed: the same alert went out less than the deduplication interval ago",
                        metadata: Self.metadata(alert).merging(["alert.last_at": "\(last)"]) { a, _ in a })
            return
        }
        ledger.record(key: alert.key, at: alert.raisedAt)
        if queue.count >= capacity {
            let lost = queue.removeFirst()
            dropped += 1
            logger.error("alert dropped: too many alerts waiting for a channel", metadata: Self.metadata(lost))
        }
        queue.append(alert)
        condition.signal()
    }

    /// Waits until every alert handed over was sent or given up on, or `timeout` seconds.
    @discardableResult
    public func drain(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !queue.isEmpty || busy {
            guard condition.wait(until: deadline) else { return queue.isEmpty && !busy }
        }
        return true
    }

    /// What was sent and what failed, oldest first.
    public var results: [Delivery] {
        condition.lock()
        defer { condition.unlock() }
        return deliveries
    }

    /// Alerts dropped because too many were waiting.
    public var droppedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return dropped
    }

    /// Sends what is waiting, then ends the thread.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopped { condition.wait() }
            if queue.isEmpty {
                condition.unlock()
                return
            }
            let alert = queue.removeFirst()
            busy = true
            condition.unlock()

            var done: [Delivery] = []
            for channel in channels { done.append(send(alert, through: channel)) }

            condition.lock()
            deliveries.append(contentsOf: done)
            busy = false
            condition.broadcast()
            condition.unlock()
        }
    }

    private func send(_ alert: Alert, through channel: any AlertChannel) -> Delivery {
        var delay = retryDelay
        var last = ""
        for attempt in 1...attempts {
            do {
                try channel.send(alert)
                logger.notice("alert sent", metadata: Self.metadata(alert).merging(
                    ["alert.channel": "\(channel.name)", "attempt": "\(attempt)"]) { a, _ in a })
                return Delivery(key: alert.key, channel: channel.name, failure: nil)
            } catch {
                last = "\(error)"
                if attempt < attempts {
                    logger.warning("alert not sent yet; trying again", metadata: Self.metadata(alert).merging(
                        ["alert.channel": "\(channel.name)", "attempt": "\(attempt)", "error": "\(last)"]) { a, _ in a })
                    Thread.sleep(forTimeInterval: delay)
                    delay *= 2
                }
            }
        }
        logger.error("alert could not be sent", metadata: Self.metadata(alert).merging(
            ["alert.channel": "\(channel.name)", "attempts": "\(attempts)", "error": "\(last)"]) { a, _ in a })
        return Delivery(key: alert.key, channel: channel.name, failure: last)
    }

    static func metadata(_ alert: Alert) -> Logger.Metadata {
        ["alert.kind": "\(alert.kind.rawValue)", "alert.key": "\(alert.key)", "alert.severity": "\(alert.severity.rawValue)",
         "alert.title": "\(alert.title)"]
    }
}

/// When each alert key was last raised: one process's memory, or a file the separate runs of the
/// `alert` tool share.
public protocol AlertLedger: AnyObject {
    func lastRaised(key: String) -> Int64?
    func record(key: String, at time: Int64)
}

/// The ledger of one process (the engine).
public final class MemoryAlertLedger: AlertLedger {
    private var last: [String: Int64] = [:]

    public init() {}

    public func lastRaised(key: String) -> Int64? { last[key] }
    public func record(key: String, at time: Int64) { last[key] = time }
}

/// The ledger in a small JSON file (`var/alerts-sent.json`), rewritten whole through a temporary
/// file and a rename: a run that dies mid-write leaves the previous one. A file that cannot be
/// read is started afresh (an alert too many beats one lost).
public final class FileAlertLedger: AlertLedger {
    let url: URL
    private var last: [String: Int64]

    public init(url: URL) {
        self.url = url
        last = (try? JSONDecoder().decode([String: Int64].self, from: Data(contentsOf: url))) ?? [:]
    }

    public func lastRaised(key: String) -> Int64? { last[key] }

    public func record(key: String, at time: Int64) {
        last[key] = time
        let temporary = url.deletingLastPathComponent().appending(path: ".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(last).write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }
}
