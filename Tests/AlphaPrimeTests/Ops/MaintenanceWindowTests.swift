import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeOps

/// When `db-maintenance vacuum` and `checkpoint` may run, and what the engine's health line says,
/// at chosen instants on the hand-written NSE calendar.
@Suite struct MaintenanceWindowTests {
    let calendar = NSECalendarFixture.calendar
    let engine = EngineLockHolder(pid: 4242, host: "trader-box", mode: "paper", since: "2026-01-27T03:00:00Z")

    /// UTC epoch seconds of an IST wall-clock time.
    func ist(_ text: String) -> Int64 { IST.epochSeconds(iso8601: text)! }

    @Test func marketHoursAreTheContinuousSession() {
        let open = MarketHours.state(calendar, at: ist("2026-01-27T11:00"))
        #expect(open.inSession)
        #expect(open.text == "the market is in session (2026-01-27 normal session 09:15–15:30 IST; now 11:00 IST)")
        #expect(!MarketHours.state(calendar, at: ist("2026-01-27T09:10")).inSession, "pre-open is not the session")
        #expect(MarketHours.state(calendar, at: ist("2026-01-27T08:00")).text.contains("opens at 09:15 IST"))
        let after = MarketHours.state(calendar, at: ist("2026-01-27T15:30"))
        #expect(!after.inSession && after.text.contains("closed at 15:30 IST"))
        let holiday = MarketHours.state(calendar, at: ist("2026-01-26T11:00"))
        #expect(!holiday.inSession && holiday.text.contains("is a holiday: Republic Day"))
    }

    @Test func noEngineNoQuestions() {
        #expect(MaintenanceWindow.decide(operation: "vacuum", holder: nil, calendar: calendar, at: ist("2026-01-27T11:00"), force: false)
            == .proceed(note: nil))
    }

    @Test func anEngineDuringMarketHoursIsNeverOverridden() {
        for force in [false, true] {
            guard case .refuse(let message) = MaintenanceWindow.decide(operation: "vacuum", holder: engine, calendar: calendar,
                                                                       at: ist("2026-01-27T11:00"), force: force) else {
                Issue.record("vacuum must be refused during market hours (force \(force))")
                continue
            }
            #expect(message.contains("pid 4242, on trader-box, mode paper"))
            #expect(message.contains("the market is in session"))
            #expect(message.contains("use --force outside market hours"))
        }
    }

    @Test func outsideMarketHoursForceLetsItRun() {
        let evening = ist("2026-01-27T19:00")
        guard case .refuse(let message) = MaintenanceWindow.decide(operation: "checkpoint", holder: engine, calendar: calendar,
                                                                   at: evening, force: false) else {
            Issue.record("without --force an engine still stops it")
            return
        }
        #expect(message.contains("pid 4242") && message.contains("db-maintenance checkpoint --force"))
        guard case .proceed(let note) = MaintenanceWindow.decide(operation: "checkpoint", holder: engine, calendar: calendar,
                                                                 at: evening, force: true) else {
            Issue.record("--force outside market hours goes ahead")
            return
        }
        #expect(note?.contains("pid 4242") == true && note?.contains("--force") == true)
        let saturday = MaintenanceWindow.decide(operation: "vacuum", holder: engine, calendar: calendar, at: ist("2026-01-24T11:00"), force: true)
        if case .proceed(let note) = saturday {
            #expect(note?.contains("2026-01-24 is a weekend day") == true)
        } else {
            Issue.record("a Saturday is outside market hours: \(saturday)")
        }
    }

    @Test func withoutACalendarTheEngineIsProtected() {
        guard case .refuse(let message) = MaintenanceWindow.decide(operation: "vacuum", holder: engine, calendar: nil,
                                                                   at: ist("2026-01-27T19:00"), force: true) else {
            Issue.record("an unreadable calendar cannot rule out market hours")
            return
        }
        #expect(message.contains("trading calendar") && message.contains("pid 4242"))
    }

    // MARK: The engine's health line

    let now = UTCTimestamp(secondsSinceEpoch: 1_769_500_000)

    func heartbeat(secondsAgo: Int64) -> UTCTimestamp { UTCTimestamp(secondsSinceEpoch: now.microseconds / 1_000_000 - secondsAgo) }

    @Test func duringTheSessionTheEngineMustRunAndBeat() {
        let at = ist("2026-01-27T11:00")
        let fresh = EngineHealth.check(holder: engine, heartbeat: heartbeat(secondsAgo: 3), calendar: calendar, marketTime: at, now: now)
        #expect(fresh.status == .ok)
        #expect(fresh.detail.hasPrefix("running (pid 4242, on trader-box, mode paper, since 2026-01-27T03:00:00Z), heartbeat 3 s ago"))
        let stale = EngineHealth.check(holder: engine, heartbeat: heartbeat(secondsAgo: 95), calendar: calendar, marketTime: at, now: now)
        #expect(stale.status == .failure && stale.detail.contains("heartbeat 1 min ago") && stale.detail.contains("may be hung"))
        let silent = EngineHealth.check(holder: engine, heartbeat: nil, calendar: calendar, marketTime: at, now: now)
        #expect(silent.status == .failure && silent.detail.contains("no heartbeat"))
        let missing = EngineHealth.check(holder: nil, heartbeat: nil, calendar: calendar, marketTime: at, now: now)
        #expect(missing.status == .warning && missing.detail.hasPrefix("not running and the market is in session"))
        let ahead = EngineHealth.check(holder: engine, heartbeat: heartbeat(secondsAgo: -4), calendar: calendar, marketTime: at, now: now)
        #expect(ahead.status == .ok, "a heartbeat a little ahead (another host's clock) is fresh")
    }

    @Test func outsideTheSessionItIsInformation() {
        let at = ist("2026-01-26T11:00")
        let stopped = EngineHealth.check(holder: nil, heartbeat: nil, calendar: calendar, marketTime: at, now: now)
        #expect(stopped.status == .info && stopped.detail.hasPrefix("not running; the market is closed (2026-01-26 is a holiday"))
        let replaying = EngineHealth.check(holder: engine, heartbeat: heartbeat(secondsAgo: 1), calendar: calendar, marketTime: at, now: now)
        #expect(replaying.status == .info && replaying.detail.contains("heartbeat 1 s ago"))
        let hung = EngineHealth.check(holder: engine, heartbeat: heartbeat(secondsAgo: 600), calendar: calendar, marketTime: at, now: now)
        #expect(hung.status == .warning && hung.detail.contains("10 min ago"))
    }
}
