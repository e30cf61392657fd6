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

/// Instants as `trading-calendar` prints them; the `--at` text is read back to the same instant
/// (the parser itself is tested in `ISO8601InstantTests`).
@Suite struct CommandLineInstantTests {
    static let threePMIST: Int64 = IST.epochSeconds(date: LocalDate("2026-01-27")!, time: TimeOfDay("15:00")!)

    @Test func formats() {
        #expect(CommandLineInstant.istText(Self.threePMIST) == "2026-01-27T15:00:00+05:30")
        #expect(CommandLineInstant.utcText(Self.threePMIST) == "2026-01-27T09:30:00Z")
        #expect(CommandLineInstant.utcText(-1) == "1969-12-31T23:59:59Z")
    }

    @Test(arguments: [Int64(0), -1, 1_769_506_200, 1_769_506_259, 253_402_280_999])
    func printedInstantsReadBack(epochSeconds: Int64) {
        #expect(IST.epochSeconds(iso8601: CommandLineInstant.istText(epochSeconds)) == epochSeconds)
        #expect(IST.epochSeconds(iso8601: CommandLineInstant.utcText(epochSeconds)) == epochSeconds)
    }
}
