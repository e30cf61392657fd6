import AlphaPrimeSupport
import Foundation
import Testing
@testable import AlphaPrimeArchive

/// Archive files: members and manifest survive a round trip, the standard tools read the file, a
/// partial file never has the final name, and any damage (a changed byte, a cut, a manifest that
/// does not match) is an error.
@Suite struct ArchiveFileTests {
    static let export = exportLikeBytes(count: 200_000, seed: 3)
    /// Several megabytes: a small database export.
    static let largeExport = exportLikeBytes(count: 3_000_000, seed: 5)
    static let extra = ["kind": "daily", "created_at": "2025-03-31T10:00:00Z", "schema_version": "7", "rows.orders": "1204"]

    /// A small archive of three members and its manifest.
    static func smallArchive(in scratch: ArchiveScratch, name: String = "small.tar.zst") throws -> (URL, ArchiveManifest) {
        let url = scratch.file(name)
        let manifest = try ArchiveFile.write(to: url, members: [
            .init(name: "config/general_config.yaml", bytes: Array("mode: paper\ncapital: 100000\n".utf8), mode: 0o644),
            .init(name: "empty.txt", bytes: []),
            .init(name: "state.sql", bytes: exportLikeBytes(count: 3_000)),
        ], extra: ["kind": "test"], modificationTime: Date(timeIntervalSince1970: 1_743_415_200))
        return (url, manifest)
    }

    @Test func membersAndManifestSurviveARoundTrip() throws {
        let scratch = try ArchiveScratch("archive")
        defer { scratch.remove() }
        let exportFile = scratch.file("export.sql")
        try Data(Self.export).write(to: exportFile)
        let config = Array("max_daily_loss: 5000\n".utf8)
        let url = scratch.file("backups/daily/alpha-prime-20250331T100000Z.tar.zst")

        let archive = try ArchiveFile(creating: url)
        try archive.add(name: "db/state.sql", contentsOf: exportFile)
        try archive.add(name: "config/risk_config.yaml", bytes: config, mode: 0o644)
        try archive.add(name: "empty.log", bytes: [])
        let written = try archive.commit(extra: Self.extra)

        #expect(written.members.map(\.name) == ["db/state.sql", "config/risk_config.yaml", "empty.log"])
        #expect(written.members[0].size == UInt64(Self.export.count))
        #expect(written.members[0].sha256 == SHA256.hex(of: Self.export))
        #expect(written.members[2].sha256 == SHA256.hex(of: []))
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == [url.lastPathComponent],
                "no partial file is left")
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(((attributes[.size] as? Int) ?? 0) < Self.export.count / 3)

        #expect(try ArchiveReader.verify(url) == written)
        #expect(try ArchiveReader.extract(url, member: "config/risk_config.yaml") == config)
        #expect(try ArchiveReader.extract(url, member: "empty.log") == [])
        var seen: [String] = []
        try ArchiveReader.forEachMember(in: url) { member, content in
            seen.append(member.name)
            #expect(SHA256.hex(of: content) == member.sha256)
        }
        #expect(seen == written.members.map(\.name))

        let restored = scratch.file("restored")
        #expect(try ArchiveReader.extract(url, into: restored) == written)
        #expect(Array(try Data(contentsOf: restored.appending(path: "db/state.sql"))) == Self.export)
        #expect(Array(try Data(contentsOf: restored.appending(path: "config/risk_config.yaml"))) == config)
        let mode = try FileManager.default.attributesOfItem(atPath: restored.appending(path: "config/risk_config.yaml").path)[.posixPermissions]
        #expect((mode as? Int) == 0o644)
        #expect(throws: ArchiveError.self, "an existing file is never replaced") { try ArchiveReader.extract(url, into: restored) }

        let only = scratch.file("only")
        try ArchiveReader.extract(url, members: ["empty.log"], into: only)
        #expect(try FileManager.default.contentsOfDirectory(atPath: only.path) == ["empty.log"])
        #expect(throws: ArchiveError.missingFile(path: "\(url.path) member nope")) { _ = try ArchiveReader.extract(url, member: "nope") }
    }

    @Test func aLargeMemberStreamsInAndOut() throws {
        let scratch = try ArchiveScratch("archive-large")
        defer { scratch.remove() }
        let exportFile = scratch.file("export.sql")
        try Data(Self.largeExport).write(to: exportFile)
        let url = scratch.file("large.tar.zst")
        let written = try ArchiveFile.write(to: url, members: [
            .init(name: "db/state.sql", contentsOf: exportFile), .init(name: "empty", bytes: []),
        ], extra: Self.extra)
        #expect(written.members.map(\.size) == [UInt64(Self.largeExport.count), 0])
        #expect(written.extra == Self.extra)
        let restored = scratch.file("restored")
        #expect(try ArchiveReader.extract(url, into: restored) == written)
        #expect(Array(try Data(contentsOf: restored.appending(path: "db/state.sql"))) == Self.largeExport)
        #expect(try Data(contentsOf: restored.appending(path: "empty")).isEmpty)
    }

    @Test func theStandardToolsReadTheFile() throws {
        guard toolExists("/usr/bin/zstd"), toolExists("/usr/bin/tar") else { return }  // zstd or GNU tar not installed
        let scratch = try ArchiveScratch("archive-tools")
        defer { scratch.remove() }
        let (url, _) = try Self.smallArchive(in: scratch)
        #expect(try runShell("zstd -t -q \(url.lastPathComponent)", in: scratch.url).status == 0)
        let listing = try runShell("zstd -dc \(url.lastPathComponent) | tar -tf -", in: scratch.url)
        #expect(listing.status == 0, "\(listing.output)")
        #expect(listing.output == "config/general_config.yaml\nempty.txt\nstate.sql\nmanifest.json\n")
        let manifest = try runShell("zstd -dc \(url.lastPathComponent) | tar -xOf - manifest.json", in: scratch.url)
        #expect(manifest.output.contains("\"kind\" : \"test\""))
    }

    @Test func aChangedByteAnywhereIsCaughtOrChangesNothing() throws {
        let scratch = try ArchiveScratch("archive-flip")
        defer { scratch.remove() }
        let (url, manifest) = try Self.smallArchive(in: scratch)
        let bytes = Array(try Data(contentsOf: url))
        var original: [String: [UInt8]] = [:]
        #expect(try ArchiveReader.forEachMember(in: url) { original[$0.name] = $1 } == manifest)
        var caught = 0
        for index in bytes.indices {
            let damaged = scratch.file("damaged.tar.zst")
            try Data(flipped(bytes, at: index)).write(to: damaged)
            do {
                var same = true
                let read = try ArchiveReader.forEachMember(in: damaged) { same = same && original[$0.name] == $1 }
                #expect(same && read == manifest, "a change at byte \(index) of \(bytes.count) changed a member without an error")
            } catch let error as ArchiveError {
                #expect(error.exitStatus == .dataError, "\(error)")
                caught += 1
            }
        }
        #expect(caught >= bytes.count - 2, "only a frame-header field that does not touch the content may pass")
    }

    @Test func aFileCutAtAnyLengthIsAnError() throws {
        let scratch = try ArchiveScratch("archive-cut")
        defer { scratch.remove() }
        let (url, _) = try Self.smallArchive(in: scratch)
        let bytes = Array(try Data(contentsOf: url))
        let cut = scratch.file("cut.tar.zst")
        let passed = try (0..<bytes.count).filter { length in
            try Data(bytes.prefix(length)).write(to: cut)
            return !refuses { _ = try ArchiveReader.verify(cut) }
        }
        #expect(passed.isEmpty, "cuts of \(bytes.count) bytes that verified: \(passed)")
    }

    /// A `.tar.zst` made by hand, so its manifest can disagree with its members.
    static func handMade(_ members: [(String, [UInt8])], manifest: ArchiveManifest?, at url: URL) throws {
        var tar: [UInt8] = []
        let writer = TarWriter { tar.append(contentsOf: $0) }
        for (name, content) in members { try writer.addMember(name: name, bytes: content, modificationTime: 0) }
        if let manifest { try writer.addMember(name: ArchiveManifest.memberName, bytes: try manifest.encoded(), modificationTime: 0) }
        try writer.finish()
        try Data(try Zstd.compress(tar)).write(to: url)
    }

    @Test func aManifestThatDisagreesWithTheMembersIsAnError() throws {
        let scratch = try ArchiveScratch("archive-manifest")
        defer { scratch.remove() }
        let a = Array("alpha".utf8), b = Array("beta".utf8)
        func entry(_ name: String, _ content: [UInt8], mode: UInt32 = 0o600) -> ArchiveManifest.Member {
            .init(name: name, size: UInt64(content.count), sha256: SHA256.hex(of: content), mode: mode)
        }
        let url = scratch.file("x.tar.zst")
        let cases: [(members: [(String, [UInt8])], manifest: ArchiveManifest?, member: String?, reason: String)] = [
            ([("a", a), ("b", b)], ArchiveManifest(members: [entry("a", a)], extra: [:]), "b", "in the archive but not listed in the manifest"),
            ([("a", a)], ArchiveManifest(members: [entry("a", a), entry("b", b)], extra: [:]), "b", "listed in the manifest but not in the archive"),
            ([("a", a)], ArchiveManifest(members: [entry("a", b)], extra: [:]), "a", "5 bytes, the manifest says 4"),
            ([("a", a)], ArchiveManifest(members: [entry("a", Array("alphA".utf8))], extra: [:]), "a", "the content does not match its SHA-256 in the manifest"),
            ([("a", a)], ArchiveManifest(members: [entry("a", a, mode: 0o644)], extra: [:]), "a", "mode 600, the manifest says 644"),
            ([("a", a), ("a", a)], ArchiveManifest(members: [entry("a", a)], extra: [:]), "a", "a second member of this name"),
            ([("a", a)], nil, nil, "no manifest.json"),
            ([("a", a)], ArchiveManifest(format: 2, members: [entry("a", a)], extra: [:]), "manifest.json", "format 2; this build reads format 1"),
        ]
        for (members, manifest, member, reason) in cases {
            try? FileManager.default.removeItem(at: url)
            try Self.handMade(members, manifest: manifest, at: url)
            #expect(throws: ArchiveError.damaged(path: url.path, member: member, reason: reason)) { _ = try ArchiveReader.verify(url) }
        }
        try? FileManager.default.removeItem(at: url)
        try Self.handMade([("a", a)], manifest: ArchiveManifest(members: [entry("a", a)], extra: [:]), at: url)
        #expect(try ArchiveReader.verify(url).members == [entry("a", a)], "the hand-made archive itself is good")
    }

    @Test func thePartialFileNeverHasTheFinalName() throws {
        let scratch = try ArchiveScratch("archive-partial")
        defer { scratch.remove() }
        let url = scratch.file("a.tar.zst")
        var archive: ArchiveFile? = try ArchiveFile(creating: url)
        let partial = ".a.tar.zst.\(getpid()).partial"
        try archive?.add(name: "x", bytes: Self.export)
        #expect(try scratch.names() == [partial])
        let mode = try FileManager.default.attributesOfItem(atPath: scratch.file(partial).path)[.posixPermissions]
        #expect((mode as? Int) == 0o600)
        #expect(throws: ArchiveError.self, "a second writer of the same archive") { _ = try ArchiveFile(creating: url) }
        archive = nil
        #expect(try scratch.names() == [], "an archive never committed leaves nothing")

        let refused = try ArchiveFile(creating: url)
        #expect(throws: ArchiveError.invalidMember(name: "manifest.json", reason: "the name is reserved for the archive's manifest")) {
            try refused.add(name: "manifest.json", bytes: [])
        }
        #expect(throws: ArchiveError.self) { try refused.add(name: "../escape", bytes: []) }
        try refused.add(name: "kept", bytes: [1])
        #expect(throws: ArchiveError.invalidMember(name: "kept", reason: "a second member of this name")) { try refused.add(name: "kept", bytes: [2]) }
        #expect(throws: ArchiveError.missingFile(path: "/nonexistent/export.sql")) {
            try refused.add(name: "db.sql", contentsOf: URL(filePath: "/nonexistent/export.sql"))
        }
        #expect(try scratch.names() == [], "a failed member ends the archive and removes its partial file")
        #expect(throws: ArchiveError.self) { try refused.commit() }

        _ = try Self.smallArchive(in: scratch, name: "a.tar.zst")
        #expect(throws: ArchiveError.cantWrite(path: url.path, reason: "the file already exists")) { _ = try ArchiveFile(creating: url) }
    }

    @Test func stalePartialFilesOfEndedProcessesAreRemoved() throws {
        let scratch = try ArchiveScratch("archive-stale")
        defer { scratch.remove() }
        let ended = Process()
        ended.executableURL = URL(filePath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let names = [".a.tar.zst.\(ended.processIdentifier).partial", ".b.tar.zst.\(getpid()).partial", ".c.partial",
                     "notes.txt", ".d.tar.zst.1.partial"]
        for name in names { try Data([1]).write(to: scratch.file(name)) }
        let removed = try ArchiveFile.removeStalePartials(in: scratch.url)
        #expect(removed.map(\.lastPathComponent) == [names[0]])
        #expect(try scratch.names() == names.dropFirst().sorted(), "a running writer's file (and pid 1's) is kept")
        #expect(try ArchiveFile.removeStalePartials(in: scratch.file("missing")) == [])
    }

    @Test func errorsNameTheFileAndCarryTheirExitStatus() throws {
        let missing = URL(filePath: "/nonexistent/alpha-prime.tar.zst")
        #expect(throws: ArchiveError.missingFile(path: missing.path)) { _ = try ArchiveReader.verify(missing) }
        #expect(ArchiveError.missingFile(path: "x").exitStatus == .noInput)
        #expect(ArchiveError.cantWrite(path: "x", reason: "r").exitStatus == .cantCreate)
        #expect(ArchiveError.damaged(path: "x", member: "m", reason: "r").exitStatus == .dataError)
        #expect(ArchiveError.damaged(path: "b.tar.zst", member: "state.sql", reason: "r").description == "b.tar.zst: member state.sql: damaged: r")
        #expect(throws: ArchiveError.self) { _ = try ArchiveFile(creating: URL(filePath: "/proc/alpha-prime/a.tar.zst")) }
    }
}
