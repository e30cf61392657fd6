import Foundation
import Synchronization
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeStore

/// What the writer thread of a test has done, shared with the test.
final class WriterProgress: Sendable {
    struct State {
        var stop = false
        var batches = 0
        var failure: String?
    }

    let state = Mutex(State())
    let finished = DispatchSemaphore(value: 0)

    var batches: Int { state.withLock { $0.batches } }
}

@Suite struct StateExportConcurrencyTests {
    static let ordersPerBatch = 5

    /// Another connection commits batches of orders, each with its fill, until told to stop.
    static func startWriter(_ open: @escaping @Sendable () throws -> any SQLDatabase) -> WriterProgress {
        let progress = WriterProgress()
        let thread = Thread {
            defer { progress.finished.signal() }
            do {
                let repository = StateRepository(database: try open())
                var next = 0
                while !progress.state.withLock({ $0.stop }) {
                    try repository.database.transaction {
                        for _ in 0..<ordersPerBatch {
                            next += 1
                            let order = try repository.insertOrder(sampleOrder(clientOrderId: "W\(next)", quantity: 3))
                            try repository.recordFill(FillRecord(mode: .paper, orderId: order.id!, quantity: 3, price: Paise(100),
                                                                 filledAt: UTCTimestamp(microseconds: Int64(next))))
                        }
                    }
                    progress.state.withLock { $0.batches += 1 }
                }
            } catch {
                progress.state.withLock { $0.failure = "\(error)" }
            }
        }
        thread.start()
        return progress
    }

    /// The values of one column of an exported table.
    static func column(_ name: String, of table: StateTableDigest, in directory: URL) throws -> [SQLValue] {
        let index = try #require(table.columns.firstIndex(of: name))
        var values: [SQLValue] = []
        try StateImport.scan(table, in: directory) { row, _ in values.append(row[index]) }
        return values
    }

    @Test(arguments: TestBackend.enabled)
    func anExportTakenWhileAnotherConnectionWritesIsConsistent(_ backend: TestBackend) throws {
        try withFreshDatabase(backend) { open in
            let database = try open()
            try Migrator(database: database, logger: quietLogger).migrate()
            let progress = Self.startWriter(open)
            defer {
                progress.state.withLock { $0.stop = true }
                progress.finished.wait()
            }
            while progress.batches < 20, progress.state.withLock({ $0.failure == nil }) { Thread.sleep(forTimeInterval: 0.01) }
            var overlapped = 0
            for attempt in 0..<20 where overlapped < 3 {
                try withTemporaryDirectory { directory in
                    let before = progress.batches
                    // Small pages: many queries, so the writer commits between them.
                    let manifest = try StateExport.export(database: database, to: directory, pageSize: 7)
                    if progress.batches > before { overlapped += 1 }
                    try StateImport.validate(directory: directory, manifest: manifest)
                    let orders = try #require(manifest.table("orders")), fills = try #require(manifest.table("fills"))
                    #expect(orders.rowCount == fills.rowCount, "attempt \(attempt)")
                    #expect(orders.rowCount % Self.ordersPerBatch == 0, "attempt \(attempt)")
                    let orderIds = Set(try Self.column("id", of: orders, in: directory))
                    let filledOrders = try Self.column("order_id", of: fills, in: directory)
                    #expect(filledOrders.allSatisfy(orderIds.contains), "attempt \(attempt): a fill whose order is not in the export")
                    #expect(orderIds.count == orders.rowCount)
                }
            }
            #expect(progress.state.withLock { $0.failure } == nil)
            #expect(overlapped > 0, "no export overlapped a write")
        }
    }

    /// Export and restore times for a large table pair; run with ALPHA_PRIME_EXPORT_BENCH_ROWS=100000.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ALPHA_PRIME_EXPORT_BENCH_ROWS"] != nil),
          arguments: TestBackend.enabled)
    func exportAndRestoreTimes(_ backend: TestBackend) throws {
        let rows = Int(ProcessInfo.processInfo.environment["ALPHA_PRIME_EXPORT_BENCH_ROWS"] ?? "") ?? 100_000
        try withTemporaryDirectory { directory in
            try TestDatabases.withMigrated(backend) { repository in
                let database = repository.database
                try database.transaction {
                    let orders = RowInserter(database: database, table: "orders", columns: [
                        "mode", "client_order_id", "strategy", "symbol", "exchange", "side", "order_type", "product", "quantity",
                        "status", "status_reason", "created_at_us", "updated_at_us"])
                    for i in 0..<rows / 2 {
                        try orders.add(["paper", .text("B\(i)"), "mean_reversion", "NIFTY26JANFUT", "NFO", "BUY", "LIMIT", "MIS",
                                        50, "FILLED", "filled\tafter \"retry\"", .integer(Int64(i)), .integer(Int64(i))])
                    }
                    try orders.flush()
                    let fills = RowInserter(database: database, table: "fills", columns: [
                        "mode", "order_id", "broker_trade_id", "quantity", "price_paise", "filled_at_us"])
                    for i in 0..<rows / 2 {
                        try fills.add(["paper", .integer(Int64(i + 1)), .text("T\(i)"), 50, 2_512_345, .integer(Int64(i))])
                    }
                    try fills.flush()
                }
                var start = Benchmarks.now()
                let manifest = try StateExport.export(database: database, to: directory)
                let exportSeconds = Benchmarks.now() - start
                try TestDatabases.withFresh(backend) { target in
                    start = Benchmarks.now()
                    try StateImport.restore(from: directory, manifest: manifest, into: target, logger: quietLogger)
                    let restoreSeconds = Benchmarks.now() - start
                    #expect(try StateExport.tableChecksums(database: target) == manifest.tables)
                    print("state export bench \(backend.rawValue): \(manifest.rowCount) rows, export \(String(format: "%.2f", exportSeconds)) s, restore \(String(format: "%.2f", restoreSeconds)) s")
                }
            }
        }
    }
}
