import AlphaPrimeDomain
import AlphaPrimeSupport
import AlphaPrimeUpstox
import Foundation
import Testing

/// The documented example answers of Upstox API v2 in `Fixtures/upstox/` (see its README).
enum UpstoxFixtures {
    static var folder: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appending(path: "upstox")
    }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: folder.appending(path: name)) }

    static func decode<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        try UpstoxResponse.decode(data(name), as: type, httpStatus: 200)
    }
}

@Suite struct UpstoxModelTests {
    @Test func everyFixtureDecodes() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: UpstoxFixtures.folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count == 10)
        for name in names {
            switch name {
            case "order_book.json": _ = try UpstoxFixtures.decode(name, as: [UpstoxOrder].self)
            case "trades_for_day.json": _ = try UpstoxFixtures.decode(name, as: [UpstoxTrade].self)
            case "positions.json": _ = try UpstoxFixtures.decode(name, as: [UpstoxPosition].self)
            case "funds_and_margin.json": _ = try UpstoxFixtures.decode(name, as: UpstoxFunds.self)
            case "ltp.json": _ = try UpstoxFixtures.decode(name, as: [String: UpstoxLTP].self)
            case "place_order.json", "modify_order.json", "cancel_order.json": _ = try UpstoxFixtures.decode(name, as: UpstoxOrderReference.self)
            case "token.json": _ = try JSONDecoder().decode(UpstoxTokenResponse.self, from: UpstoxFixtures.data(name))
            case "error.json": #expect(UpstoxResponse.error(try UpstoxFixtures.data(name), httpStatus: 401).code == "UDAPI100050")
            default: Issue.record("a fixture no test decodes: \(name)")
            }
        }
    }

    @Test func orderBookInPaiseAndIST() throws {
        let book = try UpstoxFixtures.decode("order_book.json", as: [UpstoxOrder].self)
        #expect(book.count == 2)
        let first = book[0]
        #expect(first.orderID == "231019025057849")
        #expect(first.status == "complete")
        #expect(first.price.paise == Paise(80))
        #expect(first.averagePrice.paise == Paise(80))
        #expect(first.instrumentToken == "BSE_EQ|INE220J01025")
        #expect(first.tag == nil)
        // 09:23:23 IST is 03:53:23 UTC.
        #expect(first.orderTime == UTCTimestamp(secondsSinceEpoch: 1_697_687_603))
        #expect(book[1].status == "rejected")
        #expect(book[1].triggerPrice.paise == Paise(57_000))
        #expect(book[1].statusMessage?.contains("138385.27") == true)
    }

    @Test func tradesPositionsFundsAndLTP() throws {
        let trade = try #require(try UpstoxFixtures.decode("trades_for_day.json", as: [UpstoxTrade].self).first)
        #expect(trade.tradeID == "50091502")
        #expect(trade.averagePrice.paise == Paise(29_940))
        // 03-Aug-2017 15:03:42 IST.
        #expect(trade.time == UTCTimestamp(secondsSinceEpoch: 1_501_752_822))
        let positions = try UpstoxFixtures.decode("positions.json", as: [UpstoxPosition].self)
        #expect(positions.map(\.quantity) == [15, 1])
        #expect(positions[0].openPrice == Paise(265))
        #expect(positions[1].averagePrice == nil)
        #expect(positions[1].openPrice == Paise(80))
        let funds = try UpstoxFixtures.decode("funds_and_margin.json", as: UpstoxFunds.self)
        #expect(funds.equity?.availableMargin.paise == Paise(1_550_746))
        #expect(funds.commodity?.availableMargin.paise == .zero)
        let ltp = try UpstoxFixtures.decode("ltp.json", as: [String: UpstoxLTP].self)
        #expect(ltp["NSE_EQ:NHPC"]?.lastPrice.paise == Paise(5_205))
        #expect(ltp["NSE_EQ:NHPC"]?.instrumentToken == "NSE_EQ|INE848E01016")
    }

    @Test func tokenAnswerNeverShowsTheToken() throws {
        let token = try JSONDecoder().decode(UpstoxTokenResponse.self, from: UpstoxFixtures.data("token.json"))
        #expect(token.broker == "UPSTOX")
        #expect(token.products == ["D", "CO", "I"])
        #expect(!"\(token)".contains(token.accessToken))
    }

    @Test func errorsAreTypedWithTheHTTPStatus() throws {
        let body = try UpstoxFixtures.data("error.json")
        let error = UpstoxResponse.error(body, httpStatus: 401)
        #expect(error.httpStatus == 401)
        #expect(error.message == "Invalid token used to access API")
        #expect(error.isTokenError)
        #expect(error.exitStatus == .configError)
        #expect(!error.isOutcomeUnknownOnPlacement)
        #expect(error.description == "Upstox UDAPI100050 (HTTP 401): Invalid token used to access API")
        #expect(throws: UpstoxError.self) { try UpstoxResponse.decode(body, as: UpstoxOrderReference.self, httpStatus: 401) }
        let gateway = UpstoxResponse.error(Data("<html>bad gateway</html>".utf8), httpStatus: 502)
        #expect(gateway.code == "HTTP 502")
        #expect(gateway.isOutcomeUnknownOnPlacement)
        #expect(gateway.exitStatus == .unavailable)
        #expect(UpstoxError(code: "UDAPI1004", httpStatus: 400, message: "Valid order type is required").exitStatus == .dataError)
        #expect(UpstoxError(code: "UDAPI10005", httpStatus: 429, message: "Too many requests").exitStatus == .unavailable)
        #expect(UpstoxError(code: "X", httpStatus: 403, message: "not allowed").exitStatus == .refused)
    }

    @Test func tokensExpireAt0330ISTTheNextDay() {
        // 20:00 IST Tuesday 2024-01-09 → 03:30 IST Wednesday.
        let evening = UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: LocalDate(year: 2024, month: 1, day: 9)!, secondOfDay: 20 * 3600))
        #expect(UpstoxStoredSession.expiry(after: evening)
                == UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: LocalDate(year: 2024, month: 1, day: 10)!, secondOfDay: 12_600)))
        // 02:30 IST Wednesday → 03:30 the same Wednesday.
        let night = UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: LocalDate(year: 2024, month: 1, day: 10)!, secondOfDay: 9_000))
        #expect(UpstoxStoredSession.expiry(after: night)
                == UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: LocalDate(year: 2024, month: 1, day: 10)!, secondOfDay: 12_600)))
        let session = UpstoxStoredSession(userID: "AB1234", accessToken: "secret-token", loginAt: night)
        #expect(!"\(session)".contains("secret-token"))
    }

    @Test func authorizationCodeFromACodeOrTheRedirectURL() {
        #expect(UpstoxSessionFile.authorizationCode(from: " aB3-x_9 \n") == "aB3-x_9")
        #expect(UpstoxSessionFile.authorizationCode(from: "https://example.com/cb?code=Xy12&state=s") == "Xy12")
        #expect(UpstoxSessionFile.authorizationCode(from: "https://example.com/cb?state=s") == nil)
        #expect(UpstoxSessionFile.authorizationCode(from: "not a code!") == nil)
        #expect(UpstoxSessionFile.redirectURI(from: "https://example.com/cb?code=Xy12&state=s") == "https://example.com/cb")
        #expect(UpstoxClient.loginURL("https://api.upstox.com/v2/login/authorization/dialog", apiKey: "key1", redirectURI: "https://example.com/cb")
                == "https://api.upstox.com/v2/login/authorization/dialog?response_type=code&client_id=key1&redirect_uri=https%3A%2F%2Fexample.com%2Fcb")
    }
}
