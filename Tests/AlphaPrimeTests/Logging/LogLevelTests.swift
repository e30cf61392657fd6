import Foundation
import Logging
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

@Suite struct LogLevelTests {
    @Test func parsesNamesAndAliases() {
        #expect(AlphaPrimeLogging.parseLevel("DEBUG") == .debug)
        #expect(AlphaPrimeLogging.parseLevel(" warn ") == .warning)
        #expect(AlphaPrimeLogging.parseLevel("err") == .error)
        #expect(AlphaPrimeLogging.parseLevel("fatal") == .critical)
        #expect(AlphaPrimeLogging.parseLevel("loud") == nil)
    }

    @Test func flagThenEnvironmentThenInfo() throws {
        #expect(try AlphaPrimeLogging.resolveLevel(flag: .trace, environment: ["LOG_LEVEL": "error"]) == .trace)
        #expect(try AlphaPrimeLogging.resolveLevel(flag: nil, environment: ["LOG_LEVEL": "error"]) == .error)
        #expect(try AlphaPrimeLogging.resolveLevel(flag: nil, environment: [:]) == .info)
        #expect(try AlphaPrimeLogging.resolveLevel(flag: nil, environment: ["LOG_LEVEL": " "]) == .info)
        #expect(throws: LogSetupError.badLevel(source: "LOG_LEVEL", value: "loud")) {
            try AlphaPrimeLogging.resolveLevel(flag: nil, environment: ["LOG_LEVEL": "loud"])
        }
        #expect(LogSetupError.badLevel(source: "LOG_LEVEL", value: "loud").exitStatus == .configError)
        #expect(LogSetupError.badLevel(source: "LOG_LEVEL", value: "loud").description
            == "LOG_LEVEL='loud' is not a log level; use one of trace, debug, info, notice, warning, error, critical")
    }

    @Test func categoriesFromLabels() {
        #expect(LogCategory(label: "alpha_prime.trades") == .trades)
        #expect(LogCategory(label: "alpha_prime.risk.limits") == .risk)
        #expect(LogCategory(label: "alpha_prime") == .general)
        #expect(LogCategory(label: "alpha_primex.trades") == .general)
        #expect(LogCategory(label: "NIOCore") == .general)
        #expect(LogCategory.trades.label == "alpha_prime.trades")
        #expect(LogCategory.general.label == "alpha_prime")
        #expect(Logger(category: .risk).label == "alpha_prime.risk")
        #expect(LogFile.destinations(category: .trades, level: .error) == [.all, .trades, .errors])
        #expect(LogFile.destinations(category: .engine, level: .warning) == [.all])
    }

    @Test func unopenableLogsAreAnError() {
        #expect(throws: LogSetupError.self) {
            _ = try LogFileSink(directory: URL(filePath: "/proc/alpha-prime-no-such/logs"))
        }
    }
}
