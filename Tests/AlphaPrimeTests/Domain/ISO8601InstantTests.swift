import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain

/// ISO-8601 instants as people type them: an offset, `Z`, or none (IST).
@Suite struct ISO8601InstantTests {
    static let threePMIST: Int64 = IST.epochSeconds(date: LocalDate("2026-01-27")!, time: TimeOfDay("15:00")!)

    @Test(arguments: [
        // Offsets, written three ways.
        "2026-01-27T15:00:00+05:30", "2026-01-27T15:00:00+0530", "2026-01-27T15:00+05:30",
        "2026-01-27T04:30:00-05:00", "2026-01-27T04:30-0500", "2026-01-27T04:30-05", "2026-01-27T13:30:00+04",
        // UTC.
        "2026-01-27T09:30:00Z", "2026-01-27T09:30Z", "2026-01-27t09:30:00z", "2026-01-27T09:30:00+00:00", "2026-01-27T09:30-00",
        // No seconds, a fraction (dropped), a space instead of T.
        "2026-01-27 15:00", "2026-01-27T15:00:00.250+05:30", "2026-01-27T15:00:00,9", "2026-01-27T15:00:00.123456789+05:30",
        // No offset: the wall clock is IST.
        "2026-01-27T15:00:00", "2026-01-27T15:00",
    ])
    func sameInstant(text: String) {
        #expect(IST.epochSeconds(iso8601: text) == Self.threePMIST, "\(text)")
    }

    @Test func secondsAndDaysAreKept() {
        #expect(IST.epochSeconds(iso8601: "2026-01-27T15:29:30") == Self.threePMIST + 29 * 60 + 30)
        #expect(IST.epochSeconds(iso8601: "1970-01-01T00:00:00Z") == 0)
        #expect(IST.epochSeconds(iso8601: "1970-01-01T05:30") == 0, "05:30 IST on 1970-01-01 is the epoch")
        #expect(IST.epochSeconds(iso8601: "1969-12-31T23:59:59Z") == -1)
        #expect(IST.epochSeconds(iso8601: "2024-02-29T00:00:00+14:00") == IST.epochSeconds(iso8601: "2024-02-28T10:00:00Z"))
        #expect(IST.epochSeconds(iso8601: "2026-01-27T00:00-14:59") == IST.epochSeconds(iso8601: "2026-01-27T14:59Z"))
    }

    @Test(arguments: [
        // Not an instant at all, or a date or time alone.
        "", "15:00", "2026-01-27", "2026-01-27T", "2026-01-27T15", "27-01-2026T15:00",
        // Out of range.
        "2026-01-27T24:00", "2026-01-27T15:60", "2026-01-27T15:00:60", "2026-02-30T10:00", "2026-13-01T10:00",
        "2026-01-27T15:00+15:00", "2026-01-27T15:00+05:60",
        // Badly written offsets, fractions and separators.
        "2026-01-27T15:00:00+5:30", "2026-01-27T15:00:00+05:3", "2026-01-27T15:00:00+05:", "2026-01-27T15:00:00+",
        "2026-01-27T15:00:00.", "2026-01-27T15:00:00.Z", "2026-01-27T15:00.5", "2026-01-27T1:00", "2026-01-27T15:0",
        "2026-01-27X15:00", "2026-01-27_15:00", "2026-01-27T15-00",
        // Anything after the instant.
        "2026-01-27T15:00:00 IST", "2026-01-27T15:00:00+05:30x", "2026-01-27T15:00:00Zx", "2026-01-27T15:00 ", " 2026-01-27T15:00",
        "2026-01-27T15:00:00+05:30:00",
        // Digits that are not ASCII.
        "２０２６-01-27T15:00", "2026-01-27T１5:00",
    ])
    func rejected(text: String) {
        #expect(IST.epochSeconds(iso8601: text) == nil, "\(text)")
    }
}
