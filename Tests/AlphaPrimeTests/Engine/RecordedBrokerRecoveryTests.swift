import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeCommands

/// Crash recovery through a broker that outlives the engine, as Kite does: an exchange that trades
/// each minute once (a restarted engine's replay cannot make it fill again), keeps its book and
/// trade book across engine runs, recognises an order it already holds by its tag, and reports to
/// a run only the orders that run sent or took over. A day stopped after its n-th commit and run
/// again ends with exactly the rows of the uninterrupted day, and the exchange was sent each order
/// once.
@Suite struct RecordedBrokerRecoveryTests {
    static let day = "2021-02-22"

    /// The exchange: a paper broker's simulator behind the rules above.
    final class Exchange: Broker, SimulatedMarket {
        let paper: PaperBroker
        var name: String { "exchange" }
        /// Client order id of each order the exchange holds, by the id it was placed under (the
        /// engine's order id in the run that placed it).
        private(set) var tags: [Int64: String] = [:]
        /// The id each order was placed under, and the id the current run gives it, by tag: a later
        /// run may number the same order differently (it took it over), and hears of it, and asks
        /// about it, under its own number (as Kite reports by tag and order id).
        private var placedIds: [String: Int64] = [:]
        private var runIds: [String: Int64] = [:]
        /// How often each tag was placed (more than once would be a duplicate order).
        private(set) var placements: [String: Int] = [:]
        /// Every execution and the final status of each order, by tag.
        private var trades: [String: [BrokerEvent]] = [:]
        private var ended: [String: BrokerEvent] = [:]
        /// Tags the current engine run sent or took over: only those are reported to it.
        private var watched: Set<String> = []
        /// Tags in the book when the current run started.
        private var bookAtStart: Set<String> = []
        /// The last minute traded per symbol.
        private var traded: [SymbolID: Int64] = [:]
        private var events: [BrokerEvent] = []
        /// The exchange's own order book and trade book (what the engine reads to reconcile).
        private(set) var book = BrokerOwnBook()
        /// The connection's faults, when the exchange's live events reach the engine unreliably.
        private(set) var faults: WireFaults?

        init(_ paper: PaperBroker, faults: WireFaults? = nil) {
            self.paper = paper
            self.faults = faults
        }

        /// A new engine run connects: it hears nothing of what came before until it asks.
        func newRun() {
            collect()
            events.removeAll()
            faults?.disconnect()
            watched = []
            bookAtStart = Set(placements.keys)
        }

        /// Takes the simulator's events into the books; passes on those of watched orders (through
        /// the connection's faults, when it has them).
        private func collect() {
            var fresh: [BrokerEvent] = []
            paper.takeEvents(into: &fresh)
            var live: [BrokerEvent] = []
            for event in fresh {
                guard let tag = tags[event.orderID] else { continue }
                book.record(event)
                switch event {
                case .filled: trades[tag, default: []].append(event)
                case .cancelled, .rejected: ended[tag] = event
                default: break
                }
                if watched.contains(tag), let id = runIds[tag] { live.append(Self.renumbered(event, id)) }
            }
            if faults != nil { faults!.relay(live, into: &events) } else { events.append(contentsOf: live) }
        }

        /// The event as the current run hears of it: under its own number for the order.
        static func renumbered(_ event: BrokerEvent, _ id: Int64) -> BrokerEvent {
            switch event {
            case .accepted(_, let brokerOrderId): .accepted(orderID: id, brokerOrderId: brokerOrderId)
            case .rejected(_, let reason): .rejected(orderID: id, reason: reason)
            case .filled(var fill, let trade): { fill.orderID = id; return .filled(fill, brokerTradeId: trade) }()
            case .cancelled(_, let reason): .cancelled(orderID: id, reason: reason)
            case .outcomeUnknown(_, let reason): .outcomeUnknown(orderID: id, reason: reason)
            case .cancelRefused(_, let reason): .cancelRefused(orderID: id, reason: reason)
            case .modified(_, let trigger): .modified(orderID: id, triggerPrice: trigger)
            case .modifyRefused(_, let reason): .modifyRefused(orderID: id, reason: reason)
            }
        }

        func submit(_ request: BrokerOrderRequest) {
            let tag = request.clientOrderId
            let id = request.order.id
            runIds[tag] = id
            watched.insert(tag)
            if bookAtStart.contains(tag) {
                // Placed by an earlier run: taken in, with everything that happened to it since.
                events.append(.accepted(orderID: id, brokerOrderId: "P\(tag)"))
                events.append(contentsOf: (trades[tag] ?? []).map { Self.renumbered($0, id) })
                if let end = ended[tag] { events.append(Self.renumbered(end, id)) }
                return
            }
            tags[id] = tag
            placedIds[tag] = id
            placements[tag, default: 0] += 1
            book.place(request)
            paper.submit(request)
        }

        func adopt(_ order: OrderRequest, clientOrderId tag: String, countedFills: [BrokerFill]) {
            runIds[tag] = order.id
            watched.insert(tag)
            let counted = Set(countedFills.map(\.brokerTradeId))
            for case .filled(let fill, let trade) in trades[tag] ?? [] where !counted.contains(trade) {
                events.append(Self.renumbered(.filled(fill, brokerTradeId: trade), order.id))
            }
            if let end = ended[tag] { events.append(Self.renumbered(end, order.id)) }
        }

        /// A request about an order reaches the exchange's order of that tag; the answer comes with
        /// the simulator's events, under the asking run's number (`collect`).
        func requestCancel(orderID: Int64, clientOrderId: String) {
            paper.requestCancel(orderID: placedIds[clientOrderId] ?? orderID, clientOrderId: clientOrderId)
        }
        func requestModify(orderID: Int64, clientOrderId: String, triggerPrice: Int64) {
            paper.requestModify(orderID: placedIds[clientOrderId] ?? orderID, clientOrderId: clientOrderId, triggerPrice: triggerPrice)
        }
        func takeEvents(into events: inout [BrokerEvent]) {
            collect()
            events.append(contentsOf: self.events)
            self.events.removeAll()
        }
        func orders() throws -> [BrokerOrder] { book.orders }
        func positions() throws -> [BrokerPosition] { try paper.positions() }
        func fills() throws -> [BrokerFill] { book.fills }

        // The market: each minute trades once, whatever the engine replays.
        func marketBar(_ bar: Bar, symbol: SymbolID) {
            guard bar.time > traded[symbol] ?? .min else { return }
            traded[symbol] = bar.time
            paper.marketBar(bar, symbol: symbol)
        }
        /// Orders placed after a symbol's bar reached the exchange fill within the rest of that bar,
        /// whichever engine run placed them; an older bar is gone.
        func marketRestOfBar(_ bar: Bar, symbol: SymbolID) {
            guard traded[symbol] == bar.time else { return }
            paper.marketRestOfBar(bar, symbol: symbol)
        }
        func fillMarketOrdersAtLastPrice(symbol: SymbolID, time: Int64) { paper.fillMarketOrdersAtLastPrice(symbol: symbol, time: time) }
        func forget(orderID: Int64) {}
    }

    /// The account whose one exchange every engine run of the day connects to.
    final class ExchangeAccount: BrokerAccount {
        let inner: PaperBrokerAccount
        var exchange: Exchange?
        /// The faults of the exchange's connection, from the day's first session on.
        let faults: WireFaults?
        var name: String { inner.name }

        init(_ inner: PaperBrokerAccount, faults: WireFaults? = nil) {
            self.inner = inner
            self.faults = faults
        }

        func cash(at time: UTCTimestamp) throws -> Int64 { try inner.cash(at: time) }
        func positions() throws -> [BrokerPosition] { try inner.positions() }
        func session(date: LocalDate, open: UTCTimestamp, close: UTCTimestamp) throws -> BrokerSession {
            if exchange == nil {
                exchange = Exchange(try #require(try inner.session(date: date, open: open, close: close).broker as? PaperBroker), faults: faults)
            }
            let exchange = try #require(exchange)
            exchange.newRun()
            return BrokerSession(broker: exchange, market: exchange, recreatesFillsOnReplay: false)
        }
        func settle(before open: UTCTimestamp, at time: UTCTimestamp) throws -> (expired: [String], closed: [ClosedPosition]) {
            try inner.settle(before: open, at: time)
        }
        func cancelWorkingOrders(createdBefore before: UTCTimestamp?, reason: String, at time: UTCTimestamp) throws -> [String] {
            try inner.cancelWorkingOrders(createdBefore: before, reason: reason, at: time)
        }
        func closePositions(reason: String, at time: UTCTimestamp) throws -> [ClosedPosition] {
            try inner.closePositions(reason: reason, at: time)
        }
    }

    static func runner(_ fixture: EngineFixture, _ repository: StateRepository, _ account: ExchangeAccount,
                       afterCommit: ((Int) throws -> Void)? = nil, insideCommit: ((Int) throws -> Void)? = nil) -> EngineRunner {
        let runner = EngineRunner(setup: fixture.setup, calendar: fixture.calendar, repository: repository, broker: account,
                                  logs: .silent, options: EngineRunOptions(mode: .paper, pid: 1, host: "test"))
        runner.afterCommit = afterCommit
        runner.insideCommit = insideCommit
        return runner
    }

    static func account(_ fixture: EngineFixture, _ repository: StateRepository, faults: WireFaults? = nil) -> ExchangeAccount {
        ExchangeAccount(PaperBrokerAccount(store: repository, mode: .paper, settings: PaperSettings(fixture.setup)), faults: faults)
    }

    @Test func aSessionStoppedAfterAnyCommitEndsAsIfItHadNeverStoppedWithEachOrderSentOnce() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let days = try fixture.days([Self.day])
        // The day through the exchange without a stop equals the paper day.
        let referenceDatabase = try migratedMemoryDatabase()
        let referenceRepository = StateRepository(database: referenceDatabase)
        var commits = 0
        _ = try Self.runner(fixture, referenceRepository, Self.account(fixture, referenceRepository), afterCommit: { commits = $0 }).run(days)
        let reference = try SessionRecord.read(referenceDatabase)
        let paperDatabase = try migratedMemoryDatabase()
        _ = try fixture.runner(StateRepository(database: paperDatabase)).run(days)
        let paperDay = try SessionRecord.read(paperDatabase)
        #expect(reference == paperDay, "\(reference.firstDifference(from: paperDay) ?? "")")
        #expect(reference.orders.count > 150 && reference.trades.count > 10, "a busy day: \(reference)")

        let step = max(1, commits / 40)
        var checked = 0
        for point in stride(from: 1, to: commits, by: step) {
            let database = try migratedMemoryDatabase()
            let repository = StateRepository(database: database)
            let account = Self.account(fixture, repository)
            #expect(throws: SimulatedCrash.self) {
                _ = try Self.runner(fixture, repository, account, afterCommit: { if $0 == point { throw SimulatedCrash() } }).run(days)
            }
            let outcomes = try Self.runner(fixture, repository, account).run(days)
            let record = try SessionRecord.read(database)
            #expect(record == reference, "crash after commit \(point) of \(commits): \(record.firstDifference(from: reference) ?? "")")
            #expect(outcomes.allSatisfy { $0.ending == .completed })
            let exchange = try #require(account.exchange)
            #expect(exchange.placements.values.allSatisfy { $0 == 1 }, "crash after commit \(point): an order was sent twice")
            #expect(exchange.placements.count == reference.orders.count, "crash after commit \(point)")
            checked += 1
        }
        #expect(checked >= 30)
    }
}
