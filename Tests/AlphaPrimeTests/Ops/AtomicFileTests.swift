import Foundation
import Testing
@testable import AlphaPrimeSupport

/// Files appear whole or not at all; a write the machine refuses is an environment problem (73).
@Suite struct AtomicFileTests {
    @Test func aFileIsWrittenWholeAndReplacesTheOldOne() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "nested/a.txt")
        try AtomicFile.write(Array("first".utf8), to: file)
        try AtomicFile.write(Array("second".utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == ["a.txt"],
                "no temporary file is left")
    }

    @Test func aWriteTheMachineRefusesIs73AndNamesThePath() {
        do {
            try AtomicFile.write(Array("x".utf8), to: URL(filePath: "/proc/alpha-prime-cannot-write/a.txt"))
            Issue.record("writing under /proc succeeded")
        } catch let error as AtomicFile.WriteError {
            #expect(error.exitStatus == .cantCreate)
            #expect(error.description.hasPrefix("/proc/alpha-prime-cannot-write/a.txt: cannot write: "))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
