import AlphaPrimeSupport
@testable import AlphaPrimeKite
import Foundation
import Testing

/// Kite's error envelope, for every documented `error_type`.
@Suite struct KiteErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var errorType: String
        var http: Int
        var kind: KiteError.Kind
        var exit: AlphaPrimeSupport.ExitStatus
        var testDescription: String { errorType }
    }

    static let cases: [Case] = [
        Case(errorType: "TokenException", http: 403, kind: .token, exit: .configError),
        Case(errorType: "UserException", http: 403, kind: .user, exit: .refused),
        Case(errorType: "OrderException", http: 400, kind: .order, exit: .refused),
        Case(errorType: "InputException", http: 400, kind: .input, exit: .dataError),
        Case(errorType: "MarginException", http: 400, kind: .margin, exit: .refused),
        Case(errorType: "HoldingException", http: 400, kind: .holding, exit: .refused),
        Case(errorType: "NetworkException", http: 503, kind: .network, exit: .unavailable),
        Case(errorType: "DataException", http: 502, kind: .data, exit: .unavailable),
        Case(errorType: "GeneralException", http: 500, kind: .general, exit: .unavailable),
        Case(errorType: "PermissionException", http: 403, kind: .unknown("PermissionException"), exit: .failure),
    ]

    static func envelope(_ type: String, _ message: String) -> Data {
        Data(#"{"status": "error", "message": "\#(message)", "error_type": "\#(type)", "data": null}"#.utf8)
    }

    @Test(arguments: cases)
    func errorEnvelope(_ c: Case) throws {
        let error = try #require(throws: KiteError.self) {
            try KiteResponse.decode(Self.envelope(c.errorType, "Something went wrong."), as: [KiteOrder].self, httpStatus: c.http)
        }
        #expect(error.kind == c.kind && error.httpStatus == c.http && error.message == "Something went wrong.")
        #expect(error.kind.description == c.errorType)
        #expect(error.exitStatus == c.exit)
        #expect(error.description == "Kite \(c.errorType) (HTTP \(c.http)): Something went wrong.")
        #expect(error.isOutcomeUnknownOnPlacement == (c.http >= 500))
    }

    @Test func placementOutcomeUnknown() throws {
        let timedOut = try #require(throws: KiteError.self) {
            try KiteResponse.decode(
                Self.envelope("InputException", "Order request timed out. Please check the order book and confirm before placing again."),
                as: KiteOrderReference.self, httpStatus: 400)
        }
        #expect(timedOut.isOutcomeUnknownOnPlacement && timedOut.exitStatus == .unavailable)
        for status in [502, 503, 504] {
            #expect(KiteError(kind: .unknown("HTTP \(status)"), httpStatus: status, message: "").isOutcomeUnknownOnPlacement)
        }
        #expect(!KiteError(kind: .input, httpStatus: 400, message: "Invalid `price`.").isOutcomeUnknownOnPlacement)
        #expect(!KiteError(kind: .margin, httpStatus: 400, message: "Insufficient funds.").isOutcomeUnknownOnPlacement)
        #expect(!KiteError(kind: .unknown("HTTP 429"), httpStatus: 429, message: "Too many requests").isOutcomeUnknownOnPlacement)
    }

    @Test func nonEnvelopeAnswers() throws {
        let gateway = try #require(throws: KiteError.self) {
            try KiteResponse.decode(Data("<html>502 Bad Gateway</html>".utf8), as: Bool.self, httpStatus: 502)
        }
        #expect(gateway.kind == .unknown("HTTP 502") && gateway.isOutcomeUnknownOnPlacement)
        #expect(!gateway.description.contains("html"))
        // A success envelope with a non-2xx status is not trusted.
        let odd = try #require(throws: KiteError.self) {
            try KiteResponse.decode(Data(#"{"status": "success", "data": true}"#.utf8), as: Bool.self, httpStatus: 504)
        }
        #expect(odd.httpStatus == 504 && odd.exitStatus == .unavailable)
        // Success data of the wrong shape is a decoding error, not a KiteError.
        #expect(throws: DecodingError.self) {
            try KiteResponse.decode(Data(#"{"status": "success", "data": {"order_id": 5}}"#.utf8), as: KiteOrderReference.self, httpStatus: 200)
        }
        #expect(try KiteResponse.decode(Data(#"{"status": "success", "data": null}"#.utf8), as: KiteNothing?.self, httpStatus: 200) == nil)
    }
}
