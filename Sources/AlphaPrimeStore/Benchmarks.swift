import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// Measurements the benchmark suite (`benchmarks/run.sh`) prints: each returns plain numbers, and
/// none of them is a test. Release builds only.
public enum Benchmarks {
    /// Monotonic seconds.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Peak resident memory of this process so far, in bytes (Linux `VmHWM`).
    public static func peakMemoryBytes() -> UInt64 {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { UInt64($0) }.first ?? 0
            return kb * 1024
        }
        return 0
    }

    public struct StateWrites: Codable, Sendable {
        public var backend: String
        public var fills: Int
        public var batchSize: Int
        public var seconds: Double
        public var fillsPerSecond: Double
    }

    /// Sustained fill writes with durable commits: each fill is recorded through the repository (fill
    /// row + order status in one transaction), `batch` fills per commit. The database must be migrated.
    /// `acknowledge` is told the run's client order id prefix once, then how many fills are
    /// committed after each commit returns (a crash test checks each acknowledged fill survives).
    public static func stateWrites(database: any SQLDatabase, fills: Int, batch: Int,
                                   acknowledge: ((_ prefix: String, _ committed: Int) -> Void)? = nil) throws -> StateWrites {
        let repository = StateRepository(database: database)
        let base = UTCTimestamp.now()
        // One order per fill, created up front (not timed): the timed part is the fill path.
        var orderIDs: [Int64] = []
        orderIDs.reserveCapacity(fills)
        let runTag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        try database.transaction {
            for i in 0..<fills {
                let order = try repository.insertOrder(OrderRecord(
                    mode: .backtest, clientOrderId: "B\(runTag)X\(i)", strategy: "bench", symbol: "NIFTY 50", exchange: "NFO",
                    side: i % 2 == 0 ? .buy : .sell, orderType: .market, product: .mis, quantity: 65, createdAt: base))
                orderIDs.append(order.id!)
            }
        }
        acknowledge?("B\(runTag)X", 0)
        let start = now()
        var i = 0
        while i < fills {
            let end = min(fills, i + batch)
            try database.transaction {
                for k in i..<end {
                    _ = try repository.recordFill(FillRecord(mode: .backtest, orderId: orderIDs[k], quantity: 65,
                                                             price: Paise(2_250_000 + Int64(k % 100) * 5), charges: Paise(2_000),
                                                             filledAt: base))
                }
            }
            i = end
            acknowledge?("B\(runTag)X", i)
        }
        let seconds = now() - start
        return StateWrites(backend: database.backend.rawValue, fills: fills, batchSize: batch, seconds: seconds,
                           fillsPerSecond: Double(fills) / seconds)
    }
}
