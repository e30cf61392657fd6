import Foundation
import Hummingbird
import Logging
import Synchronization

/// A local SMTP server for the alert tests: speaks enough of RFC 5321 for libcurl (EHLO with
/// AUTH PLAIN and LOGIN, MAIL, RCPT, DATA, QUIT; no TLS: `smtp_security: none`) and keeps every
/// message it was given, with the envelope and the credentials used. Its own thread.
final class SMTPStub: Sendable {
    struct Received: Sendable {
        var from: String
        var recipients: [String]
        /// The message as it arrived, dot-stuffing undone.
        var data: String
        var authenticated: String?
    }

    let port: Int
    private let received = Mutex<[Received]>([])
    private let listener: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                Thread.detachNewThread { self.serve(client) }
            }
        }
    }

    var messages: [Received] { received.withLock { $0 } }

    func stop() { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer: [UInt8] = []
        func send(_ line: String) { _ = Array((line + "\r\n").utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
        func readLine() -> String? {
            while true {
                if let end = buffer.firstIndex(of: 10) {
                    let line = String(decoding: buffer[..<end], as: UTF8.self).trimmingCharacters(in: ["\r"])
                    buffer.removeSubrange(...end)
                    return line
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { return nil }
                buffer.append(contentsOf: chunk[..<n])
            }
        }
        send("220 smtp-stub ESMTP")
        var current = Received(from: "", recipients: [], data: "", authenticated: nil)
        var user: String?
        while let line = readLine() {
            let upper = line.uppercased()
            if upper.hasPrefix("EHLO") || upper.hasPrefix("HELO") {
                send("250-smtp-stub")
                send("250-AUTH PLAIN LOGIN")
                send("250 8BITMIME")
            } else if upper.hasPrefix("AUTH PLAIN") {
                let parts = line.split(separator: " ")
                var encoded = parts.count > 2 ? String(parts[2]) : ""
                if parts.count <= 2 {
                    send("334 ")
                    encoded = readLine() ?? ""
                }
                let plain = Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } ?? ""
                current.authenticated = plain.split(separator: "\0", omittingEmptySubsequences: false).dropFirst().joined(separator: ":")
                send("235 2.7.0 authenticated")
            } else if upper.hasPrefix("AUTH LOGIN") {
                send("334 VXNlcm5hbWU6")
                user = readLine().flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
                send("334 UGFzc3dvcmQ6")
                let password = readLine().flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
                current.authenticated = "\(user ?? ""):\(password ?? "")"
                send("235 2.7.0 authenticated")
            } else if upper.hasPrefix("MAIL FROM:") {
                current.from = String(line.dropFirst(10)).trimmingCharacters(in: [" ", "<", ">"])
                send("250 ok")
            } else if upper.hasPrefix("RCPT TO:") {
                current.recipients.append(String(line.dropFirst(8)).trimmingCharacters(in: [" ", "<", ">"]))
                send("250 ok")
            } else if upper == "DATA" {
                send("354 end with <CRLF>.<CRLF>")
                var lines: [String] = []
                while let data = readLine(), data != "." { lines.append(data.hasPrefix("..") ? String(data.dropFirst()) : data) }
                current.data = lines.joined(separator: "\n")
                let done = current
                received.withLock { $0.append(done) }
                current = Received(from: "", recipients: [], data: "", authenticated: current.authenticated)
                send("250 queued")
            } else if upper == "QUIT" {
                send("221 bye")
                return
            } else if upper == "RSET" || upper == "NOOP" {
                send("250 ok")
            } else {
                send("502 not implemented")
            }
        }
    }
}

/// A local server standing in for Telegram's Bot API (`POST /bot<token>/sendMessage`): keeps each
/// message's form, answers as Telegram does, or fails every request with a 502 when told to.
final class TelegramStub: Sendable {
    struct Sent: Sendable {
        var token: String
        var form: [String: String]
    }

    /// What the routes share with the test.
    final class State: Sendable {
        let sent = Mutex<[Sent]>([])
        let failing = Mutex(false)
    }

    let port: Int
    let state = State()
    private let task: Mutex<Task<Void, Error>?> = Mutex(nil)

    init() async throws {
        let router = Router()
        let state = self.state
        router.post("/:bot/sendMessage") { request, context -> Response in
            let bot = context.parameters.get("bot") ?? ""
            guard !state.failing.withLock({ $0 }) else {
                return Response(status: .badGateway, body: .init(byteBuffer: ByteBuffer(string: "bad gateway")))
            }
            let body = try await request.body.collect(upTo: 1 << 20)
            let text = String(buffer: body)
            var form: [String: String] = [:]
            for pair in text.split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
                if kv.count == 2 { form[kv[0]] = kv[1] }
            }
            state.sent.withLock { $0.append(Sent(token: String(bot.dropFirst(3)), form: form)) }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true,"result":{"message_id":1}}"#)))
        }
        let (port, running) = try await LocalHTTPServer.start(router, label: "telegram-stub")
        self.port = port
        task.withLock { $0 = running }
    }

    var messages: [Sent] { state.sent.withLock { $0 } }

    func fail(_ failing: Bool) { state.failing.withLock { $0 = failing } }

    func stop() { task.withLock { $0?.cancel() } }
}
