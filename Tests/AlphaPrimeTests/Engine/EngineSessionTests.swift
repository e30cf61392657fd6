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

/// The engine's session loop: the same trading core as the backtester, the session rules, stops and
/// take-overs that stay consistent across later restarts.
@Suite struct EngineSessionTests {
    static let day = "2021-02-22"

    /// A control channel that asks for `command` at the `after`-th minute boundary, deterministically.
    static func stopping(after boundaries: Int, _ command: EngineControlCommand) -> EngineControlChannel {
        let state = Counter()
        return EngineControlChannel(
            poll: { state.count > boundaries ? EngineControlRecord(id: 1, mode: .paper, command: command, requestedBy: "test",
                                                                   requestedAt: .now()) : nil },
            markHandled: { _, _ in },
            signalled: {
                state.count += 1
                return state.count == boundaries + 1
            })
    }

    final class Counter { var count = 0 }

    /// One day through the engine's session loop (the paper broker, no database) and through the
    /// backtester, from the same warmed-up strategies.
    static func engineAndBacktest(riskPreset: String?, day date: String, backtestCharges: (any ChargesModel)? = nil) throws
        -> (run: SessionRun<AnyStrategy>, backtest: BacktestOutcome<AnyStrategy>) {
        let fixture = try EngineFixture(riskPreset: riskPreset)
        let day = try #require(try fixture.days([date]).first)
        let setup = fixture.setup
        let strategies = try fixture.runner(nil).warmedStrategies(day)
        let costs = try CostModel(instrumentKinds: setup.instrumentKinds, pricingDate: day.date)
        let simulator = SimulatedBroker(fillModel: setup.fillModel, charges: costs, tickSizes: setup.instruments.map(\.tickSize))

        let broker = PaperBroker(simulator: simulator, repository: nil, startingCapital: setup.startingCapital,
                                 sessionFrom: UTCTimestamp(secondsSinceEpoch: day.session.openEpochSeconds),
                                 sessionBefore: UTCTimestamp(secondsSinceEpoch: day.session.closeEpochSeconds))
        let run = SessionRun<AnyStrategy>(
            core: TradingCore(strategies: strategies.map(ObservedStrategy.init), instruments: setup.instruments,
                              startingCapital: setup.startingCapital, risk: setup.risk, product: setup.product),
            broker: BrokerSession(broker: broker, market: broker), journal: nil,
            plan: SessionPlan(date: day.date, open: day.session.openEpochSeconds, close: day.session.closeEpochSeconds,
                              series: day.series, source: "test"),
            mode: .paper, logs: .silent, speed: .max, snapshotInterval: 60, clock: SystemClock())
        _ = try run.run()

        let calendar = fixture.calendar
        var backtestBroker = simulator
        if let backtestCharges { backtestBroker.charges = backtestCharges }
        let backtest = Backtester.run(
            core: TradingCore(strategies: strategies, instruments: setup.instruments, startingCapital: setup.startingCapital,
                              risk: setup.risk, product: setup.product),
            series: day.series, broker: backtestBroker,
            sessions: { date in calendar.session(on: date).map { ($0.openEpochSeconds, $0.closeEpochSeconds) } })
        return (run, backtest)
    }

    /// docs/charges.md: "a trade pays the rate set in force on its IST date", in the backtest as in
    /// the engine. The backtester is given the undated model `backtest --charges nse` builds; the
    /// engine's paper broker prices at the session's date: every trade's charges agree to the paisa,
    /// and differ from the newest rates (the 2026 futures STT) for this 2021 day.
    @Test func chargesAreThoseOfTheTradesDateInTheBacktestAndTheEngine() throws {
        let kinds = try EngineFixture(riskPreset: nil).setup.instrumentKinds
        let (run, backtest) = try Self.engineAndBacktest(riskPreset: nil, day: Self.day,
                                                         backtestCharges: try CostModel(instrumentKinds: kinds))
        let engineCharges = run.core.ledger.closedTrades.map(\.charges)
        #expect(engineCharges.count > 5)
        #expect(engineCharges == backtest.trades.map(\.charges))
        #expect(run.core.ledger.totalCharges == backtest.ledger.totalCharges)
        let (_, newest) = try Self.engineAndBacktest(riskPreset: nil, day: Self.day,
                                                     backtestCharges: try CostModel(instrumentKinds: kinds, ratesAsOf: LocalDate(year: 2026, month: 4, day: 1)))
        #expect(newest.ledger.totalCharges > backtest.ledger.totalCharges, "--charges-as-of prices the day at another date's rates")
    }

    @Test(arguments: ["dev", nil])
    func theEngineTradesLikeTheBacktester(riskPreset: String?) throws {
        let (run, backtest) = try Self.engineAndBacktest(riskPreset: riskPreset, day: Self.day)
        // The same core, the same broker rules: the same orders, trades and risk decisions all day,
        // the square-off at 15:20 included.
        #expect(run.core.orders.count > 30)
        #expect(run.core.orders.map(\.request) == backtest.core.orders.map(\.request))
        #expect(run.core.ledger.closedTrades == backtest.trades)
        #expect(run.core.riskEvents == backtest.core.riskEvents)
        #expect(run.core.riskEvents.contains { $0.action == .squaredOff })
        // Every trade names what closed it; under the dev preset the 15:20 square-off closes some.
        #expect(backtest.trades.allSatisfy { $0.exitReason != nil })
        if riskPreset == "dev" { #expect(backtest.trades.contains { $0.exitReason == .squareOff }) }
        #expect(run.core.ledger.openPositionCount == 0 && backtest.ledger.openPositionCount == 0)
        #expect(run.core.orders.allSatisfy { $0.status.isTerminal })
    }

    static let bundledDays = ["2021-02-15", "2021-02-16", "2021-02-17", "2021-02-18", "2021-02-19",
                              "2021-02-22", "2021-02-23", "2021-02-24", "2021-02-25", "2021-02-26"]

    /// Every bundled day, under the default rules and the `dev` preset: the session ends flat in
    /// both, whether or not a bar came after the square-off time — 2021-02-24 (the NSE outage: the
    /// BANKNIFTY bars stop at 10:07 and one comes at 15:21) included — with the same trades.
    @Test(arguments: ["dev", nil], bundledDays)
    func everyBundledDayTradesAlikeAndEndsFlat(riskPreset: String?, day: String) throws {
        let (run, backtest) = try Self.engineAndBacktest(riskPreset: riskPreset, day: day)
        #expect(run.core.orders.map(\.request) == backtest.core.orders.map(\.request))
        #expect(run.core.ledger.closedTrades == backtest.trades)
        #expect(run.core.ledger.openPositionCount == 0, "the engine ends the session flat")
        #expect(backtest.ledger.openPositionCount == 0, "an intraday position never crosses the close")
        #expect(backtest.core.orders.allSatisfy { $0.status.isTerminal }, "DAY orders expire at the close")
    }

    /// docs/strategies.md: with `trailing: true` momentum's protective stop order itself follows the
    /// price (modified at the broker), only in the trade's favour. Over the bundled days, under the
    /// dev preset: stops are moved, the engine and the backtester move the same stops to the same
    /// triggers, and some stop ends up locking in a profit (above a long's entry, below a short's).
    @Test func momentumsTrailingStopMovesTheStopOrderItselfAlikeInBothPaths() throws {
        var moved = 0
        var lockedIn = 0
        for day in Self.bundledDays {
            let (run, backtest) = try Self.engineAndBacktest(riskPreset: "dev", day: day)
            #expect(run.core.stopsMoved == backtest.core.stopsMoved, "\(day)")
            #expect(run.core.orders.map(\.request) == backtest.core.orders.map(\.request), "\(day)")
            moved += backtest.core.stopsMoved
            for stop in backtest.core.orders where stop.request.purpose == .stopLoss {
                let entry = backtest.core.orders.last { $0.request.id < stop.request.id && $0.request.strategy == stop.request.strategy
                    && $0.request.purpose == .entry && $0.filledQuantity > 0 }
                guard let entry, entry.filledQuantity > 0 else { continue }
                let entryPrice = entry.filledValue / entry.filledQuantity
                let trigger = stop.request.triggerPrice
                if entry.request.side == .buy ? trigger > entryPrice : trigger < entryPrice { lockedIn += 1 }
            }
        }
        #expect(moved > 0, "momentum's trailing stop moved no stop order")
        #expect(lockedIn > 0, "no trailed stop reached the trade's profit side")
    }

    @Test func aStopWithFlattenResumedLaterStaysConsistentAcrossAnotherCrash() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let days = try fixture.days([Self.day])

        func stopThenResume(crashAt: Int?) throws -> SessionRecord {
            let database = try migratedMemoryDatabase()
            let repository = StateRepository(database: database)
            let stopping = fixture.runner(repository)
            stopping.control = Self.stopping(after: 100, .stopFlatten)
            let first = try stopping.run(days)
            #expect(first.first?.ending == .stopped("stopped and flattened by test"))
            #expect(try PaperBook(repository: repository, settings: PaperSettings(fixture.setup)).account().openBooks.isEmpty)
            if let crashAt {
                #expect(throws: SimulatedCrash.self) {
                    _ = try fixture.runner(repository, afterCommit: { if $0 == crashAt { throw SimulatedCrash() } }).run(days)
                }
            }
            let resumed = try fixture.runner(repository).run(days)
            #expect(resumed.first?.ending == .completed)
            if crashAt == nil { #expect(resumed.first?.adoptedOrders ?? 0 > 0, "the stop's square-off orders are taken in") }
            #expect(try database.queryFirst("SELECT COUNT(*) AS n FROM orders WHERE status NOT IN ('FILLED', 'CANCELLED', 'REJECTED')")?
                .int64("n") == 0)
            return try SessionRecord.read(database)
        }

        let plain = try stopThenResume(crashAt: nil)
        for crash in [1, 3, 10, 40] {
            let crashed = try stopThenResume(crashAt: crash)
            #expect(crashed == plain, "crash after commit \(crash) of the resumed run: \(crashed.firstDifference(from: plain) ?? "")")
        }
    }

    @Test func anEmergencyTakeoverResumedLaterStaysConsistentAcrossAnotherCrash() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let days = try fixture.days([Self.day])

        func takeoverThenResume(crashAt: Int?) throws -> (SessionRecord, Int) {
            let database = try migratedMemoryDatabase()
            let repository = StateRepository(database: database)
            // The engine dies with positions open (after its 41st commit on this day).
            #expect(throws: SimulatedCrash.self) {
                _ = try fixture.runner(repository, afterCommit: { if $0 == 41 { throw SimulatedCrash() } }).run(days)
            }
            let book = PaperBook(repository: repository, settings: PaperSettings(fixture.setup))
            let open = try book.account().openBooks.count
            let at = try EngineControl.marketTimeNow(repository: repository, mode: .paper, clock: SystemClock())
            try book.cancelWorkingOrders(reason: "cancelled: emergency stop by test", at: at)
            let closed = try book.closePositions(reason: "emergency stop by test", at: at)
            #expect(closed.count == open)
            #expect(try book.account().openBooks.isEmpty)
            if let crashAt {
                #expect(throws: SimulatedCrash.self) {
                    _ = try fixture.runner(repository, afterCommit: { if $0 == crashAt { throw SimulatedCrash() } }).run(days)
                }
            }
            let resumed = try fixture.runner(repository).run(days)
            #expect(resumed.first?.ending == .completed)
            return (try SessionRecord.read(database), open)
        }

        let (plain, open) = try takeoverThenResume(crashAt: nil)
        #expect(open > 0, "the crash left positions to close")
        for crash in [1, 2, 7, 30] {
            let (crashed, _) = try takeoverThenResume(crashAt: crash)
            #expect(crashed == plain, "crash after commit \(crash) of the resumed run: \(crashed.firstDifference(from: plain) ?? "")")
        }
    }

    @Test func aSessionLeftOpenIsSettledBeforeTheNextOne() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let database = try migratedMemoryDatabase()
        let repository = StateRepository(database: database)
        // 2021-02-22 dies with positions and working orders; 2021-02-23 is run next.
        #expect(throws: SimulatedCrash.self) {
            _ = try fixture.runner(repository, afterCommit: { if $0 == 41 { throw SimulatedCrash() } }).run(try fixture.days(["2021-02-22"]))
        }
        #expect(try !PaperBook(repository: repository, settings: PaperSettings(fixture.setup)).account().openBooks.isEmpty)
        let next = try fixture.runner(repository).run(try fixture.days(["2021-02-23"]))
        #expect(next.first?.ending == .completed)
        let account = try PaperBook(repository: repository, settings: PaperSettings(fixture.setup)).account()
        #expect(account.openBooks.isEmpty)
        #expect(try repository.openOrders(mode: .paper).isEmpty)
        // The second day opened with the cash the first left, positions squared off at their last price.
        let opening = try #require(try repository.engineSession(mode: .paper, date: LocalDate("2021-02-23")!)).dayStartCash.value
        let before = try PaperBook(repository: repository, settings: PaperSettings(fixture.setup))
            .account(before: UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: LocalDate("2021-02-23")!, secondOfDay: 0)))
        #expect(opening == before.cash)
        #expect(before.openBooks.isEmpty)
    }

    @Test func monitorModeWritesNoOrders() throws {
        let fixture = try EngineFixture()
        let database = try migratedMemoryDatabase()
        let outcomes = try fixture.runner(StateRepository(database: database), mode: .monitor).run(try fixture.days([Self.day]))
        #expect(outcomes.first?.signals ?? 0 > 0)
        #expect(outcomes.first?.orders == 0)
        #expect(try database.queryFirst("SELECT COUNT(*) AS n FROM orders")?.int64("n") == 0)
    }

    @Test func replayFilesGiveEverySessionInThemAndSayWhichSymbolsAreMissing() throws {
        let fixture = try EngineFixture()
        let directory = FileManager.default.temporaryDirectory.appending(path: "engine-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bars = try EngineFixture.store.load(symbol: "NIFTY50", timeframe: .oneMinute, from: LocalDate("2021-02-18"),
                                                through: LocalDate("2021-02-22"))
        let file = directory.appending(path: "NIFTY50_2021-02-18_22.csv")
        try CanonicalCSV.write(bars, to: file)
        let plan = try ReplayData.load(sources: [.file(file.path)], setup: fixture.setup, calendar: fixture.calendar,
                                       store: EngineFixture.store, warmupDays: 1, currentDirectory: directory)
        #expect(plan.days.map(\.date.description) == ["2021-02-18", "2021-02-19", "2021-02-22"])
        #expect(plan.symbolsWithoutBars == ["BANKNIFTY"])
        #expect(plan.days[2].series[0].count == 375 && plan.days[2].series[1].isEmpty)
        #expect(plan.days[2].warmup[0].count == 375, "one earlier session warms up")

        let holiday = try ReplayData.load(sources: [.date(LocalDate("2021-01-26")!)], setup: fixture.setup, calendar: fixture.calendar,
                                          store: EngineFixture.store, warmupDays: 2, currentDirectory: directory)
        #expect(holiday.days.isEmpty)
        #expect(holiday.closedDates.first?.contains("Republic Day") == true)
    }
}
