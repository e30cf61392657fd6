import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeOps

/// How backups are named, listed and pruned.
@Suite struct BackupCatalogTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "backup-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func namesCarryTheUTCStampAndNeverCollide() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let time = UTCTimestamp(secondsSinceEpoch: 1_796_206_500)  // 2026-12-02T10:15:00Z
        let first = BackupCatalog.fileName(at: time, in: dir)
        #expect(first == "alpha-prime-20261202T101500Z.tar.zst")
        #expect(BackupCatalog.createdAt(fileName: first) == time)
        _ = FileManager.default.createFile(atPath: dir.appending(path: first).path, contents: Data())
        let second = BackupCatalog.fileName(at: time, in: dir)
        #expect(second == "alpha-prime-20261202T101500Z-2.tar.zst")
        #expect(BackupCatalog.createdAt(fileName: second) == time)
        for name in [".alpha-prime-20261202T101500Z.tar.zst.123.partial", "alpha-prime-2026.tar.zst", "alpha-prime-20261302T101500Z.tar.zst",
                     "alpha-prime-20261202T101500Z-x.tar.zst", "notes.txt"] {
            #expect(BackupCatalog.createdAt(fileName: name) == nil, "\(name)")
        }
    }

    @Test func listingIsNewestFirstAndSkipsPartialFiles() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (kind, name) in [("daily", "alpha-prime-20261201T101500Z.tar.zst"), ("daily", "alpha-prime-20261202T101500Z.tar.zst"),
                             ("weekly", "alpha-prime-20261129T120000Z.tar.zst"), ("daily", ".alpha-prime-20261203T101500Z.tar.zst.9.partial")] {
            try FileManager.default.createDirectory(at: dir.appending(path: kind), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: dir.appending(path: "\(kind)/\(name)").path, contents: Data("x".utf8))
        }
        #expect(BackupCatalog.list(in: dir).map(\.name) == ["alpha-prime-20261202T101500Z.tar.zst", "alpha-prime-20261201T101500Z.tar.zst",
                                                              "alpha-prime-20261129T120000Z.tar.zst"])
        #expect(BackupCatalog.list(in: dir, kind: .weekly).count == 1)
        #expect(BackupCatalog.list(in: dir).allSatisfy { $0.size == 1 })
    }

    static func entries(_ count: Int) -> [BackupEntry] {
        (0..<count).map { i in
            BackupEntry(kind: .daily, url: URL(filePath: "/b/\(i)"), createdAt: UTCTimestamp(secondsSinceEpoch: Int64(1_000 - i)), size: 1)
        }
    }

    @Test func pruneKeepsTheNewestAndDeletesOnlyBehindAVerifiedOne() {
        let all = Self.entries(10)
        var asked: [String] = []
        let plan = BackupCatalog.prunePlan(all, keep: 7) { asked.append($0.url.path); return true }
        #expect(plan.keep.count == 7 && plan.delete.map(\.url.path) == ["/b/7", "/b/8", "/b/9"])
        #expect(asked == ["/b/0"], "one good backup is enough, and only the newest is read")

        // The four newest are damaged: the fifth is the newest good one; older ones past keep go.
        let damaged = BackupCatalog.prunePlan(all, keep: 2) { Int($0.url.lastPathComponent)! >= 4 }
        #expect(damaged.newestGood?.url.path == "/b/4")
        #expect(damaged.keep.map(\.url.path) == ["/b/0", "/b/1", "/b/2", "/b/3", "/b/4"])
        #expect(damaged.delete.map(\.url.path) == ["/b/5", "/b/6", "/b/7", "/b/8", "/b/9"])

        // None verifies: nothing is deleted.
        let none = BackupCatalog.prunePlan(all, keep: 2) { _ in false }
        #expect(none.delete.isEmpty && none.keep.count == 10 && none.newestGood == nil)
        #expect(BackupCatalog.prunePlan(Self.entries(3), keep: 7) { _ in Issue.record("not asked"); return true }.delete.isEmpty)
    }
}
