import Foundation
import Testing
@testable import AlphaPrimeDomain
@testable import AlphaPrimeLogs

/// What cleanup-logs decides: the names of copies, which live file is rotated (size, an earlier IST
/// day), which copies are compressed and which deleted, and that nothing else is touched.
@Suite struct LogRotationPlanTests {
    /// 2026-01-27 10:00:00 IST (04:30:00 UTC).
    static let now: Int64 = 1_769_488_200
    static let policy = LogRotationPlan.Policy(maxBytes: 1_000, retentionDays: 90)

    static func ms(_ iso: String) -> Int64 { LogLineParser.epochMilliseconds(iso8601: iso)! }

    @Test func namesRoundTrip() throws {
        #expect(LogFileName.stamp(Self.now) == "20260127T043000Z")
        #expect(LogFileName.parseStamp("20260127T043000Z") == Self.now)
        let copy = try #require(LogFileName("alpha_prime.log.20260127T043000Z-3.zst"))
        #expect(copy.base == "alpha_prime.log" && copy.rotatedAt == Self.now && copy.sequence == 3 && copy.compressed)
        #expect(copy.description == "alpha_prime.log.20260127T043000Z-3.zst")
        #expect(copy.uncompressedName.description == "alpha_prime.log.20260127T043000Z-3")
        #expect(LogFileName("trades.log")?.isLive == true)
        for name in ["trades.log.zst", "trades.log.2026", "trades.log.20260230T000000Z", "trades.log.20260127T043000Z-1",
                     ".cleanup.lock", "notes.txt", ".log", "trades.log.20260127T043000Z.gz"] {
            #expect(LogFileName(name) == nil, "\(name)")
        }
        let sorted = ["risk.log", "risk.log.20260127T043000Z.zst", "risk.log.20260101T000000Z", "risk.log.20260127T043000Z-2"]
            .compactMap(LogFileName.init).sorted().map(\.description)
        #expect(sorted == ["risk.log.20260101T000000Z", "risk.log.20260127T043000Z.zst", "risk.log.20260127T043000Z-2", "risk.log"])
    }

    @Test func aFileLargerThanTheLimitIsRotatedAndCompressed() {
        let actions = LogRotationPlan.actions(for: [
            .init(name: "alpha_prime.log", bytes: 1_001, firstLineAt: Self.ms("2026-01-27T04:00:00Z")),
            .init(name: "trades.log", bytes: 1_000, firstLineAt: Self.ms("2026-01-27T04:00:00Z")),
            .init(name: "errors.log", bytes: 0),
        ], policy: Self.policy, now: Self.now)
        #expect(actions == [
            .rotate(file: "alpha_prime.log", to: "alpha_prime.log.20260127T043000Z", bytes: 1_001, reason: .size(limit: 1_000)),
            .compress(file: "alpha_prime.log.20260127T043000Z", to: "alpha_prime.log.20260127T043000Z.zst", bytes: 1_001),
        ])
    }

    /// The day is IST's: 00:10 IST on the 27th is still the 26th in UTC, and a first line from 23:50
    /// IST on the 26th (18:20 UTC) is an earlier day.
    @Test func aFileBegunOnAnEarlierISTDayIsRotated() {
        let justAfterMidnight: Int64 = Self.now - (9 * 3_600 + 50 * 60)  // 2026-01-27 00:10 IST
        let actions = LogRotationPlan.actions(for: [
            .init(name: "risk.log", bytes: 10, firstLineAt: Self.ms("2026-01-26T18:20:00Z")),
            .init(name: "trades.log", bytes: 10, firstLineAt: Self.ms("2026-01-26T18:35:00Z")),
            .init(name: "errors.log", bytes: 10, firstLineAt: nil),
        ], policy: Self.policy, now: justAfterMidnight)
        #expect(actions.map(\.file) == ["risk.log", "risk.log.20260126T184000Z"])
        if case .rotate(_, _, _, let reason) = actions[0] { #expect(reason == .earlierDay(firstLineAt: Self.ms("2026-01-26T18:20:00Z"))) }
    }

    @Test func copiesAreCompressedAndExpiredAndOthersLeftAlone() {
        let old = LogFileName.stamp(Self.now - 91 * 86_400), young = LogFileName.stamp(Self.now - 89 * 86_400)
        let actions = LogRotationPlan.actions(for: [
            .init(name: "trades.log.\(old).zst", bytes: 5), .init(name: "trades.log.\(young).zst", bytes: 6),
            .init(name: "risk.log.\(young)", bytes: 7), .init(name: "cron.log", bytes: 50_000),
            .init(name: "cron.log.\(old).zst", bytes: 8), .init(name: ".cleanup.lock", bytes: 0),
            .init(name: ".trades.log.\(young).zst.123.456.tmp", bytes: 9), .init(name: ".other.tmp", bytes: 1),
        ], policy: Self.policy, now: Self.now)
        #expect(actions == [
            .removeLeftover(file: ".trades.log.\(young).zst.123.456.tmp", bytes: 9),
            .compress(file: "risk.log.\(young)", to: "risk.log.\(young).zst", bytes: 7),
            .delete(file: "trades.log.\(old).zst", bytes: 5, rotatedAt: Self.now - 91 * 86_400),
        ])
    }

    @Test func aCopyOfTheSameSecondGetsTheNextNumber() {
        let stamp = LogFileName.stamp(Self.now)
        let actions = LogRotationPlan.actions(for: [
            .init(name: "alpha_prime.log", bytes: 5_000),
            .init(name: "alpha_prime.log.\(stamp).zst", bytes: 100),
            .init(name: "alpha_prime.log.\(stamp)-2", bytes: 100),
        ], policy: Self.policy, now: Self.now)
        #expect(actions.first == .rotate(file: "alpha_prime.log", to: "alpha_prime.log.\(stamp)-3", bytes: 5_000, reason: .size(limit: 1_000)))
        #expect(actions.filter { if case .compress = $0 { true } else { false } }.map(\.file).sorted()
                    == ["alpha_prime.log.\(stamp)-2", "alpha_prime.log.\(stamp)-3"])
    }

    @Test func theSizeLimitComesFromFractionalMegabytes() {
        var settings = GeneralConfig.LogSettings(level: .info, format: .json,
                                                 files: .init(all: "a", trades: "t", risk: "r", errors: "e"),
                                                 maxFileSizeMB: 0.05, retentionDays: 1)
        #expect(settings.maxFileSizeBytes == 52_429)
        settings.maxFileSizeMB = 50
        #expect(settings.maxFileSizeBytes == 52_428_800)
    }
}
