import Foundation
import Testing
@testable import AlphaPrimeArchive

/// The ustar writer and reader: headers as POSIX lays them out, archives GNU tar lists and extracts,
/// GNU tar's ustar archives read back, and every malformed archive refused with the member named.
@Suite struct ArchiveTarTests {
    static let longName = String(repeating: "d", count: 120) + "/" + String(repeating: "f", count: 90) + ".csv"
    static let members: [(name: String, content: [UInt8], mode: UInt32)] = [
        ("manifest-like.json", Array("{\"a\": 1}\n".utf8), 0o644),
        ("empty", [], 0o600),
        ("data/exactly-512.bin", noiseBytes(count: 512), 0o600),
        ("data/" + String(repeating: "n", count: 95), exportLikeBytes(count: 1_500), 0o644),
        (longName, exportLikeBytes(count: 70_001), 0o600),
    ]

    static func archive(modificationTime: Int64 = 1_735_689_600, maximumSize: Int = .max) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let writer = TarWriter { bytes.append(contentsOf: $0) }
        for member in members where member.content.count <= maximumSize {
            try writer.addMember(name: member.name, bytes: member.content, mode: member.mode, modificationTime: modificationTime)
        }
        try writer.finish()
        return bytes
    }

    @Test func aHeaderHasTheUstarFieldsAndChecksum() throws {
        let block = try TarHeader(name: "a/b.txt", size: 1_234, mode: 0o644, modificationTime: 1_700_000_000).encoded()
        #expect(block.count == 512)
        #expect(String(decoding: block[0..<7], as: UTF8.self) == "a/b.txt" && block[7] == 0)
        #expect(String(decoding: block[100..<108], as: UTF8.self) == "0000644\0")
        #expect(String(decoding: block[124..<136], as: UTF8.self) == "00000002322\0")
        #expect(String(decoding: block[136..<148], as: UTF8.self) == "14524770400\0")
        #expect(block[156] == UInt8(ascii: "0"))
        #expect(String(decoding: block[257..<265], as: UTF8.self) == "ustar\000")
        var sum = 0
        for (index, byte) in block.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        #expect(String(decoding: block[148..<156], as: UTF8.self) == String(sum, radix: 8).leftPadded(to: 6) + "\0 ")
    }

    @Test func membersSurviveARoundTripWithPaddingAndEndMarker() throws {
        let bytes = try Self.archive()
        #expect(bytes.count % 512 == 0)
        #expect(bytes.suffix(1_024).allSatisfy { $0 == 0 })
        let read = try TarReader.members(of: bytes)
        #expect(read.map(\.header.name) == Self.members.map(\.name))
        #expect(read.map(\.content) == Self.members.map(\.content))
        #expect(read.map(\.header.mode) == Self.members.map(\.mode))
        #expect(read.allSatisfy { $0.header.modificationTime == 1_735_689_600 })
    }

    @Test func gnuTarListsAndExtractsOurArchive() throws {
        guard toolExists("/usr/bin/tar") else { return }  // GNU tar is not installed: nothing to compare with
        let scratch = try ArchiveScratch("tar-out")
        defer { scratch.remove() }
        try Data(try Self.archive()).write(to: scratch.file("ours.tar"))
        let listing = try runShell("TZ=UTC /usr/bin/tar -tvf ours.tar", in: scratch.url)
        #expect(listing.status == 0, "\(listing.output)")
        let lines = listing.output.split(separator: "\n")
        #expect(lines.count == Self.members.count)
        for (line, member) in zip(lines, Self.members) {
            #expect(line.hasPrefix(member.mode == 0o644 ? "-rw-r--r-- 0/0" : "-rw------- 0/0"), "\(line)")
            #expect(line.hasSuffix(" " + member.name), "\(line)")
            #expect(line.contains(" \(member.content.count) 2025-01-01"), "\(line)")
        }
        try FileManager.default.createDirectory(at: scratch.file("x"), withIntermediateDirectories: false)
        let extract = try runShell("/usr/bin/tar -xf ../ours.tar", in: scratch.file("x"))
        #expect(extract.status == 0, "\(extract.output)")
        for member in Self.members {
            #expect(Array(try Data(contentsOf: scratch.file("x/" + member.name))) == member.content, "\(member.name)")
        }
    }

    @Test func weReadAUstarArchiveGNUTarWrote() throws {
        guard toolExists("/usr/bin/tar") else { return }  // GNU tar is not installed: nothing to compare with
        let scratch = try ArchiveScratch("tar-in")
        defer { scratch.remove() }
        for member in Self.members {
            let url = scratch.file(member.name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(member.content).write(to: url)
        }
        let names = Self.members.map { "'\($0.name)'" }.joined(separator: " ")
        let create = try runShell("/usr/bin/tar --format=ustar -cf theirs.tar \(names)", in: scratch.url)
        #expect(create.status == 0, "\(create.output)")
        let bytes = Array(try Data(contentsOf: scratch.file("theirs.tar")))
        #expect(bytes.count % 10_240 == 0, "GNU tar pads to whole records, which the reader accepts")
        let read = try TarReader.members(of: bytes, source: "theirs.tar")
        #expect(read.map(\.header.name) == Self.members.map(\.name))
        #expect(read.map(\.content) == Self.members.map(\.content))

        let gnu = try runShell("/usr/bin/tar --format=gnu -cf gnu.tar empty", in: scratch.url)
        #expect(gnu.status == 0)
        #expect(throws: ArchiveError.damaged(path: "gnu.tar", member: "empty", reason: "tar header at byte 0: a GNU tar header, not ustar")) {
            _ = try TarReader.members(of: Array(try Data(contentsOf: scratch.file("gnu.tar"))), source: "gnu.tar")
        }
        #expect(try runShell("/usr/bin/tar --format=ustar -cf dir.tar data", in: scratch.url).status == 0)
        #expect(throws: ArchiveError.damaged(path: "dir.tar", member: "data/", reason: "tar header at byte 0: a directory; only regular files are supported")) {
            _ = try TarReader.members(of: Array(try Data(contentsOf: scratch.file("dir.tar"))), source: "dir.tar")
        }
    }

    @Test func aChangedHeaderByteIsACheckSumMismatchNamingTheMember() throws {
        let bytes = try Self.archive(maximumSize: 2_000)
        var changed = bytes
        changed[512 + 512 + 100] ^= 0x01  // the mode of the second member, "empty"
        #expect(throws: ArchiveError.damaged(path: "t.tar", member: "empty", reason: "tar header at byte 1024: checksum mismatch")) {
            _ = try TarReader.members(of: changed, source: "t.tar")
        }
        let passed = (0..<512).filter { index in !refuses { _ = try TarReader.members(of: flipped(bytes, at: index)) } }
        #expect(passed.isEmpty, "header bytes changed without an error: \(passed)")
    }

    @Test func anArchiveCutAnywhereIsAnError() throws {
        let bytes = try Self.archive(maximumSize: 2_000)
        let passed = (0..<bytes.count).filter { length in !refuses { _ = try TarReader.members(of: Array(bytes.prefix(length))) } }
        #expect(passed.isEmpty, "cuts read as a whole archive: \(passed)")
        #expect(throws: ArchiveError.damaged(path: "t.tar", member: "data/exactly-512.bin",
                                             reason: "truncated: the archive ends inside this member's content")) {
            _ = try TarReader.members(of: Array(bytes.prefix(2_048 + 100)), source: "t.tar")
        }
        #expect(throws: ArchiveError.damaged(path: "t.tar", member: nil, reason: "truncated: only one of the two zero blocks that end an archive")) {
            _ = try TarReader.members(of: Array(bytes.dropLast(512)), source: "t.tar")
        }
    }

    @Test func dataAfterTheEndMarkerIsAnError() throws {
        let bytes = try Self.archive()
        #expect(try TarReader.members(of: bytes + [UInt8](repeating: 0, count: 4_096)).count == Self.members.count)
        #expect(throws: ArchiveError.self) { _ = try TarReader.members(of: bytes + [UInt8](repeating: 0, count: 100) + [7]) }
    }

    @Test func theWriterRefusesNamesTarCannotHoldOrThatLeaveTheDirectory() throws {
        let bad = ["", "/etc/passwd", "../up", "a/../b", "a//b", "./a", "a/", String(repeating: "x", count: 101),
                   String(repeating: "p", count: 156) + "/name", "prefix/" + String(repeating: "n", count: 101), "nul\0byte"]
        for name in bad {
            #expect(throws: ArchiveError.self, "\(name)") { _ = try TarHeader(name: name, size: 0, modificationTime: 0).encoded() }
        }
        let longest = String(repeating: "p", count: 155) + "/" + String(repeating: "n", count: 100)
        #expect(try TarHeader.split(longest).prefix.count == 155)
        #expect(try TarHeader.split(String(repeating: "x", count: 100)).prefix.isEmpty)
    }

    @Test func theWriterChecksEachMemberIsTheSizeItAnnounced() throws {
        let writer = TarWriter { _ in }
        try writer.beginMember(TarHeader(name: "a", size: 3, modificationTime: 0))
        #expect(throws: ArchiveError.invalidMember(name: "a", reason: "more content than the 3 bytes announced")) {
            try [UInt8]([1, 2, 3, 4]).withUnsafeBytes { try writer.writeContent($0) }
        }
        try [UInt8]([1, 2]).withUnsafeBytes { try writer.writeContent($0) }
        #expect(throws: ArchiveError.invalidMember(name: "a", reason: "2 bytes of content written, 3 announced")) { try writer.endMember() }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
