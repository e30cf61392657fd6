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

/// Flags every tool shares: where home is, how to print, how much to log.
public struct CommonOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp(
        "The ALPHA-PRIME home directory (config/, data/, logs/, reports/, backups/, var/).",
        discussion: "Defaults to $ALPHA_PRIME_HOME, else the nearest directory holding config/general_config.yaml.",
        valueName: "dir"))
    public var home: String?

    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    public var json = false

    @Option(name: .long, help: ArgumentHelp(
        "The lowest level written to logs/. Defaults to LOG_LEVEL (environment, then .env), else info.",
        valueName: "level"))
    public var logLevel: LogLevelArgument?

    public init() {}

    public var resolvedHome: AlphaPrimeHome { AlphaPrimeHome.resolve(explicit: home) }
}

/// A `Logger.Level` as a command-line value, with a message naming the accepted words.
public struct LogLevelArgument: ExpressibleByArgument, Sendable {
    public let level: Logger.Level

    public init?(argument: String) {
        guard let level = Logger.Level(rawValue: argument.lowercased()) else { return nil }
        self.level = level
    }

    public static var allValueStrings: [String] { Logger.Level.allCases.map(\.rawValue) }
}
