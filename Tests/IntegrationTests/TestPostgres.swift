import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeCore
import AlphaPrimePaper
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeCommands
import Foundation
import Testing

/// The real PostgreSQL server the integration tests use, from `ALPHA_PRIME_TEST_POSTGRES_URL`
/// (bin/test starts a throwaway one and sets it).
///
/// Without the variable, PostgreSQL tests are skipped — unless `ALPHA_PRIME_REQUIRE_POSTGRES=1`
/// (bin/test sets it), when they run and fail, so a CI run can never pass by skipping them.
enum TestPostgres {
    static var url: String? {
        let url = ProcessInfo.processInfo.environment["ALPHA_PRIME_TEST_POSTGRES_URL"] ?? ""
        return url.isEmpty ? nil : url
    }

    static var enabled: Bool {
        url != nil || ProcessInfo.processInfo.environment["ALPHA_PRIME_REQUIRE_POSTGRES"] == "1"
    }

    static let skipNote: Comment = "skipped: ALPHA_PRIME_TEST_POSTGRES_URL is not set (bin/test starts a PostgreSQL server and sets it)"

    /// The server's URL, or a failure saying it is required but missing.
    static func requireURL() throws -> String {
        try #require(url, "ALPHA_PRIME_REQUIRE_POSTGRES=1 but ALPHA_PRIME_TEST_POSTGRES_URL is not set")
    }

    /// A fresh, empty schema for one test, and a URL whose connections use it; the schema is
    /// dropped by `drop()`.
    struct Schema {
        let name: String
        let baseURL: String

        /// `url` with `search_path` set to this schema; `password` (ignored by the test server's
        /// trust authentication) is put in the user info when given.
        func url(password: String? = nil) -> String {
            var url = baseURL
            if let password, let at = url.range(of: "@"), let scheme = url.range(of: "://") {
                let user = url[scheme.upperBound..<at.lowerBound]
                url.replaceSubrange(scheme.upperBound..<at.lowerBound, with: "\(user):\(password)")
            }
            return url + (url.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(name)"
        }

        func drop() { _ = try? PostgresConnection(url: baseURL).execute("DROP SCHEMA \(name) CASCADE") }
    }

    static func makeSchema() throws -> Schema {
        let base = try requireURL()
        let name = "it_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        _ = try PostgresConnection(url: base).execute("CREATE SCHEMA \(name)")
        return Schema(name: name, baseURL: base)
    }
}
