import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Logging

/// What the engine does, and where its orders go.
public enum EngineMode: String, Sendable, Codable, CaseIterable {
    /// Market data and signals, every signal logged with what the risk stage would have done; no orders.
    case monitor
    /// Orders go to the paper broker.
    case paper
    /// Orders go to the configured live broker.
    case live

    /// The mode rows are stored under: paper and live never mix; monitor writes no orders and
    /// reports its heartbeat on the paper row.
    public var tradingMode: TradingMode { self == .live ? .live : .paper }
}

/// The bars of one trading session and the rules the loop applies to it.
public struct SessionPlan: Sendable {
    public var date: LocalDate
    /// Continuous trading `[open, close)`, UTC epoch seconds.
    public var open: Int64
    public var close: Int64
    /// The session's bars per symbol id (an instrument no strategy trades may have none).
    public var series: [BarSeries]
    /// Where the bars came from, for the session record.
    public var source: String

    public init(date: LocalDate, open: Int64, close: Int64, series: [BarSeries], source: String) {
        self.date = date; self.open = open; self.close = close; self.series = series; self.source = source
    }
}

/// How one session ended, with its figures.
public struct SessionOutcome: Sendable {
    public enum Ending: Sendable, Equatable {
        case completed
        /// Stopped by `engine stop` or a signal; the session can be resumed.
        case stopped(String)
        case emergencyStopped
        /// The risk stage halted the run (the kill switch, max drawdown, a prop firm's rule) during the session.
        case killSwitch(String)
        /// The session had already been run to its end.
        case alreadyCompleted
    }

    public var date: LocalDate
    public var ending: Ending
    public var bars = 0
    /// Bars replayed quickly to rebuild the state of a session the engine had started before.
    public var recoveredBars = 0
    public var signals = 0
    public var orders = 0
    public var fills = 0
    public var trades = 0
    public var rejections = 0
    public var netPnL: Int64 = 0
    public var charges: Int64 = 0
    public var equity: Int64 = 0
    public var dayStartCash: Int64 = 0
    /// Differences between the database and the re-created state that were repaired.
    public var repairs = 0
    /// Orders taken in from the broker's book that the engine had not created in this run.
    public var adoptedOrders = 0
    /// Broker events the engine never heard and found in the broker's book (acceptances,
    /// executions, cancellations), applied when it read the book.
    public var reconciledEvents = 0
    /// Database transactions committed by this run.
    public var commits = 0
    /// Per order handed to the broker: nanoseconds from the market event to the decision (order
    /// ready; time spent in earlier write-ahead commits of the same bar left out), and to the broker
    /// call (everything included: the write-ahead commit). Empty unless measured.
    public var decisionLatencies: [Int64] = []
    public var placementLatencies: [Int64] = []
}

/// Checks for requests from other processes between bars.
public struct EngineControlChannel {
    /// A pending request, if any (the oldest).
    public var poll: () throws -> EngineControlRecord?
    public var markHandled: (EngineControlRecord, String) throws -> Void
    /// SIGTERM / SIGINT arrived.
    public var signalled: () -> Bool

    public init(poll: @escaping () throws -> EngineControlRecord?, markHandled: @escaping (EngineControlRecord, String) throws -> Void,
                signalled: @escaping () -> Bool) {
        self.poll = poll; self.markHandled = markHandled; self.signalled = signalled
    }
}
