import Foundation

/// Decodes Kite Connect v3 responses.
///
/// Every REST answer is an envelope: `{"status": "success", "data": …}` on success, or
/// `{"status": "error", "message": …, "error_type": …, "data": null}` on failure. `decode` returns the
/// `data` member as the requested type, or throws the `KiteError` the envelope describes.
public enum KiteResponse {
    /// Returns the envelope's `data` decoded as `type`.
    ///
    /// - Throws: `KiteError` when the envelope says `"status": "error"` (its `error_type`, message and
    ///   `httpStatus`), or when the HTTP status is not 2xx and the body is not a Kite envelope
    ///   (kind `.unknown("HTTP <status>")`); `DecodingError` when a success envelope's `data` does not
    ///   match `type`.
    ///
    /// A missing `status` with a `data` member is taken as success (the `mf_sips.json` mock has no
    /// `status`). For `"data": null` or `"data": true` ask for `KiteNothing?` / `Bool`.
    public static func decode<T: Decodable>(_ data: Data, as type: T.Type, httpStatus: Int) throws -> T {
        let head: Head
        do {
            head = try JSONDecoder().decode(Head.self, from: data)
        } catch {
            guard (200...299).contains(httpStatus) else {
                throw KiteError(kind: .unknown("HTTP \(httpStatus)"), httpStatus: httpStatus,
                                message: "the response is not a Kite envelope (\(data.count) bytes)")
            }
            throw error
        }
        if head.status == "error" || !(200...299).contains(httpStatus) {
            throw KiteError(
                kind: head.errorType.map(KiteError.Kind.init(errorType:)) ?? .unknown("HTTP \(httpStatus)"),
                httpStatus: httpStatus,
                message: head.message ?? "Kite answered HTTP \(httpStatus) with status \(head.status ?? "missing")")
        }
        return try JSONDecoder().decode(Body<T>.self, from: data).data
    }

    /// The envelope without its data.
    struct Head: Decodable {
        var status: String?
        var message: String?
        var errorType: String?
        enum CodingKeys: String, CodingKey {
            case status, message
            case errorType = "error_type"
        }
    }

    struct Body<T: Decodable>: Decodable {
        var data: T
    }
}

/// A value for a `"data": null` success answer (deleting an alert): decode `KiteNothing?`.
public struct KiteNothing: Decodable, Sendable, Equatable {
    public init() {}
    public init(from decoder: Decoder) throws {}
}
