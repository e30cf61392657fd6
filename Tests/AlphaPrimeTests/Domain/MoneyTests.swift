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

@Suite struct MoneyTests {
    @Test func parsesRupeeTextExactly() {
        #expect(Paise(rupees: "1234.5")?.value == 123_450)
        #expect(Paise(rupees: "₹1,234.05")?.value == 123_405)
        #expect(Paise(rupees: "-0.05")?.value == -5)
        #expect(Paise(rupees: "17")?.value == 1_700)
        #expect(Paise(rupees: ".5")?.value == 50)
        #expect(Paise(rupees: "1.234") == nil)
        #expect(Paise(rupees: "abc") == nil)
        #expect(Paise(rupees: "") == nil)
    }

    @Test func printsTwoDecimals() {
        #expect(Paise(123_405).description == "1234.05")
        #expect(Paise(-5).description == "-0.05")
        #expect(Paise(0).description == "0.00")
    }

    @Test func roundsFloatingRupeesHalfAwayFromZero() {
        #expect(Paise(rupeesRounded: 17_905.05).value == 1_790_505)
        #expect(Paise(rupeesRounded: -0.005).value == -1)
    }
}
