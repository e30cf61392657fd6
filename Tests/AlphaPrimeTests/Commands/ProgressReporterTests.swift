import Testing
@testable import AlphaPrimeCommands

@Suite struct ProgressReporterTests {
    @Test func theBarFillsInProportion() {
        #expect(ProgressReporter.bar(done: 0, total: 7, width: 10) == "[----------]")
        #expect(ProgressReporter.bar(done: 3, total: 7, width: 10) == "[####------]")
        #expect(ProgressReporter.bar(done: 7, total: 7, width: 10) == "[##########]")
        #expect(ProgressReporter.bar(done: 0, total: 0, width: 4) == "[####]")
    }
}
