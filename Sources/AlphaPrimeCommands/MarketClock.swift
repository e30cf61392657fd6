import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// The instant a tool asks the trading calendar about: what today is (the default day of
/// `trading-calendar`, `report`, `archive run`'s cutoff, `health-check`'s calendar lines) and whether
/// the market is in session (`db-maintenance vacuum`/`checkpoint`, `health-check`'s engine line).
///
/// It is now, except in a debug build given `ALPHA_PRIME_NOW`: the drill clock, an ISO-8601 instant
/// as `trading-calendar minutes-to-close --at` takes it (`2021-02-23T11:00:00+05:30`, or no offset for
/// IST), so a test or a drill can run the tools and the runbooks as on another day. Only the
/// calendar's questions move; ages (heartbeats, backups) are still measured on the wall clock, and
/// files are stamped with it. Release builds ignore the variable.
public enum MarketClock {
    public static let testVariable = "ALPHA_PRIME_NOW"

    /// UTC epoch seconds. Throws ``MarketClockError`` (a usage error) for a malformed test value.
    public static func instant(environment: [String: String] = ProcessInfo.processInfo.environment,
                               now: Date = Date()) throws -> Int64 {
        #if DEBUG
        if let text = environment[testVariable], !text.isEmpty {
            guard let seconds = IST.epochSeconds(iso8601: text) else { throw MarketClockError(value: text) }
            return seconds
        }
        #endif
        return IST.epochSeconds(now)
    }

    /// Today in IST, by ``instant(environment:now:)``.
    public static func today(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LocalDate {
        IST.dateTime(epochSeconds: try instant(environment: environment)).date
    }
}

public struct MarketClockError: Error, ExitStatusProviding, CustomStringConvertible {
    public let value: String
    public var exitStatus: ExitStatus { .usage }
    public var description: String {
        "\(MarketClock.testVariable)='\(value)' is not an ISO-8601 instant such as 2021-02-23T11:00:00+05:30 (no offset means IST)"
    }
}
