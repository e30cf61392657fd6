import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

@Suite struct ClientOrderIDTests {
    @Test func idsAreDeterministicTagSizedAndCarryTheirPurpose() {
        let code = ClientOrderID.bookCode(strategy: "mean_reversion", symbol: "NIFTY 50")
        #expect(code.count == 4)
        #expect(code == ClientOrderID.bookCode(strategy: "mean_reversion", symbol: "NIFTY 50"))
        #expect(code != ClientOrderID.bookCode(strategy: "mean_reversion", symbol: "BANKNIFTY"))
        let time = IST.epochSeconds(date: LocalDate("2021-02-22")!, time: TimeOfDay(hour: 10, minute: 5)!)
        for purpose in [OrderPurpose.entry, .exit, .stopLoss, .takeProfit, .squareOff] {
            let id = ClientOrderID.make(bookCode: code, time: time, purpose: purpose, sequence: 37)
            #expect(id.count == 14)
            #expect(OrderRecord.isValidClientOrderId(id))
            #expect(ClientOrderID.purpose(of: id) == purpose)
            #expect(id == ClientOrderID.make(bookCode: code, time: time, purpose: purpose, sequence: 37))
        }
        let a = ClientOrderID.make(bookCode: code, time: time, purpose: .entry, sequence: 1)
        #expect(a != ClientOrderID.make(bookCode: code, time: time + 60, purpose: .entry, sequence: 1))
        #expect(a != ClientOrderID.make(bookCode: code, time: time, purpose: .entry, sequence: 2))
        let emergency = ClientOrderID.emergency(bookCode: code, time: time, sequence: 1)
        #expect(ClientOrderID.purpose(of: emergency) == .squareOff)
        #expect(OrderRecord.isValidClientOrderId(ClientOrderID.make(bookCode: code, time: time, purpose: .exit, sequence: 99_999_999)))
        #expect(ClientOrderID.purpose(of: "MANUAL1") == nil)
    }
}

@Suite struct EngineLockTests {
    static func temporaryDatabase() throws -> (DatabaseURL, any SQLDatabase, URL) {
        let directory = FileManager.default.temporaryDirectory.appending(path: "engine-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appending(path: "state.db").path
        return (.sqlite(path: path), try SQLiteConnection(path: path), directory)
    }

    static let holder = EngineLockHolder(pid: Int64(ProcessInfo.processInfo.processIdentifier), host: "test-host", mode: "paper",
                                         since: "2021-02-22T03:45:00Z")

    @Test func sqliteAllowsOneEngineAndNamesTheHolder() throws {
        let (url, database, directory) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try EngineLock.holder(url: url, database: database) == nil)
        let lock = try EngineLock.acquire(url: url, database: database, holder: Self.holder)
        #expect(EngineLock.lockFilePath(url) == url.description.dropFirst("sqlite:".count) + ".engine.lock")
        let seen = try EngineLock.holder(url: url, database: database)
        #expect(seen?.pid == Self.holder.pid && seen?.host == "test-host" && seen?.mode == "paper")
        do {
            _ = try EngineLock.acquire(url: url, database: try SQLiteConnection(path: String(url.description.dropFirst(7))),
                                       holder: EngineLockHolder(pid: 2, host: "other"))
            Issue.record("a second engine got the lock")
        } catch let error as EngineLockedError {
            #expect(error.holder.pid == Self.holder.pid)
            #expect(error.exitStatus == .locked)
            #expect(error.description.contains("pid \(Self.holder.pid!)"))
        }
        lock.release()
        #expect(try EngineLock.holder(url: url, database: database) == nil)
        let again = try EngineLock.acquire(url: url, database: database, holder: Self.holder)
        again.release()
    }

    @Test(.enabled(if: TestDatabases.postgresEnabled, "PostgreSQL cases skipped: ALPHA_PRIME_TEST_POSTGRES_URL is not set"))
    func postgresqlAllowsOneEnginePerSchemaAndNamesTheHolder() throws {
        let server = try TestDatabases.requirePostgresURL()
        let schema = try TestDatabases.createSchema(server)
        let other = try TestDatabases.createSchema(server)
        defer { TestDatabases.dropSchema(schema, server); TestDatabases.dropSchema(other, server) }
        let url = DatabaseURL.postgres(url: TestDatabases.scopedURL(server, searchPath: schema))
        guard case .postgres(let text) = url else { return }
        let first = try PostgresConnection(url: text)
        let lock = try EngineLock.acquire(url: url, database: first, holder: Self.holder)
        let second = try PostgresConnection(url: text)
        let seen = try EngineLock.holder(url: url, database: second)
        #expect(seen?.pid == Self.holder.pid && seen?.mode == "paper" && seen?.backendPid != nil)
        // The start time is whole (PostgreSQL keeps 63 bytes of an application name, so it is read
        // from the session's start, not cut off): an ISO 8601 instant of today or before.
        let since = try #require(seen?.since)
        let started = try #require(IST.epochSeconds(iso8601: since), "since '\(since)'")
        #expect(started <= UTCTimestamp.now().microseconds / 1_000_000 + 1 && since.hasSuffix("Z"), "\(since)")
        #expect(throws: EngineLockedError.self) { _ = try EngineLock.acquire(url: url, database: second, holder: EngineLockHolder(pid: 2)) }
        // Another schema is another state database.
        let otherText = TestDatabases.scopedURL(server, searchPath: other)
        let elsewhere = try EngineLock.acquire(url: .postgres(url: otherText), database: try PostgresConnection(url: otherText),
                                               holder: EngineLockHolder(pid: 3))
        elsewhere.release()
        lock.release()
        #expect(try EngineLock.holder(url: url, database: second) == nil)
    }
}

@Suite struct PaperBrokerTests {
    @Test func fillsFollowTheFillModelAndCarryDeterministicTradeIds() throws {
        let broker = PaperBroker(simulator: SimulatedBroker(fillModel: FillModel(slippage: .ticks(1)), tickSizes: [5]),
                                 repository: nil, startingCapital: 0, sessionFrom: UTCTimestamp(microseconds: 0),
                                 sessionBefore: UTCTimestamp(microseconds: .max))
        let entry = OrderRequest(id: 1, strategy: 0, symbol: 0, side: .buy, quantity: 65, time: 60)
        var events: [BrokerEvent] = []
        broker.submit(BrokerOrderRequest(clientOrderId: "AENTRY", order: entry))
        broker.submit(BrokerOrderRequest(clientOrderId: "ABAD", order: OrderRequest(id: 2, strategy: 0, symbol: 0, side: .buy, quantity: 0, time: 60)))
        broker.takeEvents(into: &events)
        #expect(events == [.accepted(orderID: 1, brokerOrderId: "PAENTRY"),
                           .rejected(orderID: 2, reason: "quantity must be positive, got 0")], "placements are answered as events, at once")
        events.removeAll()
        broker.marketBar(Bar(time: 120, open: 1_500_000, high: 1_501_000, low: 1_499_000, close: 1_500_500), symbol: 0)
        broker.takeEvents(into: &events)
        #expect(events == [.filled(Fill(orderID: 1, strategy: 0, symbol: 0, side: .buy, quantity: 65, price: 1_500_005, time: 120),
                                   brokerTradeId: "AENTRY-1")])
        // A stop and a target in one OCO group: the stop fills, the target is cancelled.
        let stop = OrderRequest(id: 3, strategy: 0, symbol: 0, side: .sell, quantity: 65, type: .stopLossMarket,
                                triggerPrice: 1_495_000, purpose: .stopLoss, ocoGroup: 1, time: 120)
        let target = OrderRequest(id: 4, strategy: 0, symbol: 0, side: .sell, quantity: 65, type: .limit, limitPrice: 1_510_000,
                                  purpose: .takeProfit, ocoGroup: 1, time: 120)
        broker.submit(BrokerOrderRequest(clientOrderId: "ASTOP", order: stop))
        broker.submit(BrokerOrderRequest(clientOrderId: "ATARGET", order: target))
        events.removeAll()
        broker.takeEvents(into: &events)
        #expect(events == [.accepted(orderID: 3, brokerOrderId: "PASTOP"), .accepted(orderID: 4, brokerOrderId: "PATARGET")])
        broker.marketBar(Bar(time: 180, open: 1_500_000, high: 1_512_000, low: 1_490_000, close: 1_500_000), symbol: 0)
        events.removeAll()
        broker.takeEvents(into: &events)
        #expect(events == [
            .filled(Fill(orderID: 3, strategy: 0, symbol: 0, side: .sell, quantity: 65, price: 1_494_995, time: 180), brokerTradeId: "ASTOP-1"),
            .cancelled(orderID: 4, reason: "OCO sibling filled"),
        ])
        #expect(!broker.hasWorkingOrders)
        broker.requestCancel(orderID: 4, clientOrderId: "ATARGET")
        events.removeAll()
        broker.takeEvents(into: &events)
        #expect(events == [.cancelRefused(orderID: 4, reason: "not working")], "a cancel that finds nothing working is refused")
    }
}
