import Foundation
import Testing
import Yams
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

/// The `charges` configuration: exact rates, strict keys, validation, and the YAML proposed in
/// `docs/charges.md` decoding to the built-in defaults.
@Suite struct ChargeRatesCodingTests {
    @Test func ratesParseExactlyFromPercentText() {
        #expect(ChargeRate("0.00297%")?.parts == 297_000)
        #expect(ChargeRate("18%")?.parts == 1_800_000_000)
        #expect(ChargeRate("0.1%") == ChargeRate(rupeesPerCrore: 10_000))
        #expect(ChargeRate("0.0001%") == ChargeRate(rupeesPerCrore: 10))
        #expect(ChargeRate("0.00000001%")?.parts == 1)
        #expect(ChargeRate("100%")?.parts == ChargeRate.partsPerWhole)
        #expect(ChargeRate(" 0.025% ")?.parts == 2_500_000)
        for bad in ["0.025", "0.000000001%", "101%", "-1%", ".5%", "1.%", "abc%", "%", "1e-3%", "0,1%", ""] {
            #expect(ChargeRate(bad) == nil, "\(bad)")
        }
    }

    @Test func ratesPrintAsTheShortestExactPercentage() {
        #expect(ChargeRate(rupeesPerCrore: 297).description == "0.00297%")
        #expect(ChargeRate(percent: 18).description == "18%")
        #expect(ChargeRate.zero.description == "0%")
        #expect(ChargeRate(rupeesPerCrore: 3_503).description == "0.03503%")
        for text in ["0.00297%", "0.1%", "0.0625%", "12.5%", "0.00000001%"] {
            #expect(ChargeRate(text)?.description == text)
        }
    }

    /// The first ```yaml block of docs/charges.md, decoded.
    static func documentedYAML() throws -> String {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/charges.md"), encoding: .utf8)
        let start = try #require(doc.range(of: "```yaml\n"))
        let end = try #require(doc.range(of: "```", range: start.upperBound..<doc.endIndex))
        return String(doc[start.upperBound..<end.lowerBound])
    }

    struct DocumentedSections: Decodable {
        var charges: ChargesConfig
        var orderProducts: OrderProductRules
        enum CodingKeys: String, CodingKey { case charges, orderProducts = "order_products" }
    }

    static func withoutSources(_ config: ChargesConfig) -> ChargesConfig {
        var c = config
        for i in c.rateSets.indices { c.rateSets[i].source = nil }
        return c
    }

    @Test func theDocumentedYAMLDecodesToTheBuiltInDefaults() throws {
        let sections = try YAMLDecoder().decode(DocumentedSections.self, from: Self.documentedYAML())
        #expect(Self.withoutSources(sections.charges) == Self.withoutSources(.nseDefaults))
        #expect(sections.orderProducts == OrderProductRules())
        #expect(sections.orderProducts.misSquareOff == TimeOfDay(hour: 15, minute: 20))
        #expect(sections.charges.rateSets.allSatisfy { $0.source != nil })
    }

    @Test func defaultsSurviveAJSONRoundTrip() throws {
        let json = try JSONEncoder().encode(ChargesConfig.nseDefaults)
        #expect(try JSONDecoder().decode(ChargesConfig.self, from: json) == .nseDefaults)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"effective_from\":\"2024-10-01\""))
        #expect(text.contains("\"max_per_order\":\"20.00\""))
    }

    static func decodeError(_ json: String) -> String? {
        do {
            _ = try JSONDecoder().decode(ChargesConfig.self, from: Data(json.utf8))
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func segmentJSON(_ replacing: (String, String)? = nil) -> String {
        var s = #"{"brokerage": {"flat_per_order": "0"}, "stt_buy": "0%", "stt_sell": "0.025%", "exchange_transaction": "0.00297%", "ipft": "0.0001%", "sebi_fee": "0.0001%", "stamp_duty_buy": "0.003%"}"#
        if let (a, b) = replacing { s = s.replacingOccurrences(of: a, with: b) }
        return s
    }

    static func configJSON(intraday: String = segmentJSON(), extra: String = "") -> String {
        let seg = segmentJSON()
        return #"{"rate_sets": [{"effective_from": "2024-10-01", "gst": "18%", "equity_intraday": "# + intraday
            + #", "equity_delivery": "# + seg + #", "equity_futures": "# + seg + #", "equity_options": "# + seg
            + #", "commodity_futures": "# + seg + "}]" + extra + "}"
    }

    @Test func aMinimalConfigDecodesWithTheDefaultRounding() throws {
        let config = try JSONDecoder().decode(ChargesConfig.self, from: Data(Self.configJSON().utf8))
        #expect(config.totalRounding == .sumOfComponents)
        #expect(config.rateSets.first?.equityIntraday.sttSell == ChargeRate("0.025%"))
        #expect(config.rateSets.first?.source == nil)
    }

    @Test func unknownKeysAndFloatRatesAreErrors() {
        let typo = Self.decodeError(Self.configJSON(intraday: Self.segmentJSON(("stt_sell", "stt_sel"))))
        #expect(typo?.contains("unknown key 'stt_sel'") == true)
        let topLevel = Self.decodeError(Self.configJSON(extra: #", "rounding": "exact_sum""#))
        #expect(topLevel?.contains("unknown key 'rounding'") == true)
        let float = Self.decodeError(Self.configJSON(intraday: Self.segmentJSON((#""0.025%""#, "0.00025"))))
        #expect(float?.contains("percentage string") == true)
        let noSign = Self.decodeError(Self.configJSON(intraday: Self.segmentJSON((#""0.025%""#, #""0.025""#))))
        #expect(noSign?.contains("got '0.025'") == true)
        let both = Self.decodeError(Self.configJSON(
            intraday: Self.segmentJSON((#"{"flat_per_order": "0"}"#, #"{"flat_per_order": "0", "percent": "0.03%"}"#))))
        #expect(both?.contains("not both") == true)
        let rupees = Self.decodeError(Self.configJSON(
            intraday: Self.segmentJSON((#"{"flat_per_order": "0"}"#, #"{"flat_per_order": "20.005"}"#))))
        #expect(rupees?.contains("expected rupees") == true)
        let badDate = Self.decodeError(Self.configJSON().replacingOccurrences(of: "2024-10-01", with: "2024-10-32"))
        #expect(badDate?.contains("YYYY-MM-DD") == true)
    }

    @Test func brokerageAcceptsWholeRupeesAsNumbers() throws {
        let json = Self.configJSON(intraday: Self.segmentJSON(
            (#"{"flat_per_order": "0"}"#, #"{"percent": "0.03%", "max_per_order": 20}"#)))
        let config = try JSONDecoder().decode(ChargesConfig.self, from: Data(json.utf8))
        #expect(config.rateSets.first?.equityIntraday.brokerage == .discountIntraday)
    }

    @Test func validationNamesEveryProblemByKey() {
        var config = ChargesConfig.nseDefaults
        config.rateSets[2].effectiveFrom = config.rateSets[1].effectiveFrom
        config.rateSets[0].equityOptions.sebiFee = ChargeRate(parts: -1)
        config.rateSets[1].equityIntraday.brokerage = .percentOfTurnover(ChargeRate("0.03%")!, maxPerOrder: -100)
        #expect(throws: ChargesConfigError.self) { try config.validate() }
        let error = #expect(throws: ChargesConfigError.self) { try CostModel(config: config) }
        #expect(error?.problems.map(\.key) == ["rate_sets[0].equity_options.sebi_fee",
                                               "rate_sets[1].equity_intraday.brokerage.max_per_order",
                                               "rate_sets[2].effective_from"])
        #expect(error?.exitStatus == .configError)
        #expect(error?.description.hasPrefix("charges: 3 problems") == true)
        #expect(throws: ChargesConfigError.self) { try CostModel(config: ChargesConfig(rateSets: [])) }
    }

    @Test func rateSetsMayBeGivenInAnyOrder() throws {
        let shuffled = ChargesConfig(rateSets: [.nse2026, .nse2023, .nse2024])
        let model = try CostModel(config: shuffled)
        #expect(model.config.rateSets.map(\.effectiveFrom) == ChargesConfig.nseDefaults.rateSets.map(\.effectiveFrom))
        #expect(model.rateSet(on: LocalDate(year: 2025, month: 6, day: 2)!) == .nse2024)
        #expect(model.pricingDate == nil)
    }
}
