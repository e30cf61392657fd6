import Foundation
import Synchronization
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeCore
@testable import AlphaPrimeStore

/// The engine's alerts: a kill-switch trip and the breakers of a replayed day reach the alert sink
/// as they happen, once each, and a restart that replays the day raises none of them again.
@Suite struct EngineAlertTests {
    final class Sink: AlertSink, @unchecked Sendable {
        let raised = Mutex<[Alert]>([])
        func raise(_ alert: Alert) { raised.withLock { $0.append(alert) } }
        var alerts: [Alert] { raised.withLock { $0 } }
    }

    @Test func aKillSwitchTripIsAlertedOnceAndNotAgainAfterARestart() throws {
        // The kill switch trips on this day at a 1% loss, after the loss passed 50% and 80% of a 1.2% daily max loss.
        let fixture = try EngineFixture(riskPreset: "dev", killSwitchDailyLossPct: 1.0, dailyMaxLossPct: 1.2)
        let days = try fixture.days([EngineRecoveryTests.day])
        let database = try migratedMemoryDatabase()
        let sink = Sink()
        let runner = fixture.runner(StateRepository(database: database))
        runner.alerts = sink
        _ = try runner.run(days)
        let kill = sink.alerts.filter { $0.kind == .killSwitch }
        #expect(kill.count == 1 && kill.first?.severity == .critical, "\(sink.alerts.map(\.title))")
        #expect(kill.first?.title.contains("kill switch set") == true && kill.first?.message.isEmpty == false)
        let recorded = try database.query("SELECT COUNT(*) AS n FROM risk_events WHERE action IN ('paused', 'halted_for_day', 'halted', 'kill_switch_set', 'failed') AND rule <> 'kill_switch'")
            .first?.int64("n") ?? -1
        let warnings = sink.alerts.filter { $0.key.hasPrefix("daily_loss_") }
        #expect(Int64(sink.alerts.count - warnings.count) == recorded, "one alert per breaker, halt or trip recorded")
        #expect(warnings.map(\.title) == ["the day's loss is 50% of the daily limit", "the day's loss is 80% of the daily limit"],
                "the day's loss crossed half and four fifths of its limit before the kill switch: \(sink.alerts.map(\.title))")
        #expect(warnings.map(\.severity) == [.warning, .critical])
        #expect(sink.alerts.allSatisfy { $0.kind == .killSwitch || $0.kind == .circuitBreaker || $0.kind == .dailyLoss })

        // Stopped dead after any commit and run again: every alert was raised by one run or the
        // other (one stopped between an event and its alert leaves it to the restart), and the
        // replay raises none whose event the earlier run had recorded.
        var commits = 0
        _ = try fixture.runner(StateRepository(database: try migratedMemoryDatabase()), afterCommit: { commits = $0 }).run(days)
        for point in stride(from: 1, to: commits, by: max(1, commits / 25)) {
            let repository = StateRepository(database: try migratedMemoryDatabase())
            let first = Sink(), second = Sink()
            let crashing = fixture.runner(repository, afterCommit: { if $0 == point { throw SimulatedCrash() } })
            crashing.alerts = first
            #expect(throws: SimulatedCrash.self) { _ = try crashing.run(days) }
            let resumed = fixture.runner(repository)
            resumed.alerts = second
            _ = try resumed.run(days)
            let keys = (first.alerts + second.alerts).map(\.key)
            #expect(Set(keys) == Set(sink.alerts.map(\.key)), "crash after commit \(point): \(first.alerts.count) + \(second.alerts.count)")
            #expect(keys.count <= sink.alerts.count + 1, "crash after commit \(point): at most the alert in flight twice")
        }
    }
}
