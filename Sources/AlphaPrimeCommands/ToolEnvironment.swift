import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import Foundation
import Logging

/// The environment a tool runs with: the process environment, with the home's `.env` filling in
/// what the process does not set (the process wins, as in ``AlphaPrimeConfiguration/load``).
///
/// This is what a tool still has when the YAML configuration does not load: enough to find the
/// state database, choose a log level and know which values are secrets. Problems in `.env`
/// itself are not reported here; `config-check` and `health-check` report them.
public struct ToolEnvironment: Sendable {
    public let home: AlphaPrimeHome
    /// The process environment merged with `.env`.
    public let variables: [String: String]
    /// Values of every variable named like a secret (`KITE_API_SECRET`, `SMTP_PASSWORD`) and the
    /// password of any URL (`DATABASE_URL`, `REDIS_URL`), for redaction.
    public let secretValues: [String]

    public init(home: AlphaPrimeHome, processEnvironment: [String: String] = ProcessInfo.processInfo.environment) {
        self.home = home
        let dotEnv = (try? DotEnvFile.load(home.envFile)).flatMap { $0 } ?? DotEnvFile()
        let variables = dotEnv.values.merging(processEnvironment) { _, process in process }
        self.variables = variables
        var secrets: Set<String> = []
        for (name, value) in variables where !value.isEmpty {
            if SecretNames.isSecretKey(name) { secrets.insert(value) }
            if let password = SecretNames.urlPassword(value), !password.isEmpty {
                secrets.insert(password)
                if let decoded = password.removingPercentEncoding, !decoded.isEmpty { secrets.insert(decoded) }
            }
        }
        self.secretValues = secrets.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    /// The state database `DATABASE_URL` names (the default SQLite file when unset).
    /// Throws ``StoreError`` (`.invalidURL`, a configuration error) when it is not a database URL.
    public func databaseURL() throws -> DatabaseURL {
        try DatabaseURL.resolve(environment: variables, home: home)
    }

    /// `LOG_LEVEL`, when it is set to a level; nil when unset or not a level.
    public var logLevel: Logger.Level? {
        guard let text = variables["LOG_LEVEL"], !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return AlphaPrimeLogging.parseLevel(text)
    }
}
