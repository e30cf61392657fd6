import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimeStore

/// A broker adapter written here, against the ports alone, drives a replayed day through the
/// engine: it places, fills, and answers placements with "outcome unknown" — one order that did
/// reach its book, one that did not — and the engine resolves both from its order book by the
/// client order id, never sending either again.
@Suite struct ToyBrokerTests {
    /// Fills market orders at the next bar's open (or at the last price when the engine squares off
    /// between bars); every other order works until it is cancelled. Its book is the truth the engine
    /// reconciles with.
    final class ToyBroker: Broker, SimulatedMarket, BrokerAccount {
        let name = "toy"
        let startingCapital: Int64
        /// Placements whose answer is "outcome unknown": the first reaches the book, the second is lost.
        var unknownAnswers = 2
        private(set) var submissions: [String: Int] = [:]
        private(set) var book: [String: BrokerOrder] = [:]
        private(set) var lost: [String] = []
        private(set) var unknownOrders: [String] = []
        private var working: [Int64: (order: OrderRequest, clientOrderId: String)] = [:]
        private var lastPrice: [SymbolID: Int64] = [:]
        private var events: [BrokerEvent] = []
        private var net: [String: Int64] = [:]

        init(startingCapital: Int64) { self.startingCapital = startingCapital }

        // Broker
        func submit(_ request: BrokerOrderRequest) {
            let id = request.order.id
            submissions[request.clientOrderId, default: 0] += 1
            if unknownAnswers > 0 {
                unknownAnswers -= 1
                unknownOrders.append(request.clientOrderId)
                events.append(.outcomeUnknown(orderID: id, reason: "the request timed out"))
                if unknownAnswers == 0 {  // the second one never arrived
                    lost.append(request.clientOrderId)
                    return
                }
            } else {
                events.append(.accepted(orderID: id, brokerOrderId: "T\(id)"))
            }
            working[id] = (request.order, request.clientOrderId)
            book[request.clientOrderId] = BrokerOrder(
                clientOrderId: request.clientOrderId, brokerOrderId: "T\(id)", strategy: nil, symbol: "\(request.order.symbol)",
                side: request.order.side, orderType: request.order.type, quantity: request.order.quantity, filledQuantity: 0,
                status: .open, createdAt: UTCTimestamp(secondsSinceEpoch: request.order.time))
        }

        func requestCancel(orderID: Int64, clientOrderId: String) {
            if working.removeValue(forKey: orderID) != nil {
                book[clientOrderId]?.status = .cancelled
                events.append(.cancelled(orderID: orderID, reason: "cancelled on request"))
            } else {
                events.append(.cancelRefused(orderID: orderID, reason: "not working"))
            }
        }

        func requestModify(orderID: Int64, clientOrderId: String, triggerPrice: Int64) {
            if working[orderID] != nil {
                working[orderID]?.order.triggerPrice = triggerPrice
                events.append(.modified(orderID: orderID, triggerPrice: triggerPrice))
            } else {
                events.append(.modifyRefused(orderID: orderID, reason: "not working"))
            }
        }

        func takeEvents(into events: inout [BrokerEvent]) {
            events.append(contentsOf: self.events)
            self.events.removeAll()
        }

        func orders() throws -> [BrokerOrder] { Array(book.values) }

        func positions() throws -> [BrokerPosition] {
            net.filter { $0.value != 0 }.map { BrokerPosition(strategy: nil, symbol: $0.key, quantity: $0.value, openValue: 0) }
        }

        func fills() throws -> [BrokerFill] { [] }

        // SimulatedMarket
        func marketBar(_ bar: Bar, symbol: SymbolID) {
            lastPrice[symbol] = bar.close
            fillMarketOrders(symbol: symbol, price: bar.open, time: bar.time)
        }

        func marketRestOfBar(_ bar: Bar, symbol: SymbolID) {}

        func fillMarketOrdersAtLastPrice(symbol: SymbolID, time: Int64) {
            if let price = lastPrice[symbol] { fillMarketOrders(symbol: symbol, price: price, time: time) }
        }

        func adopt(_ order: OrderRequest, clientOrderId: String, countedFills: [BrokerFill]) {}
        func forget(orderID: Int64) { working.removeValue(forKey: orderID) }

        private func fillMarketOrders(symbol: SymbolID, price: Int64, time: Int64) {
            for (id, w) in working.sorted(by: { $0.key < $1.key }) where w.order.symbol == symbol && w.order.type == .market {
                working.removeValue(forKey: id)
                book[w.clientOrderId]?.status = .filled
                book[w.clientOrderId]?.filledQuantity = w.order.quantity
                net["\(symbol)", default: 0] += w.order.side == .buy ? w.order.quantity : -w.order.quantity
                events.append(.filled(Fill(orderID: id, strategy: w.order.strategy, symbol: symbol, side: w.order.side,
                                           quantity: w.order.quantity, price: price, time: time),
                                      brokerTradeId: "\(w.clientOrderId)-1"))
            }
        }

        // BrokerAccount
        func cash(at time: UTCTimestamp) throws -> Int64 { startingCapital }
        func session(date: LocalDate, open: UTCTimestamp, close: UTCTimestamp) throws -> BrokerSession {
            BrokerSession(broker: self, market: self)
        }
        func settle(before open: UTCTimestamp, at time: UTCTimestamp) throws -> (expired: [String], closed: [ClosedPosition]) { ([], []) }
        func cancelWorkingOrders(createdBefore before: UTCTimestamp?, reason: String, at time: UTCTimestamp) throws -> [String] { [] }
        func closePositions(reason: String, at time: UTCTimestamp) throws -> [ClosedPosition] { [] }
    }

    @Test func aReplayedDayThroughAToyBrokerWithUnknownPlacementOutcomes() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let day = try #require(try fixture.days(["2021-02-22"]).first)
        try TestDatabases.withMigrated(.sqlite) { repository in
            let toy = ToyBroker(startingCapital: fixture.setup.startingCapital)
            let runner = EngineRunner(setup: fixture.setup, calendar: fixture.calendar, repository: repository, broker: toy,
                                      logs: .silent, options: EngineRunOptions(mode: .paper, pid: 1, host: "test"))
            let outcome = try runner.runSession(day)
            #expect(outcome.ending == .completed)
            #expect(outcome.orders > 10 && outcome.fills > 5, "\(outcome.orders) orders, \(outcome.fills) fills")

            // Every order was sent once, the two with unknown outcomes included.
            #expect(toy.submissions.values.allSatisfy { $0 == 1 }, "\(toy.submissions.filter { $0.value > 1 })")
            #expect(toy.unknownOrders.count == 2 && toy.lost.count == 1)
            let recorded = Dictionary(try repository.orders(mode: .paper, createdFrom: UTCTimestamp(microseconds: 0),
                                                            before: UTCTimestamp(microseconds: .max)).map { ($0.clientOrderId, $0) },
                                      uniquingKeysWith: { a, _ in a })
            #expect(recorded.count == toy.submissions.count, "every order recorded before it was sent")
            let reached = try #require(recorded[toy.unknownOrders[0]])
            #expect(reached.brokerOrderId == toy.book[toy.unknownOrders[0]]?.brokerOrderId, "found in the book: placed, with the broker's id")
            #expect(reached.status != .rejected && reached.status != .submitted)
            let lost = try #require(recorded[toy.lost[0]])
            #expect(lost.status == .rejected)
            #expect(lost.statusReason?.contains("not in the broker's order book") == true, "\(lost.statusReason ?? "")")

            // The day ends flat at the broker and in the engine, with nothing left working or unknown.
            #expect(try toy.positions().isEmpty)
            #expect(try repository.openOrders(mode: .paper).isEmpty)
            #expect(recorded.values.allSatisfy { $0.status.isTerminal })
        }
    }
}
