import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import ArgumentParser
import Foundation
import Logging

/// Runs a tool's body and turns what it throws into a clear message on standard error and the
/// documented exit code. Only executables (through their command types) decide exit codes.
public enum ToolRunner {
    public static func run(tool: String, _ body: () async throws -> ExitStatus) async throws {
        let status: ExitStatus
        do {
            status = try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            let code = (error as? ExitStatusProviding)?.exitStatus ?? .internalError
            printError("\(tool): \(error)")
            if AlphaPrimeLogging.current != nil {
                // Only once logging writes to files: swift-log's default handler would print it again.
                ToolLogging.logger(tool: tool.split(separator: " ").first.map(String.init) ?? tool, level: .info)
                    .error("\(tool) failed", error: error, metadata: ["exit_status": .stringConvertible(code.rawValue)])
            }
            throw ExitCode(code.rawValue)
        }
        if status != .ok { throw ExitCode(status.rawValue) }
    }

    /// Writes a line to standard error.
    public static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes a line to standard output.
    public static func printOut(_ message: String) {
        FileHandle.standardOutput.write(Data((message + "\n").utf8))
    }

    /// A tool's result on standard output: `value` as pretty JSON (keys sorted, slashes unescaped)
    /// with `--json`, else the text a person reads.
    static func printResult<T: Encodable>(_ value: T, json: Bool, text: () -> String) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            printOut(String(decoding: try encoder.encode(value), as: UTF8.self))
        } else {
            printOut(text())
        }
    }

    /// A path given on the command line: absolute, or relative to the current directory.
    static func commandLinePath(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(filePath: path) : URL(filePath: FileManager.default.currentDirectoryPath).appending(path: path)
    }
}

/// Thrown by a tool or subcommand whose work is not built yet: it says so and exits with
/// ``ExitStatus/notImplemented``; nothing has been done.
public struct NotBuiltYet: Error, ExitStatusProviding, CustomStringConvertible {
    public let what: String
    public init(_ what: String) { self.what = what }
    public var exitStatus: ExitStatus { .notImplemented }
    public var description: String {
        "\(what) is not built yet in this version of ALPHA-PRIME; nothing was done (exit \(ExitStatus.notImplemented.rawValue))."
    }
}
