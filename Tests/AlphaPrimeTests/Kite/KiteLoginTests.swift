import AlphaPrimeSupport
import AlphaPrimeDomain
@testable import AlphaPrimeKite
@testable import AlphaPrimeCommands
import Foundation
import Testing

/// The stored daily login: its expiry is the next 06:00 IST, the file is private, and the token
/// never shows in its description.
@Suite struct KiteLoginTests {
    static func utc(_ text: String) -> UTCTimestamp { UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(iso8601: text)!) }

    @Test(arguments: [
        ("2026-12-02T08:30:00+05:30", "2026-12-03T06:00:00+05:30"),
        ("2026-12-02T05:00:00+05:30", "2026-12-02T06:00:00+05:30"),
        ("2026-12-02T06:00:00+05:30", "2026-12-03T06:00:00+05:30"),
        ("2026-12-31T23:59:00+05:30", "2027-01-01T06:00:00+05:30"),
    ])
    func aTokenExpiresAtTheNextSixOClockIST(login: String, expiry: String) {
        #expect(KiteStoredSession.expiry(after: Self.utc(login)) == Self.utc(expiry))
    }

    @Test func theSessionFileIsPrivateAndTheTokenIsNeverPrinted() throws {
        let root = FileManager.default.temporaryDirectory.appending(path: "kite-login-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let home = AlphaPrimeHome(root: root)
        let session = KiteStoredSession(userID: "AB1234", accessToken: "tok3nV4LUEs3cr3t", loginAt: Self.utc("2026-12-02T08:30:00+05:30"))
        try KiteSessionFile.save(session, home: home)
        let attributes = try FileManager.default.attributesOfItem(atPath: KiteSessionFile.url(home: home).path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try KiteSessionFile.load(home: home) == session)
        #expect(!session.description.contains("tok3nV4LUEs3cr3t"))
        #expect(try KiteSessionFile.accessToken(home: home, configured: "", at: Self.utc("2026-12-03T05:59:00+05:30")) == "tok3nV4LUEs3cr3t")
        #expect(try KiteSessionFile.accessToken(home: home, configured: "", at: Self.utc("2026-12-03T06:00:00+05:30")) == nil)
        #expect(try KiteSessionFile.accessToken(home: home, configured: "fromenv", at: Self.utc("2026-12-03T07:00:00+05:30")) == "fromenv")
    }

    @Test func aRequestTokenIsTakenAloneOrFromTheRedirectURL() {
        #expect(BrokerCommand.requestToken(from: "  abc123XYZ\n") == "abc123XYZ")
        #expect(BrokerCommand.requestToken(from: "https://example.com/cb?action=login&request_token=Rt0k&status=success") == "Rt0k")
        #expect(BrokerCommand.requestToken(from: "not a token!") == nil)
        #expect(BrokerCommand.requestToken(from: "https://example.com/cb?status=success") == nil)
    }
}
