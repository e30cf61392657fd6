@testable import AlphaPrimeKite
import Testing

/// The instrument CSV reader: quoted fields, and malformed rows named by file and line.
@Suite struct KiteCSVTests {
    static let header = KiteInstrument.columns.joined(separator: ",")
    static let good = "3813889,14898,CENTRALBK-BE,CENTRAL BANK OF INDIA,0.0,,0.0,0.05,1,EQ,NSE,NSE"

    @Test func quotedFieldsWithCommas() throws {
        let text = "\(Self.header)\r\n\(Self.good)\r\n408065,1594,INFY,\"INFOSYS, \"\"LTD\"\"\",1412.95,,0.0,0.05,1,EQ,NSE,NSE\r\n"
        let list = try KiteInstrument.parseCSV(text, file: "i.csv")
        #expect(list.count == 2 && list[1].name == "INFOSYS, \"LTD\"" && list[1].lastPrice.paise.value == 141_295)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var text: String
        var line: Int
        var reason: String
        var testDescription: String { reason }
    }

    static let bad: [Bad] = [
        Bad(text: "\(header)\n\(good)\n\(good),extra\n", line: 3, reason: "13 fields, expected 12"),
        Bad(text: "\(header)\n\(good)\n\n\(good)\n", line: 3, reason: "1 fields, expected 12"),
        Bad(text: "\(header)\n\(good)\nabc,14898,X,N,0.0,,0.0,0.05,1,EQ,NSE,NSE\n", line: 3,
            reason: "instrument_token \"abc\" is not an integer"),
        Bad(text: "\(header)\n1,2,X,N,0.0,2018-02-30,0.0,0.05,1,EQ,NSE,NSE\n", line: 2,
            reason: "expiry \"2018-02-30\" is not a yyyy-MM-dd date"),
        Bad(text: "\(header)\n1,2,X,N,free,,0.0,0.05,1,EQ,NSE,NSE\n", line: 2, reason: "last_price \"free\" is not a rupee amount"),
        Bad(text: "\(header)\n\(good)\n1,2,X,\"N,0.0,,0.0,0.05,1,EQ,NSE,NSE\n", line: 3, reason: "an unterminated quoted field (the record starts here)"),
        Bad(text: "\(header)\n1,2,X,N\"x\",0.0,,0.0,0.05,1,EQ,NSE,NSE\n", line: 2, reason: "a quote inside an unquoted field"),
        Bad(text: "\(header)\n1,2,X,\"N\"x,0.0,,0.0,0.05,1,EQ,NSE,NSE\n", line: 2, reason: "text after a closing quote"),
        // Found by the kite-api fuzz target: a row without a trading symbol was taken.
        Bad(text: "\(header)\n1,2,,N,0.0,,0.0,0.05,1,EQ,NSE,NSE\n", line: 2, reason: "tradingsymbol \"\" is not a trading symbol"),
        Bad(text: "token,exchange_token\n1,2\n", line: 1,
            reason: "the header is token,exchange_token, expected \(KiteInstrument.columns.joined(separator: ","))"),
    ]

    @Test(arguments: bad)
    func malformedRowNamesFileAndLine(_ c: Bad) {
        #expect(throws: KiteCSVError(file: "instruments_nse.csv", line: c.line, reason: c.reason)) {
            try KiteInstrument.parseCSV(c.text, file: "instruments_nse.csv")
        }
    }

    @Test func errorDescriptionAndMFRows() {
        let error = KiteCSVError(file: "instruments_nse.csv", line: 42, reason: "13 fields, expected 12")
        #expect(error.description == "instruments_nse.csv:42: 13 fields, expected 12" && error.exitStatus == .dataError)
        let mfHeader = KiteMFInstrument.columns.joined(separator: ",")
        #expect(throws: KiteCSVError(file: "mf.csv", line: 2, reason: "purchase_allowed \"yes\" is not 1 or 0")) {
            try KiteMFInstrument.parseCSV(
                "\(mfHeader)\nINF1,AMC,Fund,yes,1,1000.0,1.0,1000.0,0.001,0.001,growth,equity,direct,T3,10.5,2017-11-23\n",
                file: "mf.csv")
        }
    }
}
