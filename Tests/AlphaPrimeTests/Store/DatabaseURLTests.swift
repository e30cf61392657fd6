import Foundation
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

@Suite struct DatabaseURLTests {
    let home = AlphaPrimeHome(root: URL(filePath: "/srv/alpha", directoryHint: .isDirectory))

    @Test func defaultsToSQLiteUnderHomeVar() throws {
        #expect(try DatabaseURL.resolve(environment: [:], home: home) == .sqlite(path: "/srv/alpha/var/alpha_prime.db"))
        #expect(try DatabaseURL.resolve(environment: ["DATABASE_URL": "  "], home: home) == .sqlite(path: "/srv/alpha/var/alpha_prime.db"))
        #expect(try DatabaseURL.resolve(environment: [:], home: home).backend == .sqlite)
    }

    @Test func parsesSQLiteForms() throws {
        #expect(try DatabaseURL.parse("sqlite:data/state.db", home: home) == .sqlite(path: "/srv/alpha/data/state.db"))
        #expect(try DatabaseURL.parse("sqlite:../shared/x.db", home: home) == .sqlite(path: "/srv/shared/x.db"))
        #expect(try DatabaseURL.parse("sqlite:/var/lib/alpha/state.db", home: home) == .sqlite(path: "/var/lib/alpha/state.db"))
        #expect(try DatabaseURL.parse("sqlite::memory:", home: home) == .sqlite(path: ":memory:"))
        #expect(try DatabaseURL.parse("sqlite:/tmp/x.db", home: home).description == "sqlite:/tmp/x.db")
    }

    @Test func parsesPostgresForms() throws {
        let url = try DatabaseURL.resolve(environment: ["DATABASE_URL": "postgres://trader:pa55@db.local:5433/alpha"], home: home)
        #expect(url == .postgres(url: "postgres://trader:pa55@db.local:5433/alpha"))
        #expect(url.backend == .postgresql)
        #expect(try DatabaseURL.parse("postgresql://db.local/alpha?sslmode=require", home: home).backend == .postgresql)
    }

    @Test func descriptionNeverShowsThePassword() throws {
        let cases = [
            ("postgres://trader:pa55word@db.local:5433/alpha", "postgres://trader:***@db.local:5433/alpha"),
            ("postgresql://trader:p%40ss@db.local/alpha?sslmode=require&password=other1",
             "postgresql://trader:***@db.local/alpha?sslmode=require&password=***"),
            ("postgres://trader@db.local/alpha", "postgres://trader@db.local/alpha"),
            ("postgres://db.local/alpha?password=qwerty9", "postgres://db.local/alpha?password=***"),
        ]
        for (text, expected) in cases {
            let url = try DatabaseURL.parse(text, home: home)
            #expect(url.description == expected)
            #expect(!"\(url)".contains("pa55word") && !"\(url)".contains("other1") && !"\(url)".contains("qwerty9"))
        }
    }

    @Test func badURLsAreConfigurationErrorsWithoutThePassword() {
        for text in ["mysql://u:hunter2@h/db", "sqlite:", "sqlite://x.db", "sqlite:///abs.db",
                     "postgres://u:hunter2@h:port/db", "postgres://u:hunter2@h/db?nosuchoption=1", "var/alpha_prime.db"] {
            let error = storeError { _ = try DatabaseURL.parse(text, home: home) }
            #expect(error?.kind == .invalidURL, "\(text)")
            #expect(error?.exitStatus == .configError)
            #expect(error?.description.contains("hunter2") == false, "\(text)")
        }
    }

    /// A raw `@` in the password, a key-value conninfo, a URL missing a `/`: the password, or any
    /// piece of it, appears in no message (the rule masks up to the last `@`; what cannot be parsed
    /// is not echoed).
    @Test func passwordsWithRawAtOrInUnparsableValuesNeverShow() {
        #expect(DatabaseURL.redactPostgresURL("postgres://alpha:pw1@ss_Xq9@127.0.0.1:1/alpha") == "postgres://alpha:***@127.0.0.1:1/alpha")
        #expect(SecretNames.urlPasswords("postgres://alpha:pw1@ss_Xq9@127.0.0.1:1/alpha?password=zz9") == ["pw1@ss_Xq9", "zz9"])
        let cases: [(text: String, pieces: [String])] = [
            ("postgres://alpha:pw1@ss_Xq9@127.0.0.1:1/alpha", ["pw1", "ss_Xq9"]),
            ("host=127.0.0.1 port=1 dbname=alpha password=kvpa55-secret", ["kvpa55-secret"]),
            ("postgres:/u:slashpa55@h/db", ["slashpa55"]),
            ("postgresql://u:pq%zzpa55@h/db", ["pq%zzpa55", "zzpa55"]),
            // Found by the `database-url` fuzz target: libpq quoted a piece of a password= value.
            ("postgres://ha@h/db?password=otes://ha:p% e", ["otes", "p% e"]),
            // …and one whose password holds NULs (Foundation's string search trapped on it).
            ("postgres://u:pw@[::1ostgresdb?password=other1\u{0}\u{0}\u{0}&", ["other1"]),
        ]
        for (text, pieces) in cases {
            let error = storeError { _ = try DatabaseURL.parse(text, home: home) }
            #expect(error?.kind == .invalidURL, "\(text)")
            #expect(error?.exitStatus == .configError)
            for piece in pieces { #expect(error?.description.contains(piece) == false, "\(error?.description ?? "")") }
        }
        // Found by the `database-url` fuzz target: a password= outside the query (a mistyped URL
        // libpq still accepts) is masked too.
        #expect(DatabaseURL.redactPostgresURL("postgres://alpha:p%40ss_X@127.0.0.1ost=127.0.0.1 password=able9")
                == "postgres://alpha:***@127.0.0.1ost=127.0.0.1 password=***")
        // …a password= value that starts with `#` (libpq reads no fragment)…
        #expect(DatabaseURL.redactPostgresURL("postgres://u43/db?password=#####3&application_name=x")
                == "postgres://u43/db?password=***&application_name=x")
        // …every password= before a later '@' too (the fuzz target again), ranges merged where they overlap…
        #expect(DatabaseURL.redactPostgresURL("postgres://h.0.1 password=h,n.1 password=host=x/@1 password=hl*")
                == "postgres://h.0.1 password=***")
        #expect(DatabaseURL.redactPostgresURL("postgres://u:pw?password=a&password=b@h/db") == "postgres://u:pw?password=***&password=***")
        // …and a user info whose user name holds a raw `@` is masked whole.
        #expect(DatabaseURL.redactPostgresURL("postgres://al1p@ss_X@12ha:p@ss_X@127.0.0.1:1/alpha") == "postgres://***@127.0.0.1:1/alpha")
        #expect(DatabaseURL.redactPostgresURL("postgres://alpha@127.0.0.1/alpha") == "postgres://alpha@127.0.0.1/alpha")
        let rawAt = storeError { _ = try DatabaseURL.parse("postgres://alpha:pw1@ss_Xq9@127.0.0.1:1/alpha", home: home) }
        #expect(rawAt?.description.contains("%40") == true)
        #expect(rawAt?.description.contains("postgres://alpha:***@127.0.0.1:1/alpha") == true)
    }

    /// Found by the `database-url` fuzz target: a control character in a bad URL reached the
    /// message raw; it is shown escaped.
    @Test func aBadURLsControlCharactersAreShownEscaped() {
        for text in ["poStgres://\u{13}", "sqlite://\u{0}x", "postgres://u:pw99@h/db?x=\u{1B}[2J"] {
            let message = storeError { _ = try DatabaseURL.parse(text, home: home) }?.description ?? ""
            #expect(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(message.debugDescription)")
            #expect(message.contains("\\u{"), "\(message)")
        }
    }

    @Test func openingGivesTheRightBackend() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-url-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let home = AlphaPrimeHome(root: directory)
        let database = try DatabaseURL.resolve(environment: [:], home: home).open()
        #expect(database.backend == .sqlite)
        #expect(database is SQLiteConnection)
        #expect(FileManager.default.fileExists(atPath: directory.appending(path: "var/alpha_prime.db").path))
    }

    @Test func unreachablePostgresIsUnavailableAndHidesThePassword() {
        // Port 1 on localhost: nothing listens there.
        let error = storeError { _ = try DatabaseURL.parse("postgres://trader:hunter2@127.0.0.1:1/alpha?connect_timeout=2", home: home).open() }
        #expect(error?.kind == .unavailable)
        #expect(error?.exitStatus == .unavailable)
        #expect(error?.description.contains("hunter2") == false)
        #expect(error?.description.contains("trader:***@127.0.0.1:1") == true)
    }

    @Test(.enabled(if: TestDatabases.postgresEnabled, "skipped: ALPHA_PRIME_TEST_POSTGRES_URL is not set"))
    func openingAPostgresURLGivesAPostgresConnection() throws {
        let url = try TestDatabases.requirePostgresURL()
        let database = try DatabaseURL.parse(url, home: home).open()
        #expect(database.backend == .postgresql)
        #expect(database is PostgresConnection)
        #expect(try database.queryFirst("SHOW synchronous_commit")?[0] != .text("off"))
    }
}
