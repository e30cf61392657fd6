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

/// The repository suite: the same tests, the same repository code, on SQLite and PostgreSQL.
@Suite struct StateRepositoryTests {
    static let t0 = UTCTimestamp(microseconds: 1_769_400_000_000_000)  // 2026-01-26T04:00:00Z

    @Test(arguments: TestBackend.enabled)
    func orderIsStoredAndFoundByClientOrderId(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            let stored = try repository.insertOrder(sampleOrder(clientOrderId: "MR20260126A1"))
            let id = try #require(stored.id)
            #expect(try repository.order(id: id) == stored)
            #expect(try repository.order(mode: .paper, clientOrderId: "MR20260126A1") == stored)
            #expect(try repository.order(mode: .live, clientOrderId: "MR20260126A1") == nil)
            #expect(try repository.openOrders(mode: .paper).map(\.id) == [id])
            #expect(try repository.openOrders(mode: .live).isEmpty)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func optionalOrderFieldsRoundTripAsNil(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            var order = sampleOrder()
            order.orderType = .market
            order.limitPrice = nil
            let stored = try repository.insertOrder(order)
            let id = try #require(stored.id)
            let back = try #require(try repository.order(id: id))
            #expect(back.limitPrice == nil)
            #expect(back.triggerPrice == nil)
            #expect(back.brokerOrderId == nil)
            #expect(back.averagePrice == nil)
            #expect(back.statusReason == nil)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func clientOrderIdIsUniquePerMode(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            try repository.insertOrder(sampleOrder(.paper, clientOrderId: "DUP1"))
            let error = storeError { try repository.insertOrder(sampleOrder(.paper, clientOrderId: "DUP1")) }
            #expect(error?.kind == .uniqueViolation)
            // The same intent in another mode is another order: paper and live never collide.
            #expect(try repository.insertOrder(sampleOrder(.live, clientOrderId: "DUP1")).id != nil)
            #expect(try repository.orders(mode: .paper, createdFrom: Self.t0, before: Self.t0.adding(seconds: 1)).count == 1)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func malformedClientOrderIdIsRefused(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            for bad in ["", "has-dash", String(repeating: "A", count: 21), "spaced id", "ÄÖ"] {
                let error = storeError { try repository.insertOrder(sampleOrder(clientOrderId: bad)) }
                #expect(error?.kind == .invalidValue, "\(bad)")
            }
            #expect(OrderRecord.isValidClientOrderId(String(repeating: "Z", count: 20)))
        }
    }

    @Test(arguments: TestBackend.enabled)
    func orderStatusUpdatesKeepTheBrokerOrderId(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            try repository.insertOrder(sampleOrder(clientOrderId: "ST1"))
            let submitted = try repository.updateOrderStatus(mode: .paper, clientOrderId: "ST1", status: .submitted,
                                                             brokerOrderId: "250126000123456", at: Self.t0.adding(seconds: 1))
            #expect(submitted.status == .submitted)
            #expect(submitted.brokerOrderId == "250126000123456")
            #expect(submitted.updatedAt == Self.t0.adding(seconds: 1))
            let open = try repository.updateOrderStatus(mode: .paper, clientOrderId: "ST1", status: .open, at: Self.t0.adding(seconds: 2))
            #expect(open.brokerOrderId == "250126000123456")
            let rejected = try repository.updateOrderStatus(mode: .paper, clientOrderId: "ST1", status: .rejected,
                                                            reason: "margin exceeds", at: Self.t0.adding(seconds: 3))
            #expect(rejected.statusReason == "margin exceeds")
            #expect(try repository.openOrders(mode: .paper).isEmpty)

            let missing = storeError { try repository.updateOrderStatus(mode: .live, clientOrderId: "ST1", status: .open, at: Self.t0) }
            #expect(missing?.kind == .notFound)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func fillsUpdateTheOrderInOneTransaction(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            let order = try repository.insertOrder(sampleOrder(clientOrderId: "FILL1", quantity: 75))
            let orderId = try #require(order.id)
            let first = try repository.recordFill(FillRecord(mode: .paper, orderId: orderId, brokerTradeId: "T1", quantity: 25,
                                                             price: Paise(2_512_340), charges: Paise(2_013), filledAt: Self.t0.adding(seconds: 1)))
            #expect(first.order.status == .partiallyFilled)
            #expect(first.order.filledQuantity == 25)
            #expect(first.order.averagePrice == Paise(2_512_340))
            #expect(first.fill.id != nil)

            let second = try repository.recordFill(FillRecord(mode: .paper, orderId: orderId, brokerTradeId: "T2", quantity: 50,
                                                              price: Paise(2_512_345), filledAt: Self.t0.adding(seconds: 2)))
            #expect(second.order.status == .filled)
            #expect(second.order.filledQuantity == 75)
            // (25 × 2_512_340 + 50 × 2_512_345) / 75 = 2_512_343.33… → 2_512_343
            #expect(second.order.averagePrice == Paise(2_512_343))
            #expect(try repository.order(id: orderId) == second.order)
            #expect(try repository.fills(orderId: orderId).map(\.brokerTradeId) == ["T1", "T2"])
            #expect(try repository.fills(orderId: orderId).first?.charges == Paise(2_013))
            #expect(try repository.fills(mode: .paper, from: Self.t0, before: Self.t0.adding(seconds: 10)).count == 2)
            #expect(try repository.openOrders(mode: .paper).isEmpty)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func refusedFillLeavesOrderAndFillsUnchanged(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            let order = try repository.insertOrder(sampleOrder(clientOrderId: "OVER1", quantity: 10))
            let orderId = try #require(order.id)
            try repository.recordFill(FillRecord(mode: .paper, orderId: orderId, brokerTradeId: "T1", quantity: 6,
                                                 price: Paise(100_000), filledAt: Self.t0))
            let before = try repository.order(id: orderId)

            let over = storeError {
                try repository.recordFill(FillRecord(mode: .paper, orderId: orderId, brokerTradeId: "T2", quantity: 5,
                                                     price: Paise(100_000), filledAt: Self.t0))
            }
            #expect(over?.kind == .invalidValue)
            let replayed = storeError {
                try repository.recordFill(FillRecord(mode: .paper, orderId: orderId, brokerTradeId: "T1", quantity: 1,
                                                     price: Paise(100_000), filledAt: Self.t0))
            }
            #expect(replayed?.kind == .uniqueViolation)
            let otherMode = storeError {
                try repository.recordFill(FillRecord(mode: .live, orderId: orderId, quantity: 1, price: Paise(100_000), filledAt: Self.t0))
            }
            #expect(otherMode?.kind == .notFound)
            let noOrder = storeError {
                try repository.recordFill(FillRecord(mode: .paper, orderId: 987_654, quantity: 1, price: Paise(1), filledAt: Self.t0))
            }
            #expect(noOrder?.kind == .notFound)

            #expect(try repository.order(id: orderId) == before)
            #expect(try repository.fills(orderId: orderId).count == 1)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func tradesKeepPnlToThePaisa(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            let trade = TradeRecord(
                mode: .paper, strategy: "breakout_scalper", symbol: "BANKNIFTY26JANFUT", exchange: "NFO", side: .sell,
                quantity: 30, entryPrice: Paise(5_912_005), exitPrice: Paise(5_898_000), entryAt: Self.t0,
                exitAt: Self.t0.adding(seconds: 600), grossPnl: Paise(420_150), charges: Paise(12_345), exitReason: "target")
            let stored = try repository.insertTrade(trade)
            #expect(stored.id != nil)
            let back = try repository.trades(mode: .paper, exitedFrom: Self.t0, before: Self.t0.adding(seconds: 601))
            #expect(back == [stored])
            #expect(back.first?.netPnl == Paise(407_805))
            #expect(try repository.trades(mode: .paper, exitedFrom: Self.t0, before: Self.t0.adding(seconds: 600)).isEmpty)
            #expect(try repository.trades(mode: .live, exitedFrom: Self.t0, before: Self.t0.adding(seconds: 601)).isEmpty)

            // A trade must name orders of its own mode.
            let liveOrder = try repository.insertOrder(sampleOrder(.live, clientOrderId: "LIVE1"))
            var mixed = trade
            mixed.entryOrderId = liveOrder.id
            #expect(storeError { try repository.insertTrade(mixed) }?.kind == .foreignKeyViolation)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func portfolioSnapshotsRoundTripLargeAmounts(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            let big = Paise(9_000_000_000_000_000_123)
            let first = PortfolioSnapshot(mode: .live, recordedAt: Self.t0, cash: big, positionsValue: Paise(-1),
                                          equity: Paise(Int64.max), realizedPnl: Paise(Int64.min), unrealizedPnl: .zero, openPositions: 0)
            let second = PortfolioSnapshot(mode: .live, recordedAt: Self.t0.adding(seconds: 60), cash: Paise(100_000_000),
                                           positionsValue: Paise(2_512_345 * 50), equity: Paise(225_617_250),
                                           realizedPnl: Paise(-12_345), unrealizedPnl: Paise(67_890), openPositions: 1)
            let a = try repository.recordPortfolioSnapshot(first)
            let b = try repository.recordPortfolioSnapshot(second)
            #expect(try repository.latestPortfolioSnapshot(mode: .live) == b)
            #expect(try repository.latestPortfolioSnapshot(mode: .paper) == nil)
            #expect(try repository.portfolioHistory(mode: .live, from: Self.t0, before: Self.t0.adding(seconds: 61)) == [a, b])
        }
    }

    @Test(arguments: TestBackend.enabled)
    func strategyPerformanceIsOneRowPerDay(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            let day = try #require(LocalDate("2026-01-26"))
            var record = StrategyPerformanceRecord(
                mode: .paper, strategy: "momentum", tradingDate: day, trades: 3, wins: 2, losses: 1,
                grossPnl: Paise(150_000), charges: Paise(4_321), netPnl: Paise(145_679), maxDrawdown: Paise(20_000),
                updatedAt: Self.t0)
            try repository.upsertStrategyPerformance(record)
            record.trades = 4
            record.losses = 2
            record.netPnl = Paise(95_679)
            try repository.upsertStrategyPerformance(record)
            let next = StrategyPerformanceRecord(
                mode: .paper, strategy: "momentum", tradingDate: day.adding(days: 1), trades: 0, wins: 0, losses: 0,
                grossPnl: .zero, charges: .zero, netPnl: .zero, maxDrawdown: .zero, updatedAt: Self.t0)
            try repository.upsertStrategyPerformance(next)
            #expect(try repository.strategyPerformance(mode: .paper, from: day, through: day) == [record])
            #expect(try repository.strategyPerformance(mode: .paper, from: day, through: day.adding(days: 1)) == [record, next])
            #expect(try repository.strategyPerformance(mode: .live, from: day, through: day).isEmpty)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func killSwitchPersistsAndIsRecordedAsARiskEvent(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            #expect(try repository.engineState(mode: .live) == nil)
            try repository.recordHeartbeat(mode: .live, status: "live", pid: 4242, host: "trader-box", at: Self.t0)
            var state = try #require(try repository.engineState(mode: .live))
            #expect(state.status == "live")
            #expect(state.pid == 4242)
            #expect(!state.killSwitch)

            try repository.setKillSwitch(mode: .live, by: "emergency-stop", reason: "daily loss limit hit", at: Self.t0.adding(seconds: 5))
            try repository.recordHeartbeat(mode: .live, status: "stopped", pid: nil, host: nil, at: Self.t0.adding(seconds: 6))
            state = try #require(try repository.engineState(mode: .live))
            #expect(state.killSwitch)  // a heartbeat never clears it
            #expect(state.killSwitchBy == "emergency-stop")
            #expect(state.killSwitchReason == "daily loss limit hit")
            #expect(state.killSwitchAt == Self.t0.adding(seconds: 5))
            #expect(state.pid == nil)
            #expect(try repository.engineState(mode: .paper) == nil)

            try repository.clearKillSwitch(mode: .live, by: "trader", reason: "reviewed, confirmed reset", at: Self.t0.adding(seconds: 9))
            #expect(try repository.engineState(mode: .live)?.killSwitch == false)
            let events = try repository.riskEvents(mode: .live, from: Self.t0, before: Self.t0.adding(seconds: 10))
            #expect(events.map(\.action) == ["kill_switch_set", "kill_switch_cleared"])
            #expect(events.first?.severity == .critical)

            // The kill switch can be set for a mode no engine has run in yet.
            try repository.setKillSwitch(mode: .paper, by: "trader", reason: "test", at: Self.t0)
            #expect(try repository.engineState(mode: .paper)?.killSwitch == true)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func riskEventsKeepOptionalFields(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            let event = try repository.recordRiskEvent(RiskEventRecord(
                mode: .backtest, occurredAt: Self.t0, rule: "max_positions", severity: .warning, action: "rejected",
                strategy: "mean_reversion", symbol: "RELIANCE", message: "3 positions open, limit 3"))
            let plain = try repository.recordRiskEvent(RiskEventRecord(
                mode: .backtest, occurredAt: Self.t0.adding(seconds: 1), rule: "session", severity: .info, action: "noted",
                message: "square-off time reached"))
            #expect(try repository.riskEvents(mode: .backtest, from: Self.t0, before: Self.t0.adding(seconds: 2)) == [event, plain])
        }
    }
}
