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

@Suite struct TradingCalendarRulesTests {
    typealias F = NSECalendarFixture

    func problems(_ rules: TradingCalendar.Rules) -> [TradingCalendarError.Problem] {
        do {
            _ = try TradingCalendar(rules: rules)
            return []
        } catch let error as TradingCalendarError {
            return error.problems
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test func realRulesAreValid() {
        #expect(F.rules.problems().isEmpty)
    }

    @Test func openAtOrAfterCloseIsAnError() {
        var rules = F.rules
        rules.normal.session = F.w("15:30", "09:15")
        let found = problems(rules)
        #expect(found.count == 1)
        #expect(found.first?.location == .normalHours)
        #expect(found.first?.message == "normal session opens at 15:30, not before it closes at 09:15")

        rules = F.rules
        rules.specialSessions[1].hours.session = F.w("14:45", "14:45")
        let special = problems(rules)
        #expect(special.map(\.location) == [.specialSession(index: 1)])
        #expect(special.first?.date == LocalDate("2025-10-21"))
        #expect(special.first?.description
            == "special_sessions[1] (2025-10-21): special session opens at 14:45, not before it closes at 14:45")
    }

    @Test func windowsMustSitAroundTheSession() {
        var rules = F.rules
        rules.normal.preOpen = F.w("09:00", "09:20")
        rules.normal.closingSession = F.w("15:20", "16:00")
        rules.normal.closingAuction = F.w("09:00", "09:10")
        let messages = problems(rules).map(\.message)
        #expect(messages == [
            "pre-open 09:00–09:20 ends after the normal session opens at 09:15",
            "closing auction 09:00–09:10 starts before the normal session opens at 09:15",
            "closing session 15:20–16:00 starts before the normal session closes at 15:30",
        ])
    }

    @Test func duplicateDatesAreErrors() {
        var rules = F.rules
        rules.holidays.append(.init(date: F.d("2026-01-26"), name: "Republic Day again"))
        rules.specialSessions.append(F.muhurat2025)
        rules.sessionChanges.append(.init(effectiveFrom: F.d("2026-08-03"), session: F.w("09:15", "15:30")))
        let found = problems(rules)
        #expect(found.map(\.location) == [
            .holiday(index: rules.holidays.count - 1),
            .specialSession(index: 2),
            .sessionChange(index: 1),
        ])
        #expect(found[0].message == "date listed twice (also holidays[\(F.holidays.firstIndex { $0.0 == "2026-01-26" }!)])")
        #expect(found[1].message == "date listed twice (also special_sessions[1])")
        #expect(found[2].message == "effective date listed twice (also session_changes[0])")
    }

    @Test func emptyNamesAndEmptyChangesAreErrors() {
        var rules = F.rules
        rules.holidays[0].name = "  "
        rules.specialSessions[0].name = ""
        rules.sessionChanges.append(.init(effectiveFrom: F.d("2027-01-01")))
        let messages = problems(rules).map(\.message)
        #expect(messages == [
            "holiday has no name",
            "special session has no name",
            "session change sets no session, pre-open, closing auction or closing session",
        ])
    }

    @Test func aChangeIsCheckedAgainstWhatIsInForce() {
        var rules = F.rules
        // Moving the open to 09:05 collides with the 09:00–09:08 pre-open still in force.
        rules.sessionChanges = [.init(effectiveFrom: F.d("2026-08-03"), session: F.w("09:05", "15:30"))]
        let found = problems(rules)
        #expect(found.map(\.location) == [.sessionChange(index: 0)])
        #expect(found.first?.message == "pre-open 09:00–09:08 ends after the normal session opens at 09:05")
    }

    @Test func errorListsEveryProblemAndIsAConfigError() {
        var rules = F.rules
        rules.normal.session = F.w("15:30", "09:15")
        rules.holidays[0].name = ""
        rules.specialSessions[0].name = ""
        do {
            _ = try TradingCalendar(rules: rules)
            Issue.record("expected an error")
        } catch let error as TradingCalendarError {
            #expect(error.exitStatus == .configError)
            #expect(error.description.hasPrefix("trading hours: 3 problems\n"))
            #expect(error.description.contains("holidays[0] (2021-11-04): holiday has no name"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aClosingAuctionAfterTheSessionIsItsOwnPhase() throws {
        var rules = F.rules
        rules.normal.closingAuction = F.w("15:30", "15:40")
        rules.normal.closingSession = F.w("15:40", "16:00")
        rules.sessionChanges = []
        let calendar = try TradingCalendar(rules: rules)
        #expect(calendar.phase(at: F.at("2026-01-27", "15:35")) == .closingAuction)
        #expect(calendar.phase(at: F.at("2026-01-27", "15:40")) == .closingSession)
    }
}
