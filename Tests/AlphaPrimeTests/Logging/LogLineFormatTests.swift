import Foundation
import Logging
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

@Suite struct LogLineFormatTests {
    func record(level: Logger.Level = .info, message: String = "order sent", metadata: Logger.Metadata = [:]) -> LogRecord {
        LogRecord(
            timestampMilliseconds: 1_769_485_500_123, level: level, label: "alpha_prime.trades", category: .trades,
            message: message, metadata: metadata, error: nil, errorType: nil, source: "AlphaPrime",
            file: "AlphaPrime/Execution/OrderManager.swift", function: "submit(_:)", line: 42,
            process: "engine", pid: 4242)
    }

    func parse(_ bytes: [UInt8]) throws -> [String: Any] {
        #expect(bytes.last == 10)
        #expect(bytes.dropLast().contains(10) == false, "one line per event")
        let object = try JSONSerialization.jsonObject(with: Data(bytes))
        return try #require(object as? [String: Any])
    }

    @Test func timestampsAreUTCWithMilliseconds() {
        #expect(LogLineFormat.iso8601(milliseconds: 1_769_485_500_123) == "2026-01-27T03:45:00.123Z")
        #expect(LogLineFormat.iso8601(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(LogLineFormat.iso8601(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(LogLineFormat.iso8601(milliseconds: 1_769_471_999_999) == "2026-01-26T23:59:59.999Z")
    }

    @Test func fieldsInOrderAndMetadataFlattened() throws {
        let r = record(metadata: [
            "order": ["id": "AP-1", "qty": .stringConvertible(50)],
            "price": .stringConvertible(Paise(2_450_005)),
            "filled": .stringConvertible(true),
            "ratio": .stringConvertible(0.25),
            "tags": ["a", "b"],
        ])
        let bytes = LogLineFormat.json(r)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"timestamp":"2026-01-27T03:45:00.123Z","level":"info","label":"alpha_prime.trades","category":"trades","message":"order sent","process":"engine","pid":4242,"#))
        let json = try parse(bytes)
        #expect(json["order.id"] as? String == "AP-1")
        #expect(json["order.qty"] as? Int == 50)
        #expect(json["price"] as? String == "24500.05")
        #expect(json["filled"] as? Bool == true)
        #expect(json["ratio"] as? Double == 0.25)
        #expect(json["tags"] as? [String] == ["a", "b"])
        // Info lines carry no source location.
        #expect(json["file"] == nil)
    }

    @Test func errorsCarryTheirSourceLocation() throws {
        var r = record(level: .error)
        r.error = "broker timeout"
        r.errorType = "AlphaPrime.BrokerError"
        let json = try parse(LogLineFormat.json(r))
        #expect(json["file"] as? String == "AlphaPrime/Execution/OrderManager.swift")
        #expect(json["line"] as? Int == 42)
        #expect(json["function"] as? String == "submit(_:)")
        #expect(json["source"] as? String == "AlphaPrime")
        #expect(json["error"] as? String == "broker timeout")
        #expect(json["error.type"] as? String == "AlphaPrime.BrokerError")
    }

    @Test func escapesAndReservedKeys() throws {
        let message = "quote \" backslash \\ newline \n tab \t bell \u{07} rupee ₹ नमस्ते"
        let json = try parse(LogLineFormat.json(record(message: message, metadata: ["message": "shadow", "level": "x"])))
        #expect(json["message"] as? String == message)
        #expect(json["metadata.message"] as? String == "shadow")
        #expect(json["metadata.level"] as? String == "x")
        #expect(json["level"] as? String == "info")
    }

    @Test func nonFiniteNumbersBecomeStrings() throws {
        let json = try parse(LogLineFormat.json(record(metadata: ["sharpe": .stringConvertible(Double.nan)])))
        #expect(json["sharpe"] as? String == "nan")
    }

    @Test func consoleLineIsOneReadableLineInIST() {
        var r = record(level: .error, message: "rejected\nby broker", metadata: ["order.id": "AP-1", "reason": "margin short"])
        r.error = "insufficient funds"
        let line = String(decoding: LogLineFormat.console(r), as: UTF8.self)
        #expect(line == "09:15:00.123 IST error   [trades] rejected\\nby broker order.id=AP-1 reason=\"margin short\" error=insufficient funds (AlphaPrime/Execution/OrderManager.swift:42)\n")
    }
}
