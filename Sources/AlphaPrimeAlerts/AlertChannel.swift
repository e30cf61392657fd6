import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeHTTP
import Foundation

/// One way of telling the trader: e-mail or Telegram. `send` returns once the service took the
/// alert, or throws; it runs on the sender's own thread, never the engine's.
public protocol AlertChannel: AnyObject {
    /// `email`, `telegram`, for logs and `alert test`.
    var name: String { get }
    func send(_ alert: Alert) throws
}

/// What an alert looks like as text: the subject line and the body.
enum AlertText {
    static func subject(_ alert: Alert) -> String {
        "ALPHA-PRIME \(alert.severity.rawValue.uppercased()): \(alert.title)"
    }

    static func body(_ alert: Alert) -> String {
        "\(alert.message)\n\n\(alert.kind.rawValue) · \(IST.dateTime(epochSeconds: alert.raisedAt))"
    }
}

/// E-mail through an SMTP server (libcurl).
public final class EmailChannel: AlertChannel {
    public let name = "email"
    let server: SMTPServer
    let from: String
    let to: [String]
    let client: SMTPClient

    public init(server: SMTPServer, from: String, to: [String]) throws {
        self.server = server
        self.from = from
        self.to = to
        client = try SMTPClient()
    }

    public func send(_ alert: Alert) throws {
        let id = "\(alert.raisedAt).\(alert.key).\(UInt32.random(in: 0...UInt32.max))@alpha-prime"
        let message = MailMessage(from: from, to: to, subject: AlertText.subject(alert), body: AlertText.body(alert),
                                  date: Date(timeIntervalSince1970: TimeInterval(alert.raisedAt)), messageID: id)
        try client.send(message, via: server)
    }
}

/// Why Telegram did not take a message. Never carries the bot token.
public struct TelegramError: Error, CustomStringConvertible, ExitStatusProviding {
    public var detail: String
    public var description: String { "Telegram did not take the message: \(detail)" }
    public var exitStatus: ExitStatus { .unavailable }
}

/// A Telegram message through the Bot API's `sendMessage` (HTTPS, libcurl).
public final class TelegramChannel: AlertChannel {
    public let name = "telegram"
    let apiURL: String
    let token: String
    let chatID: String
    let client: HTTPClient

    public init(apiURL: String, token: String, chatID: String) throws {
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.token = token
        self.chatID = chatID
        client = try HTTPClient()
    }

    public func send(_ alert: Alert) throws {
        let text = "\(AlertText.subject(alert))\n\n\(AlertText.body(alert))"
        let body = FormEncoding.encode([("chat_id", chatID), ("text", text), ("disable_web_page_preview", "true")])
        let response: HTTPResponse
        do {
            response = try client.perform(HTTPRequest(
                method: .post, url: "\(apiURL)/bot\(token)/sendMessage",
                headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")], body: Data(body.utf8), timeout: 15))
        } catch {
            throw TelegramError(detail: "\(error)".replacingOccurrences(of: token, with: "[REDACTED]"))
        }
        struct Answer: Decodable {
            var ok: Bool
            var description: String?
        }
        let answer = try? JSONDecoder().decode(Answer.self, from: response.body)
        guard response.status == 200, answer?.ok == true else {
            let why = answer?.description ?? String(decoding: response.body.prefix(200), as: UTF8.self)
            throw TelegramError(detail: "HTTP \(response.status): \(why.replacingOccurrences(of: token, with: "[REDACTED]"))")
        }
    }
}
