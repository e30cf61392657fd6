import Foundation
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore

/// A seeded unreliable connection between a broker and the engine, as a real one is: a fill sent
/// twice (a postback repeated, updates replayed after a reconnect), events of different orders out of
/// order, the tail of a batch held back until the next one, and answers and updates lost (those the
/// broker's order and trade books also show). Each order's own events keep their order.
struct WireFaults {
    struct Rates {
        var repeatFill = 0.25
        var drop = 0.08
        var shuffle = 0.3
        var delay = 0.2
    }

    var random: SplitMix64
    let rates: Rates
    private var held: [BrokerEvent] = []
    private(set) var repeated = 0, dropped = 0, shuffled = 0, delayed = 0

    init(seed: UInt64, rates: Rates) {
        random = SplitMix64(seed: seed)
        self.rates = rates
    }

    mutating func chance(_ p: Double) -> Bool { Double(random.next() >> 11) / Double(1 << 53) < p }

    /// Events a real broker could lose: the answers and updates its book also shows. (A moved
    /// stop's answer is not in the book, so it is never lost here.)
    static func droppable(_ event: BrokerEvent) -> Bool {
        switch event {
        case .accepted, .rejected, .filled, .cancelled: true
        default: false
        }
    }

    /// What the engine hears of `fresh` (and of what was held back before it).
    mutating func relay(_ fresh: [BrokerEvent], into events: inout [BrokerEvent]) {
        var batch = held
        held.removeAll()
        for event in fresh {
            if Self.droppable(event), chance(rates.drop) { dropped += 1; continue }
            batch.append(event)
            if case .filled = event, chance(rates.repeatFill) { batch.append(event); repeated += 1 }
        }
        if batch.count > 1, chance(rates.shuffle) {
            var queues: [Int64: [BrokerEvent]] = [:]
            var ids: [Int64] = []
            for event in batch {
                if queues[event.orderID] == nil { ids.append(event.orderID) }
                queues[event.orderID, default: []].append(event)
            }
            if ids.count > 1 {
                batch.removeAll(keepingCapacity: true)
                while !ids.isEmpty {
                    let pick = Int(random.next() % UInt64(ids.count))
                    batch.append(queues[ids[pick]]!.removeFirst())
                    if queues[ids[pick]]!.isEmpty { ids.remove(at: pick) }
                }
                shuffled += 1
            }
        }
        // The end of the batch arrives only with the next one (or never, if the connection ends).
        if batch.count > 1, chance(rates.delay) {
            let cut = 1 + Int(random.next() % UInt64(batch.count - 1))
            held = Array(batch[cut...])
            batch.removeSubrange(cut...)
            delayed += 1
        }
        events.append(contentsOf: batch)
    }

    /// The connection dropped: what it held back is never delivered.
    mutating func disconnect() { held.removeAll() }
}

/// What a broker itself holds, as Kite's order book and trade book do: every order it was sent and
/// what became of it, every execution, written as the broker acts and before anything is lost on
/// the way to the engine.
struct BrokerOwnBook {
    private var tags: [Int64: String] = [:]
    private var entries: [String: BrokerOrder] = [:]
    private(set) var fills: [BrokerFill] = []

    var orders: [BrokerOrder] { Array(entries.values) }
    func side(of tag: String) -> Side? { entries[tag]?.side }

    mutating func place(_ request: BrokerOrderRequest) {
        let o = request.order
        tags[o.id] = request.clientOrderId
        entries[request.clientOrderId] = BrokerOrder(
            clientOrderId: request.clientOrderId, brokerOrderId: nil, strategy: nil, symbol: "\(o.symbol)", side: o.side,
            orderType: o.type, quantity: o.quantity, filledQuantity: 0, status: .submitted,
            createdAt: UTCTimestamp(secondsSinceEpoch: o.time))
    }

    mutating func record(_ event: BrokerEvent) {
        guard let tag = tags[event.orderID], var entry = entries[tag] else { return }
        switch event {
        case .accepted(_, let brokerOrderId):
            entry.brokerOrderId = brokerOrderId
            if entry.status == .submitted { entry.status = .open }
        case .filled(let fill, let tradeId):
            fills.append(BrokerFill(clientOrderId: tag, brokerTradeId: tradeId, quantity: fill.quantity, price: fill.price,
                                    charges: fill.charges, time: UTCTimestamp(secondsSinceEpoch: fill.time)))
            entry.filledQuantity += fill.quantity
            entry.status = entry.filledQuantity >= entry.quantity ? .filled : .partiallyFilled
        case .cancelled: if !entry.status.isTerminal { entry.status = .cancelled }
        case .rejected: entry.status = .rejected
        default: break
        }
        entries[tag] = entry
    }
}
