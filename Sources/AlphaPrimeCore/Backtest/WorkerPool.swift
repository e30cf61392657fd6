import Dispatch
import Foundation

/// The one scheduler of the research tools: runs the items `0 ..< count` of a job on worker threads
/// (the optimiser's parameter sets, Monte Carlo's blocks of paths).
///
/// How the items are dealt out depends on `threads`:
/// - nil: every item is handed to `DispatchQueue.concurrentPerform`, which runs them on every core
///   and deals them out as cores free up (another process may hold one);
/// - W: W fixed workers (fewer when there are fewer items), worker w running items w, w + W, w + 2W, …
///   in that order, and its thread's CPU time measured; one worker runs every item on the calling
///   thread.
///
/// Either way every item runs exactly once and the pool returns when all have finished. An item that
/// reads only immutable inputs and its own index, and writes only its own result slot, gives the same
/// result whatever the number of threads; the pool itself shares nothing mutable between workers but
/// the disjoint slots of ``ResultSlots``.
struct WorkerPool: Sendable {
    /// Fixed workers (at least 1), or nil to deal the items out to every core as it frees up.
    let threads: Int?

    init(threads: Int?) {
        self.threads = threads.map { Swift.max(1, $0) }
    }

    /// How a job was run.
    struct Report: Sendable, Equatable {
        /// Worker threads: the fixed number, or when `balanced` at most the cores (or the items).
        var workers: Int
        /// True when the items were dealt out to the cores as they freed up, false with fixed workers.
        var balanced: Bool
        /// CPU seconds each fixed worker's thread spent; empty when balanced.
        var workerCPUSeconds: [Double]
    }

    /// Runs `body` once for every index in `0 ..< count`.
    @discardableResult
    func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) -> Report {
        guard let threads else {
            DispatchQueue.concurrentPerform(iterations: count, execute: body)
            return Report(workers: Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, count)),
                          balanced: true, workerCPUSeconds: [])
        }
        let workers = Swift.max(1, Swift.min(threads, count))
        let cpu = ResultSlots<Double>(count: workers)
        @Sendable func work(_ worker: Int) {
            let started = threadCPUSeconds()
            for i in stride(from: worker, to: count, by: workers) { body(i) }
            cpu[worker] = threadCPUSeconds() - started
        }
        if workers == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { work($0) }
        }
        return Report(workers: workers, balanced: false, workerCPUSeconds: cpu.collect())
    }

    /// `body` of every index in `0 ..< count`, in index order, each computed once on some worker.
    func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> (results: [T], report: Report) {
        let slots = ResultSlots<T>(count: count)
        let report = forEach(count) { i in slots[i] = body(i) }
        return (slots.collect(), report)
    }
}

/// A preallocated array that worker threads fill, each index written by exactly one worker and
/// read only after all of them have finished (`concurrentPerform` returns when they have).
// @unchecked: a raw buffer; each index is written by one worker and read after all have joined.
final class ResultSlots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        buffer.baseAddress?.deinitialize(count: buffer.count)
        buffer.deallocate()
    }

    subscript(i: Int) -> T? {
        get { buffer[i] }
        set { buffer[i] = newValue }
    }

    func collect() -> [T] { buffer.map { $0! } }
}

/// CPU seconds the calling thread has used.
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
