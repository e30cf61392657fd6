import Foundation

/// Threads of the test process's own, for the in-process servers and clients the integration tests
/// start (the Upstox stub, the ticker's WebSocket client) and for the test bodies that talk to them.
///
/// Swift Testing runs every test on the shared concurrency threads, one per core. Many integration
/// tests wait synchronously for an executable for minutes, and on a 2-core machine two of them hold
/// every shared thread: an in-process server scheduled there then answers nothing until they end,
/// and its test times out. Tasks started with `Task(executorPreference: TestThreads.network)` (or a
/// body inside `withTaskExecutorPreference(TestThreads.network)`) run here instead and keep
/// answering. Nothing that blocks for long may run on these threads.
final class TestThreads: TaskExecutor, @unchecked Sendable {
    static let network = TestThreads(name: "test-network", count: 4)

    private let condition = NSCondition()
    /// Jobs waiting for a thread, oldest first; guarded by `condition`.
    private var jobs: [UnownedJob] = []
    private var head = 0

    private init(name: String, count: Int) {
        for index in 0..<count {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
