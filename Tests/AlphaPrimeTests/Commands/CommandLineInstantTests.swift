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

/// `--at` instants: ISO-8601 with an offset, `Z`, or none (IST).
@Suite struct CommandLineInstantTests {
    static let threePMIST: Int64 = IST.epochSeconds(date: LocalDate("2026-01-27")!, time: TimeOfDay("15:00")!)

    @Test(arguments: [
        "2026-01-27T15:00:00+05:30", "2026-01-27T15:00+05:30", "2026-01-27T15:00:00+0530", "2026-01-27T15:00:00.250+05:30",
        "2026-01-27T09:30:00Z", "2026-01-27T09:30Z", "2026-01-27 15:00", "2026-01-27T15:00:00", "2026-01-27T04:30:00-05:00",
    ])
    func sameInstant(text: String) {
        #expect(CommandLineInstant.parse(text) == Self.threePMIST, "\(text)")
    }

    @Test(arguments: [
        "", "15:00", "2026-01-27", "2026-01-27T24:00", "2026-01-27T15:60", "2026-02-30T10:00", "2026-01-27T15:00:00+5:30",
        "2026-01-27T15:00:00 IST", "2026-01-27T15:00:00+05:30x", "2026-01-27T15:00:00.", "2026-01-27X15:00",
    ])
    func rejected(text: String) {
        #expect(CommandLineInstant.parse(text) == nil, "\(text)")
    }

    @Test func formats() {
        #expect(CommandLineInstant.istText(Self.threePMIST) == "2026-01-27T15:00:00+05:30")
        #expect(CommandLineInstant.utcText(Self.threePMIST) == "2026-01-27T09:30:00Z")
        #expect(CommandLineInstant.utcText(-1) == "1969-12-31T23:59:59Z")
    }
}
