import AlphaPrimeDomain

/// Where a session is in its steps (see `SessionRun.takeStep()`) and what it learnt at each,
/// waiting to be written with the fills and order ends.
///
/// Values per step: everything learnt at step `s` is in `[s × 4096, s × 4096 + 2048)`, in the order
/// it was learnt; what a live session learnt between step `s` and the next (a delivery paced by the
/// wall clock, which takes no step) in `[s × 4096 + 2048, (s + 1) × 4096)`.
struct LearntSteps {
    static let perStep: Int64 = 4096

    /// The value the next thing learnt gets, less the order within the step.
    private(set) var base: Int64 = 0
    private var next: Int64 = 0
    /// What was learnt and not written yet: by `order id|status` and by `order id|broker trade id`.
    private var statuses: [String: Int64] = [:]
    private var fills: [String: Int64] = [:]

    /// The step reached.
    var step: Int64 { base / Self.perStep }

    /// Everything learnt up to step `step` (not what came between it and the next) is below this.
    static func limit(step: Int64) -> Int64 { step * perStep + perStep / 2 }

    /// The session takes step `step`, or (`between`) learns something after it and before the next.
    mutating func begin(step: Int64, between: Bool) {
        let base = step * Self.perStep + (between ? Self.perStep / 2 : 0)
        guard base != self.base else { return }
        self.base = base
        next = 0
    }

    private mutating func take() -> Int64 {
        defer { next = min(next + 1, Self.perStep / 2 - 1) }
        return base + next
    }

    /// The broker's report of an order's status (an answer, an end) is being taken in.
    mutating func note(_ status: OrderStatus, of coreId: Int64) { statuses[Self.key(coreId, status.rawValue)] = take() }

    /// An execution is being counted.
    mutating func note(fillOf coreId: Int64, brokerTradeId: String) { fills[Self.key(coreId, brokerTradeId)] = take() }

    /// When the status was learnt (nil: not noted), forgotten once asked.
    mutating func remove(_ status: OrderStatus, of coreId: Int64) -> Int64? {
        statuses.removeValue(forKey: Self.key(coreId, status.rawValue))
    }

    /// When the execution was counted (nil: not noted), forgotten once asked.
    mutating func remove(fillOf coreId: Int64, brokerTradeId: String) -> Int64? {
        fills.removeValue(forKey: Self.key(coreId, brokerTradeId))
    }

    private static func key(_ coreId: Int64, _ what: String) -> String { "\(coreId)|\(what)" }
}
