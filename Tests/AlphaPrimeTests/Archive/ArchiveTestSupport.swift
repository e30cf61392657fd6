import Foundation
import Testing
@testable import AlphaPrimeArchive

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct ArchiveScratch {
    let url: URL

    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appending(path: name) }

    /// The names in the directory, hidden ones included, sorted.
    func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }
}

/// Bytes that compress about as well as a database export: lines of text with varying numbers.
func exportLikeBytes(count: Int, seed: UInt64 = 7) -> [UInt8] {
    var state = seed
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 96)
    while bytes.count < count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let line = "INSERT INTO fills VALUES (\(state >> 40), 'NSE:RELIANCE', \(state % 100_000) , \((state >> 20) % 977));\n"
        bytes.append(contentsOf: line.utf8)
    }
    return Array(bytes.prefix(count))
}

/// Bytes that do not compress.
func noiseBytes(count: Int, seed: UInt64 = 11) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}

/// What a command printed (its output and errors together) and how it ended.
struct CommandResult {
    var status: Int32
    var output: String
}

/// Runs `/bin/sh -c script` in `directory` and waits for it.
func runShell(_ script: String, in directory: URL? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(filePath: "/bin/sh")
    process.arguments = ["-c", script]
    if let directory { process.currentDirectoryURL = directory }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read to the end before waiting, so a chatty command never blocks on a full pipe.
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
}

/// Whether an executable exists, for tests that need a command-line tool.
func toolExists(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }

/// Flips every bit of the byte at `index`.
func flipped(_ bytes: [UInt8], at index: Int) -> [UInt8] {
    var copy = bytes
    copy[index] ^= 0xFF
    return copy
}

/// Whether `body` fails with an `ArchiveError` (any other outcome is false). Loops over thousands
/// of damaged inputs collect the ones not refused and expect none, rather than expecting each.
func refuses(_ body: () throws -> Void) -> Bool {
    do {
        try body()
        return false
    } catch is ArchiveError {
        return true
    } catch {
        return false
    }
}
