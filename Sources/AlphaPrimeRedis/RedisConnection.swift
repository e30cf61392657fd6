import AlphaPrimeSupport
import CHiredis
import Foundation

/// `redis://[[user]:password@]host[:port][/db]` (`rediss://`, TLS, is refused: hiredis is built
/// without it here). The password is never part of a description.
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    public var database: Int

    public init(_ text: String) throws(RedisError) {
        guard text.hasPrefix("redis://") else {
            throw RedisError.badURL(text.hasPrefix("rediss://") ? "rediss:// (TLS) is not supported: use redis:// on this machine or an SSH tunnel"
                                                                  : "expected redis://HOST:PORT[/DB]")
        }
        var rest = Substring(text.dropFirst("redis://".count))
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = credentials[..<colon].isEmpty ? nil : WebRequest.decode(credentials[..<colon])
                password = WebRequest.decode(credentials[credentials.index(after: colon)...])
            } else {
                password = WebRequest.decode(credentials)
            }
        }
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count).dropFirst()
        database = path.isEmpty ? 0 : Int(path) ?? -1
        guard database >= 0 else { throw RedisError.badURL("the database after the / must be a number") }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            port = after.hasPrefix(":") ? Int(after.dropFirst()) ?? -1 : 6379
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            port = Int(authority[authority.index(after: colon)...]) ?? -1
        } else {
            host = String(authority)
            port = 6379
        }
        guard !host.isEmpty else { throw RedisError.badURL("no host") }
        guard (1...65_535).contains(port) else { throw RedisError.badURL("the port must be from 1 to 65535") }
    }

    public var description: String { "redis://\(password == nil ? "" : "***@")\(host):\(port)/\(database)" }
}

/// What went wrong with the live-state cache. Never carries the password.
public enum RedisError: Error, Equatable, Sendable, CustomStringConvertible {
    case badURL(String)
    case cannotConnect(String, String)
    case failed(String, String)
    case refused(String)

    public var description: String {
        switch self {
        case .badURL(let why): "REDIS_URL: \(why)"
        case let .cannotConnect(server, why): "cannot reach Redis at \(server): \(why)"
        case let .failed(server, why): "Redis at \(server) failed: \(why)"
        case .refused(let message): "Redis refused: \(message)"
        }
    }
}

/// A Redis reply.
public enum RedisReply: Equatable, Sendable {
    case status(String)
    case string(String)
    case integer(Int64)
    case null
    case array([RedisReply])
}

/// One connection to Redis through hiredis: the one owner of its `redisContext`, freed in
/// `deinit`. Commands go as argument vectors (`redisCommandArgv`), so no value is ever parsed as
/// part of a command. Not for use from two threads at once.
public final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>
    public let url: RedisURL

    /// Connects (within `timeout` seconds, which also bounds every command), authenticates and
    /// selects the database.
    public init(_ url: RedisURL, timeout: Double = 2) throws(RedisError) {
        self.url = url
        let seconds = Int(timeout)
        let tv = timeval(tv_sec: seconds, tv_usec: Int((timeout - Double(seconds)) * 1_000_000))
        guard let context = redisConnectWithTimeout(url.host, Int32(url.port), tv) else {
            throw RedisError.cannotConnect(url.description, "out of memory")
        }
        if context.pointee.err != 0 {
            let why = Self.message(context)
            redisFree(context)
            throw RedisError.cannotConnect(url.description, why)
        }
        _ = redisSetTimeout(context, tv)
        self.context = context
        if let password = url.password {
            _ = try command(url.user.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if url.database != 0 { _ = try command(["SELECT", String(url.database)]) }
    }

    deinit { redisFree(context) }

    private static func message(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// Sends one command and waits for its reply. A Redis error reply throws ``RedisError/refused(_:)``;
    /// a broken connection ``RedisError/failed(_:_:)`` (the connection cannot be used again).
    @discardableResult
    public func command(_ arguments: [String]) throws(RedisError) -> RedisReply {
        let bytes = arguments.map { Array($0.utf8) }
        let raw: UnsafeMutableRawPointer? = withArgv(bytes) { argv, lengths in
            redisCommandArgv(context, Int32(bytes.count), argv, lengths)
        }
        guard let raw else { throw RedisError.failed(url.description, Self.message(context)) }
        defer { freeReplyObject(raw) }
        return try Self.reply(raw.assumingMemoryBound(to: redisReply.self))
    }

    private func withArgv<T>(_ arguments: [[UInt8]], _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> T) -> T {
        let buffers = arguments.map { bytes -> UnsafeMutablePointer<CChar> in
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, bytes.count))
            bytes.withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { buffer.initialize(from: $0.baseAddress!, count: bytes.count) }
            }
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        var argv: [UnsafePointer<CChar>?] = buffers.map { UnsafePointer($0) }
        let lengths = arguments.map(\.count)
        return argv.withUnsafeMutableBufferPointer { a in lengths.withUnsafeBufferPointer { l in body(a.baseAddress!, l.baseAddress!) } }
    }

    private static func reply(_ r: UnsafeMutablePointer<redisReply>) throws(RedisError) -> RedisReply {
        let reply = r.pointee
        func text() -> String {
            guard let str = reply.str else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: str, count: Int(reply.len)), as: UTF8.self)
        }
        switch reply.type {
        case REDIS_REPLY_STATUS: return .status(text())
        case REDIS_REPLY_STRING: return .string(text())
        case REDIS_REPLY_INTEGER: return .integer(Int64(reply.integer))
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_ERROR: throw RedisError.refused(text())
        case REDIS_REPLY_ARRAY:
            var items: [RedisReply] = []
            for i in 0..<Int(reply.elements) {
                if let element = reply.element[i] { items.append(try Self.reply(element)) }
            }
            return .array(items)
        default: return .null
        }
    }
}
