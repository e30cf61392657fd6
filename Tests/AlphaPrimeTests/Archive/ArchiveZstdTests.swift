import AlphaPrimeSupport
import Foundation
import Testing
@testable import AlphaPrimeArchive

/// Streaming zstd: what goes in comes out, frames carry a checksum, and input that ends inside a
/// frame or was changed is an error, never a short or different result.
@Suite struct ArchiveZstdTests {
    @Test(arguments: [0, 1, 511, 100_000, 3_000_000])
    func contentSurvivesARoundTrip(size: Int) throws {
        let content = exportLikeBytes(count: size)
        let frame = try Zstd.compress(content)
        #expect(Array(frame.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD], "zstd frame magic")
        #expect(frame[4] & 0x04 != 0, "the frame header announces a content checksum")
        #expect(try Zstd.decompress(frame) == content)
        if size > 10_000 { #expect(frame.count < size / 3, "text compresses") }
    }

    @Test func contentFedInSmallPiecesComesOutWhole() throws {
        let content = noiseBytes(count: 300_000) + exportLikeBytes(count: 300_000)
        var frame: [UInt8] = []
        let compressor = try ZstdCompressor(level: 5) { frame.append(contentsOf: $0) }
        for start in stride(from: 0, to: content.count, by: 4_099) {
            try content[start..<min(start + 4_099, content.count)].withUnsafeBytes { try compressor.write($0) }
        }
        try compressor.finish()
        var restored: [UInt8] = []
        let decompressor = try ZstdDecompressor(source: "pieces") { restored.append(contentsOf: $0) }
        for start in stride(from: 0, to: frame.count, by: 777) {
            try frame[start..<min(start + 777, frame.count)].withUnsafeBytes { try decompressor.feed($0) }
        }
        try decompressor.finish()
        #expect(restored == content)
    }

    @Test func aFrameCutAtAnyLengthIsAnError() throws {
        let frame = try Zstd.compress(exportLikeBytes(count: 20_000))
        let passed = (0..<frame.count).filter { length in !refuses { _ = try Zstd.decompress(Array(frame.prefix(length))) } }
        #expect(passed.isEmpty, "cuts of \(frame.count) bytes that decompressed: \(passed)")
        do {
            _ = try Zstd.decompress(Array(frame.dropLast(1)), source: "cut.zst")
        } catch let error as ArchiveError {
            #expect(error.exitStatus == .dataError)
            #expect(error.description == "cut.zst: damaged: zstd: truncated (the input ends inside a frame)")
        }
    }

    @Test func aChangedByteIsAnErrorOrChangesNothing() throws {
        let content = exportLikeBytes(count: 5_000)
        let frame = try Zstd.compress(content)
        var caught = 0
        for index in frame.indices {
            do {
                let restored = try Zstd.decompress(flipped(frame, at: index))
                #expect(restored == content, "a change at byte \(index) gave different content without an error")
            } catch is ArchiveError {
                caught += 1
            }
        }
        #expect(caught >= frame.count - 2, "only a frame-header field that does not touch the content may pass")
    }

    @Test func dataAfterTheFrameIsAnError() throws {
        let frame = try Zstd.compress(Array("content".utf8))
        #expect(throws: ArchiveError.self) { _ = try Zstd.decompress(frame + [1, 2, 3]) }
        #expect(try Zstd.decompress(frame + frame) == Array("contentcontent".utf8), "concatenated frames are one stream")
    }

    @Test func theCommandLineToolReadsOurFramesAndWeReadItsFrames() throws {
        guard toolExists("/usr/bin/zstd") else { return }  // the zstd command-line tool is not installed
        let scratch = try ArchiveScratch("zstd")
        defer { scratch.remove() }
        let content = exportLikeBytes(count: 200_000)
        let ours = scratch.file("ours.zst")
        let file = open(ours.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        try #require(file >= 0)
        let compressor = try ZstdCompressor(fileDescriptor: file, path: ours.path)
        try compressor.write(content)
        try compressor.finish()
        close(file)
        let test = try runShell("zstd -t -q ours.zst && zstd -dc ours.zst > ours.out", in: scratch.url)
        #expect(test.status == 0, "\(test.output)")
        #expect(Array(try Data(contentsOf: scratch.file("ours.out"))) == content)

        try Data(content).write(to: scratch.file("theirs"))
        #expect(try runShell("zstd -q -19 theirs -o theirs.zst", in: scratch.url).status == 0)
        var restored: [UInt8] = []
        try Zstd.decompress(contentsOf: scratch.file("theirs.zst").path) { restored.append(contentsOf: $0) }
        #expect(restored == content)
    }

    @Test func aMissingFileIsNoInput() {
        do {
            try Zstd.decompress(contentsOf: "/nonexistent/alpha-prime.zst") { _ in }
            Issue.record("a missing file decompressed")
        } catch let error as ArchiveError {
            #expect(error == .missingFile(path: "/nonexistent/alpha-prime.zst"))
            #expect(error.exitStatus == .noInput)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
