import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeKite
import Foundation

/// The Kite Connect client a market-data command talks through: `broker_config.yaml`'s `kite`
/// section, with the daily login's access token (`broker login`), else `KITE_ACCESS_TOKEN`.
enum KiteAccess {
    /// Kite cannot be used as configured: no API key, no access token, or Kite refused the token.
    struct LoginNeeded: Error, CustomStringConvertible, ExitStatusProviding {
        var reason: String
        var description: String { "\(reason); log in with: broker login" }
        var exitStatus: ExitStatus { .configError }
    }

    static func client(_ context: ToolContext, now: UTCTimestamp = .now()) throws -> KiteClient {
        let kite = context.configuration.broker.kite
        guard !kite.apiKey.isEmpty else {
            throw LoginNeeded(reason: "KITE_API_KEY is not set (broker_config.yaml: kite.api_key, from .env)")
        }
        guard let token = try KiteSessionFile.accessToken(home: context.home, configured: kite.accessToken, at: now) else {
            throw LoginNeeded(reason: "no Kite access token: today's login is missing or expired and KITE_ACCESS_TOKEN is not set")
        }
        return try KiteClient(connection: KiteConnection(kite, accessToken: token), limiter: KiteRateLimiter(kite.rateLimits))
    }

    /// Runs a Kite call, turning a refused token (TokenException) into ``LoginNeeded``.
    static func call<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as KiteError where error.kind == .token {
            throw LoginNeeded(reason: "Kite refused the access token (\(error))")
        }
    }
}
