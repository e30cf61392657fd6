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

@Suite struct UTCTimestampTests {
    @Test func printsISO8601InUTCWithMicroseconds() {
        #expect(UTCTimestamp(microseconds: 0).description == "1970-01-01T00:00:00.000000Z")
        #expect(UTCTimestamp(microseconds: 1_769_400_000_123_456).description == "2026-01-26T04:00:00.123456Z")
        #expect(UTCTimestamp(microseconds: -1).description == "1969-12-31T23:59:59.999999Z")
    }

    @Test func convertsFromAndToDate() {
        let date = Date(timeIntervalSince1970: 1_769_400_000.5)
        #expect(UTCTimestamp(date).microseconds == 1_769_400_000_500_000)
        #expect(UTCTimestamp(date).date == date)
        #expect(UTCTimestamp(secondsSinceEpoch: 60).adding(seconds: 1).microseconds == 61_000_000)
    }
}
