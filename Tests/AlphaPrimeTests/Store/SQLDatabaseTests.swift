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

/// Behaviour both backends must share: transactions, exact integers, NULLs, errors.
@Suite struct SQLDatabaseTests {
    static let table = "CREATE TABLE sample (id {{id}}, amount {{int}}, ratio {{real}}, note TEXT){{strict}}"

    @Test(arguments: TestBackend.enabled)
    func rolledBackTransactionLeavesNothing(_ backend: TestBackend) throws {
        struct Abort: Error {}
        try TestDatabases.withFresh(backend) { database throws in
            try database.execute(database.dialect.render(Self.table))
            #expect(throws: Abort.self) {
                try database.transaction {
                    try database.execute("INSERT INTO sample (amount) VALUES (?)", [1])
                    try database.execute("INSERT INTO sample (amount) VALUES (?)", [2])
                    throw Abort()
                }
            }
            #expect(try database.query("SELECT id FROM sample").isEmpty)

            // A failing statement inside a transaction rolls back the statements before it too.
            #expect(throws: StoreError.self) {
                try database.transaction {
                    try database.execute("INSERT INTO sample (amount) VALUES (?)", [3])
                    try database.execute("INSERT INTO no_such_table (amount) VALUES (?)", [4])
                }
            }
            #expect(try database.query("SELECT id FROM sample").isEmpty)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func nestedTransactionsAreSavepoints(_ backend: TestBackend) throws {
        struct Abort: Error {}
        try TestDatabases.withFresh(backend) { database throws in
            try database.execute(database.dialect.render(Self.table))
            try database.transaction {
                try database.execute("INSERT INTO sample (amount) VALUES (?)", [1])
                try? database.transaction {
                    try database.execute("INSERT INTO sample (amount) VALUES (?)", [2])
                    throw Abort()
                }
                try database.transaction { try database.execute("INSERT INTO sample (amount) VALUES (?)", [3]) }
            }
            let amounts = try database.query("SELECT amount FROM sample ORDER BY amount").map { try $0.int64("amount") }
            #expect(amounts == [1, 3])
        }
    }

    @Test(arguments: TestBackend.enabled)
    func integersAndPaiseRoundTripExactly(_ backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database throws in
            try database.execute(database.dialect.render(Self.table))
            let values: [Int64] = [0, 1, -1, 5, 2_512_345, 9_007_199_254_740_993, 123_456_789_012_345_678,
                                   Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
            for value in values {
                try database.execute("INSERT INTO sample (amount) VALUES (?)", [SQLValue(Paise(value))])
            }
            let back = try database.query("SELECT amount FROM sample ORDER BY id").map { try $0.paise("amount").value }
            #expect(back == values)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func textAndRealsRoundTrip(_ backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database throws in
            try database.execute(database.dialect.render(Self.table))
            let notes = ["", "plain", "it's \"quoted\" ? and $1", "₹ १२३ NIFTY 🚀", String(repeating: "x", count: 10_000)]
            let ratios = [0.1, -2.5e-7, 1e300, 0.0, 1.0 / 3.0]
            for (note, ratio) in zip(notes, ratios) {
                try database.execute("INSERT INTO sample (note, ratio) VALUES (?, ?)", [.text(note), .real(ratio)])
            }
            let rows = try database.query("SELECT note, ratio FROM sample ORDER BY id")
            #expect(try rows.map { try $0.string("note") } == notes)
            #expect(try rows.map { try $0.double("ratio") } == ratios)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func nullsReadAsNilAndAreRefusedWhereAValueIsRequired(_ backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database throws in
            try database.execute(database.dialect.render(Self.table))
            try database.execute("INSERT INTO sample (amount, ratio, note) VALUES (?, ?, ?)", [nil, SQLValue(nil as Double?), SQLValue(nil as String?)])
            let row = try #require(try database.queryFirst("SELECT amount, ratio, note FROM sample"))
            #expect(try row.optionalInt64("amount") == nil)
            #expect(try row.optionalDouble("ratio") == nil)
            #expect(try row.optionalString("note") == nil)
            #expect(try row.optionalPaise("amount") == nil)
            #expect(row[0] == .null)
            let error = storeError { _ = try row.int64("amount") }
            #expect(error?.kind == .typeMismatch)
            #expect(error?.description.contains("amount") == true)
            // A row that exists with NULLs is different from no row at all.
            #expect(try database.queryFirst("SELECT amount FROM sample WHERE id = ?", [-1]) == nil)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func executeReportsChangedRows(_ backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database throws in
            try database.execute(database.dialect.render(Self.table))
            for amount: Int64 in 1...3 { try database.execute("INSERT INTO sample (amount) VALUES (?)", [.integer(amount)]) }
            #expect(try database.execute("UPDATE sample SET note = ? WHERE amount >= ?", ["x", 2]) == 2)
            #expect(try database.execute("DELETE FROM sample WHERE amount > ?", [10]) == 0)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func errorsNameTheSQLButNeverTheValues(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            let database = repository.database
            let secretId = "SECRETID4242"
            try repository.insertOrder(sampleOrder(clientOrderId: secretId))
            let duplicate = storeError { try repository.insertOrder(sampleOrder(clientOrderId: secretId)) }
            #expect(duplicate?.kind == .uniqueViolation)
            #expect(duplicate?.backend == database.backend)
            #expect(duplicate?.code != nil)
            #expect(duplicate?.description.contains("INSERT INTO orders") == true)
            #expect(duplicate?.description.contains(secretId) == false)

            // A text value where a number belongs: PostgreSQL quotes it in its message; it must not reach ours.
            let secretText = "TOPSECRETVALUE"
            let wrongType = storeError {
                try database.execute("""
                    INSERT INTO portfolio_history (mode, recorded_at_us, cash_paise, positions_value_paise, equity_paise, \
                    realized_pnl_paise, unrealized_pnl_paise, open_positions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, ["paper", .text(secretText), 1, 2, 3, 4, 5, 6])
            }
            #expect(wrongType?.description.contains("INSERT INTO portfolio_history") == true)
            #expect(wrongType?.description.contains(secretText) == false)

            let wrongCount = storeError { try database.execute("SELECT ? + ?", [1]) }
            #expect(wrongCount?.description.contains("2 parameters") == true)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func modeCheckIsEnforcedByTheSchema(_ backend: TestBackend) throws {
        try TestDatabases.withMigrated(backend) { repository throws in
            let error = storeError {
                try repository.database.execute("""
                    INSERT INTO risk_events (mode, occurred_at_us, rule, severity, action, message) VALUES (?, ?, ?, ?, ?, ?)
                    """, ["demo", 1, "daily_loss_limit", "critical", "halted", "x"])
            }
            #expect(error?.kind == .checkViolation)
            #expect(error?.exitStatus == .dataError)
            let engine = storeError {
                try repository.database.execute("INSERT INTO engine_state (mode, status, updated_at_us) VALUES (?, ?, ?)",
                                                ["LIVE", "stopped", 1])
            }
            #expect(engine?.kind == .checkViolation)
        }
    }

    @Test func placeholdersAreNumberedOutsideLiteralsAndComments() {
        let (sql, count) = SQLDialect.numberedPlaceholders("""
            SELECT ?, '?', 'it''s ?', "col?" -- a ? comment
            FROM t /* ? */ WHERE a = ? AND b = ?
            """)
        #expect(count == 3)
        #expect(sql == """
            SELECT $1, '?', 'it''s ?', "col?" -- a ? comment
            FROM t /* ? */ WHERE a = $2 AND b = $3
            """)
    }

    @Test func scrubRemovesBoundValuesAndSecrets() {
        let message = StoreError.scrub("bad value \"hunter22\" for 123456 near abc",
                                       parameters: [.text("abc"), .integer(123_456), .integer(7)], secrets: ["hunter22"])
        #expect(!message.contains("hunter22"))
        #expect(!message.contains("123456"))
        #expect(!message.contains("abc"))
    }
}
