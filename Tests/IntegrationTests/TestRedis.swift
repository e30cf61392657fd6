import Foundation
import Testing

/// A throwaway redis-server (Debian's) on a free port of 127.0.0.1, nothing saved to disk; killed
/// when released. bin/test installs it and sets ALPHA_PRIME_REQUIRE_REDIS=1.
final class TestRedis {
    let process: Process
    let port: Int
    let directory: URL

    static var required: Bool { ProcessInfo.processInfo.environment["ALPHA_PRIME_REQUIRE_REDIS"] == "1" }
    static let program = URL(filePath: "/usr/bin/redis-server")

    /// nil when redis-server is not installed (and not required).
    static func start() throws -> TestRedis? {
        guard FileManager.default.isExecutableFile(atPath: program.path) else {
            #expect(!required, "ALPHA_PRIME_REQUIRE_REDIS=1 but no redis-server is installed")
            return nil
        }
        for _ in 0..<20 {
            if let redis = try TestRedis(port: Int.random(in: 20_000...60_000)) { return redis }
        }
        Issue.record("redis-server did not start on any of 20 ports")
        return nil
    }

    private init?(port: Int) throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = directory.appending(path: "redis.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = Self.program
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                             "--dir", directory.path, "--protected-mode", "yes"]
        process.environment = ["PATH": "/usr/bin:/bin"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
        let ready = BackgroundTool.waitUntil(seconds: 10) {
            let out = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return out.contains("Ready to accept connections") || !process.isRunning
        }
        guard ready, process.isRunning else {
            if process.isRunning { process.terminate() }
            try? FileManager.default.removeItem(at: directory)
            return nil
        }
        self.process = process
        self.port = port
    }

    var url: String { "redis://127.0.0.1:\(port)/0" }

    /// Kills the server (SIGKILL) and waits until it is gone.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }
}
