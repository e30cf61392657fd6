import AlphaPrimeDomain
import AlphaPrimeKite
import Foundation
import Testing

/// The Kite Connect mocks in `Fixtures/kiteconnect-mocks/` (zerodha/kiteconnect-mocks, see the
/// fixtures README).
enum KiteMocks {
    static var folder: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appending(path: "kiteconnect-mocks")
    }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: folder.appending(path: name)) }

    static func text(_ name: String) throws -> String { try String(contentsOf: folder.appending(path: name), encoding: .utf8) }

    /// The envelope's data of a mock, as `type`.
    static func decode<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        try KiteResponse.decode(data(name), as: type, httpStatus: 200)
    }

    /// A bare JSON document (the postback, the ticker renderings: no envelope).
    static func decodeBare<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: data(name))
    }

    /// Files deliberately not modelled, with why.
    static let skipped: [String: String] = [:]

    /// The instant of an IST wall-clock time, for expectations.
    static func ist(_ text: String) -> UTCTimestamp {
        UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(iso8601: text)!)
    }
}
