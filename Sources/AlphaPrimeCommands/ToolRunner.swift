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
