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

@Suite struct ByteParsingTests {
    func paise(_ text: String) -> (Int64?, Bool) {
        var rounded = false
        let bytes = Array(text.utf8)
        let v = bytes.withUnsafeBufferPointer { ByteParsing.paise($0.baseAddress!, 0, bytes.count, rounded: &rounded) }
        return (v, rounded)
    }

    func stamp(_ text: String, _ order: DateOrder = .dmy) -> Stamp? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { ByteParsing.stamp($0.baseAddress!, 0, bytes.count, numericOrder: order) }
    }

    @Test func pricesAreExactPaise() {
        #expect(paise("14013.15").0 == 1_401_315)
        #expect(paise("14013.15").1 == false)
        #expect(paise("1705").0 == 170_500)
        #expect(paise("1704.5").0 == 170_450)
        #expect(paise("0.05").0 == 5)
        #expect(paise("-0.05").0 == -5)
        #expect(paise("24,718.60").0 == 2_471_860)
        #expect(paise("2561.3500").0 == 256_135)
        #expect(paise("2561.3500").1 == false)
    }

    @Test func finerThanAPaisaIsRoundedHalfAwayFromZero() {
        #expect(paise("14.3475") == (1_435, true))
        #expect(paise("13.105") == (1_311, true))
        #expect(paise("1054.8101") == (105_481, true))
        #expect(paise("-0.125") == (-13, true))
        #expect(paise("0.999") == (100, true))
    }

    @Test func notPrices() {
        for text in ["", "-", "abc", "1.2.3", "1e5", "12a", ".", "1 2"] {
            #expect(paise(text).0 == nil, "\(text)")
        }
    }

    @Test func isoTimestampsWithAndWithoutOffsets() {
        let open = Int64(1_609_731_900)  // 2021-01-04 09:15 IST = 03:45 UTC
        #expect(stamp("2021-01-04T03:45:00Z") == Stamp(seconds: open, kind: .absolute))
        #expect(stamp("2021-01-04 09:15:00+05:30") == Stamp(seconds: open, kind: .absolute))
        #expect(stamp("2021-01-04T09:15:00+0530") == Stamp(seconds: open, kind: .absolute))
        #expect(stamp("2021-01-04T09:15:00.000+05:30") == Stamp(seconds: open, kind: .absolute))
        #expect(stamp("2021-01-04 09:15:00") == Stamp(seconds: open + IST.offsetSeconds, kind: .naive))
        #expect(stamp("2021-01-04 09:15") == Stamp(seconds: open + IST.offsetSeconds, kind: .naive))
        #expect(stamp("1609731900") == Stamp(seconds: open, kind: .absolute))
        #expect(stamp("1609731900000") == Stamp(seconds: open, kind: .absolute))
        #expect(stamp("2021-01-04") == Stamp(seconds: (open + IST.offsetSeconds) / 86_400 * 86_400, kind: .dateOnly))
    }

    @Test func exchangeDates() {
        let day = Int64(LocalDate("2024-06-14")!.daysSinceEpoch) * 86_400
        #expect(stamp("14-JUN-2024") == Stamp(seconds: day, kind: .dateOnly))
        #expect(stamp("14 Jun 2024") == Stamp(seconds: day, kind: .dateOnly))
        #expect(stamp("14-Jun-24") == Stamp(seconds: day, kind: .dateOnly))
        #expect(stamp("20240614") == Stamp(seconds: day, kind: .dateOnly))
        #expect(stamp("6/14/2024", .mdy) == Stamp(seconds: day, kind: .dateOnly))
        #expect(stamp("14/6/2024", .dmy) == Stamp(seconds: day, kind: .dateOnly))
        #expect(stamp("14/6/2024", .mdy) == nil)
    }

    @Test func badTimestamps() {
        for text in ["2021-02-30T03:45:00Z", "2021-01-04T25:00:00Z", "2021-01-04X09:15", "yesterday", "2021-01-04T09:15:00+5",
                     "31-FOO-2024", "2021-01-04 09:15:00 IST"] {
            #expect(stamp(text) == nil, "\(text)")
        }
    }

    @Test func fieldsAreTrimmedAndUnquoted() {
        let line = Array("\u{FEFF}Date ,\"Index Name\", \"24,718.60\" ,x".utf8)
        var fields: [Range<Int>] = []
        let texts: [String] = line.withUnsafeBufferPointer { b in
            let start = ByteParsing.bodyStart(b.baseAddress!, b.count)
            ByteParsing.splitFields(b.baseAddress!, start, b.count, into: &fields)
            return fields.map { ByteParsing.text(b.baseAddress!, $0.lowerBound, $0.upperBound) }
        }
        #expect(texts == ["Date", "Index Name", "24,718.60", "x"])
    }

    @Test func fnv1aMatchesTheReferenceVectors() {
        #expect(FNV1a64.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a64.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(FNV1a64.hash("foobar") == 0x85944171f73967e8)
    }
}
