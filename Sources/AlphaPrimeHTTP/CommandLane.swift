import Foundation

/// The thread order commands go out on: placements, modifications and cancellations, one at a
/// time and in the order they were given, each answered through the broker's events.
///
/// The engine's decision loop never waits on the broker: it hands a command over and goes on. One lane
/// per session keeps the commands in order, and a placement whose outcome is unknown holds the
/// lane while its tag is looked up — nothing is placed behind it until it is known.
///
/// The lane's client (one libcurl handle) is used on the lane's thread only (a handle belongs to
/// one thread); that is what makes the unchecked `Sendable` true. The Kite and Upstox adapters
/// both use it, each with its own client type.
public final class CommandLane<Client>: @unchecked Sendable {
    public typealias Job = (Client) -> Void

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var running = false
    private var stopped = false
    private let client: Client

    public init(client: Client, name: String) {
        self.client = client
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: @escaping Job) {
        condition.lock()
        jobs.append(job)
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every command handed over so far has been answered; false when `timeout`
    /// seconds passed first.
    @discardableResult
    public func waitUntilIdle(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while !jobs.isEmpty || running {
            if !condition.wait(until: deadline) { return jobs.isEmpty && !running }
        }
        return true
    }

    public var isIdle: Bool {
        condition.lock()
        defer { condition.unlock() }
        return jobs.isEmpty && !running
    }

    /// Ends the thread once the commands already handed over are done.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty && stopped {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            running = true
            condition.unlock()
            job(client)
            condition.lock()
            running = false
            condition.broadcast()
            condition.unlock()
        }
    }
}
