import AlphaPrimeSupport
import AlphaPrimeDomain

/// The instrument master (migration 6): a downloaded list stored whole, and look-ups by token,
/// exchange, symbol, underlying and expiry.
extension StateRepository {
    static let instrumentColumns = """
        instrument_token, exchange_token, tradingsymbol, name, expiry, strike_paise, tick_size_paise, lot_size, \
        instrument_type, segment, exchange
        """

    /// Rows per `INSERT`: 12 parameters each, far below both backends' limits on bound parameters
    /// (SQLite 32,766, PostgreSQL 65,535), so a list of 100,000 instruments is a few hundred statements.
    static let instrumentInsertBatch = 250

    public func replaceInstruments(_ instruments: [InstrumentRecord], exchange: String?, downloadedOn: LocalDate) throws {
        if let exchange, let stray = instruments.first(where: { $0.exchange != exchange }) {
            throw StoreError(.invalidValue, backend: database.backend,
                             message: "the \(exchange) instrument list holds \(stray.key) (token \(stray.instrumentToken)) of exchange \(stray.exchange); nothing was stored")
        }
        if let empty = instruments.first(where: { $0.tradingsymbol.isEmpty || $0.exchange.isEmpty }) {
            throw StoreError(.invalidValue, backend: database.backend,
                             message: "instrument token \(empty.instrumentToken) has no trading symbol or exchange; nothing was stored")
        }
        let day = downloadedOn.description
        try database.transaction {
            if let exchange {
                try database.execute("DELETE FROM instruments WHERE exchange = ?", [.text(exchange)])
            } else {
                try database.execute("DELETE FROM instruments")
            }
            var start = 0
            while start < instruments.count {
                let batch = instruments[start..<min(start + Self.instrumentInsertBatch, instruments.count)]
                let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                var parameters: [SQLValue] = []
                parameters.reserveCapacity(batch.count * 12)
                for i in batch {
                    parameters += [
                        .integer(i.instrumentToken), .integer(i.exchangeToken), .text(i.tradingsymbol), .text(i.name),
                        SQLValue(i.expiry?.description), SQLValue(i.strike), SQLValue(i.tickSize), .integer(i.lotSize),
                        .text(i.instrumentType), .text(i.segment), .text(i.exchange), .text(day),
                    ]
                }
                try database.execute("""
                    INSERT INTO instruments (\(Self.instrumentColumns), downloaded_on) VALUES \
                    \(Array(repeating: row, count: batch.count).joined(separator: ", "))
                    """, parameters)
                start += batch.count
            }
        }
    }

    public func instrument(token: Int64) throws -> InstrumentRecord? {
        try database.queryFirst("SELECT \(Self.instrumentColumns) FROM instruments WHERE instrument_token = ?",
                                [.integer(token)]).map(InstrumentRecord.init(row:))
    }

    public func instruments(_ query: InstrumentQuery) throws -> [InstrumentRecord] {
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        for (column, value) in [("exchange", query.exchange), ("segment", query.segment), ("tradingsymbol", query.tradingsymbol),
                                ("name", query.name), ("instrument_type", query.instrumentType)] {
            guard let value else { continue }
            conditions.append("\(column) = ?")
            parameters.append(.text(value))
        }
        if let day = query.expiringOnOrAfter {
            // YYYY-MM-DD text orders as the dates do, on both backends.
            conditions.append("expiry IS NOT NULL AND expiry >= ?")
            parameters.append(.text(day.description))
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        // Sorted here rather than in SQL: text order would follow PostgreSQL's collation.
        return try database.query("SELECT \(Self.instrumentColumns) FROM instruments\(filter)", parameters)
            .map(InstrumentRecord.init(row:)).sorted(by: InstrumentRecord.lookupOrder)
    }

    public func instrumentLists() throws -> [InstrumentListSummary] {
        try database.query("""
            SELECT exchange, segment, COUNT(*) AS instruments, MIN(downloaded_on) AS downloaded_on
            FROM instruments GROUP BY exchange, segment
            """).map { row in
            let text = try row.string("downloaded_on")
            guard let day = LocalDate(text) else {
                throw StoreError(.typeMismatch, backend: database.backend, message: "instruments.downloaded_on '\(text)' is not a YYYY-MM-DD date")
            }
            return InstrumentListSummary(exchange: try row.string("exchange"), segment: try row.string("segment"),
                                         count: try row.int("instruments"), downloadedOn: day)
        }.sorted { ($0.exchange, $0.segment) < ($1.exchange, $1.segment) }
    }
}

extension InstrumentRecord {
    init(row: SQLRow) throws {
        let expiryText = try row.optionalString("expiry")
        var expiry: LocalDate?
        if let expiryText {
            guard let day = LocalDate(expiryText) else {
                throw StoreError(.typeMismatch, message: "instruments.expiry '\(expiryText)' is not a YYYY-MM-DD date")
            }
            expiry = day
        }
        self.init(
            instrumentToken: try row.int64("instrument_token"), exchangeToken: try row.int64("exchange_token"),
            tradingsymbol: try row.string("tradingsymbol"), name: try row.string("name"), expiry: expiry,
            strike: try row.optionalPaise("strike_paise"), tickSize: try row.optionalPaise("tick_size_paise"),
            lotSize: try row.int64("lot_size"), instrumentType: try row.string("instrument_type"),
            segment: try row.string("segment"), exchange: try row.string("exchange"))
    }
}
