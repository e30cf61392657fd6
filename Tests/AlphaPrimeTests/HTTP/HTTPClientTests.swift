import AlphaPrimeHTTP
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The libcurl client's failures, against real sockets on the loopback address: a port nobody
/// listens on (nothing sent), and a server that takes the connection and never answers (a timeout,
/// after which the request may have reached it).
@Suite struct HTTPClientTests {
    /// A listening socket on 127.0.0.1 that never accepts: connections complete in the kernel's
    /// backlog and the request waits forever. Returns the descriptor and the port.
    static func silentServer() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        try #require(listen(fd, 16) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    @Test func aPortNobodyListensOnIsCouldNotConnectAndNothingWasSent() throws {
        let (fd, port) = try Self.silentServer()
        close(fd)  // the port is free again: connecting is refused
        let client = try HTTPClient()
        let error = try #require(throws: HTTPError.self) {
            try client.perform(HTTPRequest(method: .post, url: "http://127.0.0.1:\(port)/orders/regular?access_token=SECRETTOKEN",
                                           body: Data("tag=A1".utf8), connectTimeout: 2, timeout: 2))
        }
        #expect(error.kind == .couldNotConnect)
        #expect(!error.mayHaveReachedServer)
        #expect(error.exitStatus == .unavailable)
        #expect(!error.description.contains("SECRETTOKEN"), "no URL in the message: \(error)")
        #expect(error.description.contains("127.0.0.1"))
    }

    @Test func aServerThatNeverAnswersTimesOutAndMayHaveActed() throws {
        let (fd, port) = try Self.silentServer()
        defer { close(fd) }
        let client = try HTTPClient()
        let started = Date()
        let error = try #require(throws: HTTPError.self) {
            try client.perform(HTTPRequest(method: .post, url: "http://127.0.0.1:\(port)/orders/regular", body: Data("tag=A1".utf8),
                                           connectTimeout: 1, timeout: 0.3))
        }
        #expect(error.kind == .timedOut)
        #expect(error.mayHaveReachedServer)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func aMalformedURLIsRefusedBeforeSending() throws {
        let client = try HTTPClient()
        let error = try #require(throws: HTTPError.self) {
            try client.perform(HTTPRequest(method: .get, url: "nope://"))
        }
        #expect(!error.mayHaveReachedServer)
    }

    @Test func formEncodingEscapesEverythingButTheUnreserved() {
        #expect(FormEncoding.encode([("tradingsymbol", "NIFTY 50"), ("price", "1234.55"), ("x", "a&b=c+d/é")])
            == "tradingsymbol=NIFTY%2050&price=1234.55&x=a%26b%3Dc%2Bd%2F%C3%A9")
    }
}
