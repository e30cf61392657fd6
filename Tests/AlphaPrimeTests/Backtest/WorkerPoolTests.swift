import Foundation
import Synchronization
import Testing
@testable import AlphaPrimeCore

/// The scheduler the optimiser and Monte Carlo share: every item runs exactly once, the results come
/// back in index order, and the number of threads changes neither.
@Suite struct WorkerPoolTests {
    /// How many times the pool ran each index of `count`.
    final class RunCounts: Sendable {
        let counts: Mutex<[Int]>
        init(_ count: Int) { counts = Mutex([Int](repeating: 0, count: count)) }
        func ran(_ index: Int) { counts.withLock { $0[index] += 1 } }
        var snapshot: [Int] { counts.withLock { $0 } }
    }

    @Test(arguments: [1, 2, 3, 8, nil] as [Int?])
    func everyIndexRunsExactlyOnce(threads: Int?) {
        for count in [0, 1, 2, 7, 64, 1_001] {
            let runs = RunCounts(count)
            let report = WorkerPool(threads: threads).forEach(count) { runs.ran($0) }
            #expect(runs.snapshot == [Int](repeating: 1, count: count), "\(count) items, threads \(String(describing: threads))")
            #expect(report.balanced == (threads == nil))
            if let threads {
                let workers = max(1, min(threads, count))
                #expect(report.workers == workers)
                #expect(report.workerCPUSeconds.count == workers)
            } else {
                #expect(report.workers == max(1, min(ProcessInfo.processInfo.activeProcessorCount, count)))
                #expect(report.workerCPUSeconds.isEmpty)
            }
        }
    }

    @Test func resultsComeBackInIndexOrderWhateverTheThreadCount() {
        // Uneven work, so that workers finish their items out of order.
        let item: @Sendable (Int) -> UInt64 = { i in
            var x = UInt64(i) &+ 0x9E37_79B9_7F4A_7C15
            for _ in 0..<(i % 7) * 1_000 { x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
            return x
        }
        let count = 500
        let one = WorkerPool(threads: 1).map(count, item).results
        #expect(one == (0..<count).map(item))
        for threads in [2, 3, 7, 1_000, nil] as [Int?] {
            #expect(WorkerPool(threads: threads).map(count, item).results == one, "threads \(String(describing: threads))")
        }
        #expect(WorkerPool(threads: 2).map(0, item).results.isEmpty)
    }

    @Test func aThreadCountBelowOneRunsOneWorker() {
        let runs = RunCounts(5)
        let report = WorkerPool(threads: 0).forEach(5) { runs.ran($0) }
        #expect(runs.snapshot == [1, 1, 1, 1, 1])
        #expect(report.workers == 1 && !report.balanced)
    }
}
