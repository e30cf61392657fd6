import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeCommands

/// The engine reads time only through its clock port: a test clock decides the wall time the
/// records carry and how long a paced replay waits, so a real-time day runs in no time.
@Suite struct EngineClockTests {
    static let start = UTCTimestamp(secondsSinceEpoch: 1_614_000_000)  // 2021-02-22T13:20:00Z

    @Test func manualClockMovesOnlyWhenTold() {
        let clock = ManualClock(now: Self.start)
        #expect(clock.now() == Self.start)
        #expect(clock.monotonic() == .zero)
        clock.sleep(for: .milliseconds(1_500))
        #expect(clock.now() == Self.start.adding(microseconds: 1_500_000))
        #expect(clock.monotonic() == .milliseconds(1_500))
        clock.advance(by: .zero)
        #expect(clock.monotonic() == .milliseconds(1_500))
    }

    @Test func replayClockWaitsOnTheEngineClock() {
        let clock = ManualClock(now: Self.start)
        var pacer = ReplayClock(speed: .times(60), clock: clock)
        #expect(pacer.wait(untilMarketTime: 1_000) { false }, "the first call anchors the replay clock")
        #expect(clock.monotonic() == .zero)
        #expect(pacer.wait(untilMarketTime: 1_000 + 600) { false })
        #expect(clock.monotonic() == .seconds(10), "ten market minutes at 60x are ten seconds")
        var asked = 0
        #expect(!pacer.wait(untilMarketTime: 1_000 + 1_200) { asked += 1; return asked > 3 }, "a stop request interrupts the wait")
        #expect(clock.monotonic() == .milliseconds(10_300), "checked every 100 ms slice")
    }

    /// A whole replayed day paced at `60x` on a test clock: it finishes without real waiting, the
    /// clock has moved by the market time the day covers, and the session record carries the test
    /// clock's wall time, not the machine's.
    @Test func aPacedReplayOnATestClock() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let days = try fixture.days(["2021-02-22"])
        try TestDatabases.withMigrated(.sqlite) { repository in
            let clock = ManualClock(now: Self.start)
            let runner = EngineRunner(setup: fixture.setup, calendar: fixture.calendar, repository: repository,
                                      broker: PaperBrokerAccount(store: repository, settings: PaperSettings(fixture.setup)), logs: .silent,
                                      options: EngineRunOptions(mode: .paper, speed: .times(60), pid: 1, host: "test"), clock: clock)
            let began = ContinuousClock.now
            let outcome = try runner.runSession(days[0])
            #expect(ContinuousClock.now - began < .seconds(60), "no real waiting")
            #expect(outcome.ending == .completed)
            let first = days[0].series.compactMap { $0.count > 0 ? $0.time[0] : nil }.min()!
            let last = days[0].series.compactMap { $0.count > 0 ? $0.time[$0.count - 1] : nil }.max()!
            #expect(clock.monotonic() == .seconds(Double(last - first) / 60),
                    "the replay clock waited from the first bar's close to the last's, at 60x")
            let session = try #require(try repository.engineSession(mode: .paper, date: days[0].date))
            #expect(session.startedAt == Self.start)
            #expect(session.completedAt == clock.now())
            #expect(try repository.engineState(mode: .paper)?.heartbeatAt.map { $0 >= Self.start && $0 <= clock.now() } == true)
        }
    }
}
