import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// What the paper account is set up with: its starting capital, the instruments, how orders fill
/// and the product intraday orders use.
public struct PaperSettings: Sendable {
    public var startingCapital: Int64
    public var instruments: [Instrument]
    public var instrumentKinds: [InstrumentKind]
    public var fillModel: FillModel
    public var product: ProductType

    public init(startingCapital: Int64, instruments: [Instrument], instrumentKinds: [InstrumentKind], fillModel: FillModel,
                product: ProductType) {
        self.startingCapital = startingCapital
        self.instruments = instruments
        self.instrumentKinds = instrumentKinds
        self.fillModel = fillModel
        self.product = product
    }
}

/// The paper account as a broker account: its book is the state database (``PaperBook``), each
/// session's broker a ``PaperBroker`` that fills orders against the bars the engine sees. Without a
/// state store (a benchmark, a test) it is a fresh account every session.
public final class PaperBrokerAccount: BrokerAccount {
    public let name = "paper"
    public let store: (any StateStore)?
    public let mode: TradingMode
    public let settings: PaperSettings

    public init(store: (any StateStore)?, mode: TradingMode = .paper, settings: PaperSettings) {
        self.store = store
        self.mode = mode
        self.settings = settings
    }

    /// The recorded book, when there is a state store.
    public var book: PaperBook? { store.map { PaperBook(repository: $0, mode: mode, settings: settings) } }

    public func cash(at time: UTCTimestamp) throws -> Int64 {
        guard let book else { return settings.startingCapital }
        return try book.account(before: time).cash
    }

    public func positions() throws -> [BrokerPosition] {
        try book?.account().positions ?? []
    }

    public func session(date: LocalDate, open: UTCTimestamp, close: UTCTimestamp) throws -> BrokerSession {
        let costs = try CostModel(instrumentKinds: settings.instrumentKinds, pricingDate: date)
        let broker = PaperBroker(
            simulator: SimulatedBroker(fillModel: settings.fillModel, charges: costs, tickSizes: settings.instruments.map(\.tickSize)),
            mode: mode, repository: store, startingCapital: settings.startingCapital, sessionFrom: open, sessionBefore: close)
        return BrokerSession(broker: broker, market: broker)
    }

    public func settle(before open: UTCTimestamp, at time: UTCTimestamp) throws -> (expired: [String], closed: [ClosedPosition]) {
        guard let book else { return ([], []) }
        let expired = try book.cancelWorkingOrders(createdBefore: open, reason: "expired: day order of an earlier session", at: time)
        let closed = try book.closePositions(
            before: open, reason: "MIS square-off by the paper broker (position left open by an earlier session)",
            exitReason: .squareOff, at: time)
        return (expired, closed)
    }

    public func cancelWorkingOrders(createdBefore before: UTCTimestamp?, reason: String, at time: UTCTimestamp) throws -> [String] {
        try book?.cancelWorkingOrders(createdBefore: before, reason: reason, at: time) ?? []
    }

    public func closePositions(reason: String, at time: UTCTimestamp) throws -> [ClosedPosition] {
        try book?.closePositions(reason: reason, at: time) ?? []
    }
}
