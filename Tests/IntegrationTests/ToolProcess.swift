import Foundation

/// Runs a built ALPHA-PRIME executable from the same build directory as the test bundle.
enum ToolProcess {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// What a tool under test sees when a test gives no environment: enough to run, nothing of the
    /// caller's ALPHA-PRIME settings.
    static var cleanEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "LANG", "TMPDIR"].contains($0.key) }
    }

    static var buildDirectory: URL {
        URL(filePath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    static func run(_ tool: String, _ arguments: [String], environment: [String: String]? = nil,
                    currentDirectory: URL? = nil) throws -> Result {
        try run(program: buildDirectory.appending(path: tool), arguments, environment: environment, currentDirectory: currentDirectory)
    }

    /// Runs any program (a script, a system tool) the same way.
    static func run(program: URL, _ arguments: [String], environment: [String: String]? = nil,
                    currentDirectory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        // Never the caller's whole environment: a developer's DATABASE_URL or broker keys must not
        // reach a tool under test.
        process.environment = environment ?? Self.cleanEnvironment
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting so a chatty tool cannot block on a full pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
