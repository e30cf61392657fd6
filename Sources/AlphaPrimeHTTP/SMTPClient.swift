import AlphaPrimeSupport
import CCurl
import Foundation

/// A mail server and how to reach it.
public struct SMTPServer: Sendable, Equatable {
    /// How the connection is protected: STARTTLS on a plain connection (port 587, required), TLS
    /// from the first byte (`smtps`, port 465), or nothing (a relay on this machine).
    public enum Security: String, Sendable, Codable, CaseIterable { case starttls, ssl, none }

    public var host: String
    public var port: Int
    public var security: Security
    public var user: String?
    public var password: String?
    /// Seconds for the whole conversation.
    public var timeout: Double

    public init(host: String, port: Int, security: Security, user: String? = nil, password: String? = nil, timeout: Double = 20) {
        self.host = host
        self.port = port
        self.security = security
        self.user = user
        self.password = password
        self.timeout = timeout
    }
}

/// A plain-text mail (RFC 5322), UTF-8.
public struct MailMessage: Sendable, Equatable {
    public var from: String
    public var to: [String]
    public var subject: String
    public var body: String
    public var date: Date
    public var messageID: String

    public init(from: String, to: [String], subject: String, body: String, date: Date = Date(), messageID: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID
    }

    /// The message as sent: headers, a blank line, the body; CRLF line ends. A subject outside
    /// ASCII is encoded (RFC 2047); header values never carry a line break.
    public var text: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let subject = Self.oneLine(self.subject)
        let encodedSubject = subject.allSatisfy(\.isASCII) ? subject : "=?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?="
        let lines = [
            "Date: \(formatter.string(from: date))",
            "From: \(Self.oneLine(from))",
            "To: \(to.map(Self.oneLine).joined(separator: ", "))",
            "Subject: \(encodedSubject)",
            "Message-ID: <\(Self.oneLine(messageID))>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
        ] + body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func oneLine(_ value: String) -> String {
        value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}

/// Why a mail was not handed over. Never carries the password.
public struct MailError: Error, CustomStringConvertible, ExitStatusProviding {
    public var host: String
    public var detail: String
    public var code: Int

    public var description: String { "the mail server \(host) did not take the message: \(detail)" }
    public var exitStatus: ExitStatus { .unavailable }
}

/// Sends mail over SMTP through one libcurl easy handle (its one owner). Synchronous; not shared
/// between threads.
public final class SMTPClient {
    private let handle: UnsafeMutableRawPointer

    public init() throws {
        HTTPClient.globalInit()
        guard let handle = curl_easy_init() else {
            throw MailError(host: "-", detail: "libcurl could not create a handle", code: -1)
        }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    /// Hands `message` to `server` for every recipient; returns when the server accepted it.
    public func send(_ message: MailMessage, via server: SMTPServer) throws {
        curl_easy_reset(handle)
        let scheme = server.security == .ssl ? "smtps" : "smtp"
        let url = "\(scheme)://\(server.host):\(server.port)"
        var recipients: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(recipients) }
        for to in message.to { recipients = curl_slist_append(recipients, "<\(to)>") }
        let source = UploadSource(Array(message.text.utf8))
        let context = Unmanaged.passUnretained(source).toOpaque()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errors in
            var setupError = CURLE_OK
            func set(_ result: CURLcode) { if setupError == CURLE_OK, result != CURLE_OK { setupError = result } }
            set(alpha_curl_setopt_string(handle, CURLOPT_URL, url))
            set(alpha_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errors.baseAddress))
            set(alpha_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
            set(alpha_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, HTTPClient.milliseconds(min(10, server.timeout))))
            set(alpha_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, HTTPClient.milliseconds(server.timeout)))
            set(alpha_curl_setopt_long(handle, CURLOPT_USE_SSL, server.security == .none ? Int(CURLUSESSL_NONE.rawValue)
                                                                                          : Int(CURLUSESSL_ALL.rawValue)))
            set(alpha_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(message.from)>"))
            set(alpha_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients))
            if let user = server.user {
                set(alpha_curl_setopt_string(handle, CURLOPT_USERNAME, user))
                set(alpha_curl_setopt_string(handle, CURLOPT_PASSWORD, server.password ?? ""))
            }
            set(alpha_curl_setopt_long(handle, CURLOPT_UPLOAD, 1))
            set(alpha_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(source.bytes.count)))
            set(alpha_curl_setopt_callback(handle, CURLOPT_READFUNCTION, uploadCallback))
            set(alpha_curl_setopt_pointer(handle, CURLOPT_READDATA, context))
            guard setupError == CURLE_OK else { return setupError }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            let written = errorBuffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
            var detail = written.isEmpty ? String(cString: curl_easy_strerror(code)) : String(decoding: written, as: UTF8.self)
            if let password = server.password, !password.isEmpty { detail = detail.replacingOccurrences(of: password, with: "[REDACTED]") }
            throw MailError(host: server.host, detail: detail, code: Int(code.rawValue))
        }
    }
}

/// The bytes of an upload, handed to libcurl as it asks.
final class UploadSource {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

private func uploadCallback(data: UnsafeMutablePointer<CChar>?, size: Int, count: Int, context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let source = Unmanaged<UploadSource>.fromOpaque(context).takeUnretainedValue()
    let length = min(size * count, source.bytes.count - source.offset)
    guard length > 0 else { return 0 }
    source.bytes.withUnsafeBufferPointer { all in
        data.withMemoryRebound(to: UInt8.self, capacity: length) { target in
            target.update(from: all.baseAddress! + source.offset, count: length)
        }
    }
    source.offset += length
    return length
}
