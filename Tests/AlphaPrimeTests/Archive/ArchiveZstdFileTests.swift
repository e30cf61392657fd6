import Foundation
import Testing
@testable import AlphaPrimeArchive

/// A whole file compressed into a `.zst` that appears whole: the content comes back byte for byte,
/// no temporary file is left, an existing destination is replaced, and a failure leaves nothing.
@Suite struct ArchiveZstdFileTests {
    @Test(arguments: [0, 1, 300_000, 2_500_000])
    func aFileComesBackWhole(size: Int) throws {
        let scratch = try ArchiveScratch("zstd-file")
        defer { scratch.remove() }
        let content = exportLikeBytes(count: size)
        try Data(content).write(to: scratch.file("trades.log.20260127T034500Z"))
        _ = FileManager.default.createFile(atPath: scratch.file("trades.log.20260127T034500Z.zst").path, contents: Data("old".utf8))
        let result = try ZstdFile.compress(scratch.file("trades.log.20260127T034500Z").path,
                                           to: scratch.file("trades.log.20260127T034500Z.zst").path)
        #expect(result.inputBytes == UInt64(size))
        let compressed = try [UInt8](Data(contentsOf: scratch.file("trades.log.20260127T034500Z.zst")))
        #expect(UInt64(compressed.count) == result.outputBytes)
        #expect(try Zstd.decompress(compressed) == content)
        #expect(try scratch.names() == ["trades.log.20260127T034500Z", "trades.log.20260127T034500Z.zst"])
    }

    @Test func aMissingSourceOrDirectoryLeavesNothing() throws {
        let scratch = try ArchiveScratch("zstd-file")
        defer { scratch.remove() }
        #expect(throws: ArchiveError.missingFile(path: scratch.file("absent").path)) {
            try ZstdFile.compress(scratch.file("absent").path, to: scratch.file("absent.zst").path)
        }
        try Data("line\n".utf8).write(to: scratch.file("x.log"))
        #expect(throws: ArchiveError.self) {
            try ZstdFile.compress(scratch.file("x.log").path, to: scratch.file("no-such-dir/x.log.zst").path)
        }
        #expect(try scratch.names() == ["x.log"])
    }
}
