import AlphaPrimeDomain
import AlphaPrimeKite
import AlphaPrimeSupport
import Foundation
import Testing

/// kite-sim's login, sessions and the token check every authenticated call goes through.
@Suite struct KiteSimSessionTests {
    static let tokenMessage = "Incorrect `api_key` or `access_token`."

    /// The request token of a login redirect.
    static func requestToken(_ sim: KiteSimProcess) async throws -> String {
        let login = try await sim.call("GET", "/connect/login", [("api_key", KiteSimProcess.apiKey), ("v", "3")], headers: [:])
        #expect(login.status == 302)
        let location = try #require(login.headers["location"])
        #expect(location.hasPrefix("http://127.0.0.1/after-login?request_token="))
        #expect(location.hasSuffix("&action=login&status=success"))
        let components = try #require(URLComponents(string: location))
        return try #require(components.queryItems?.first { $0.name == "request_token" }?.value)
    }

    static func exchange(_ sim: KiteSimProcess, _ requestToken: String, secret: String = KiteSimProcess.apiSecret) async throws -> KiteSimProcess.Answer {
        let checksum = SHA256.hex(of: KiteSimProcess.apiKey + requestToken + secret)
        return try await sim.call("POST", "/session/token", [("api_key", KiteSimProcess.apiKey), ("request_token", requestToken),
                                                             ("checksum", checksum)], headers: ["X-Kite-Version": "3"])
    }

    @Test func aLoginGivesARequestTokenThatBecomesOneSession() async throws {
        let sim = try KiteSimProcess(preloadToken: false)
        let requestToken = try await Self.requestToken(sim)
        let session = try await Self.exchange(sim, requestToken).decode(KiteSession.self)
        #expect(session.apiKey == KiteSimProcess.apiKey && session.userID == "KS0001")
        #expect(session.accessToken.count == 32 && session.accessToken != requestToken)

        let profile = try await sim.call("GET", "/user/profile", headers: KiteSimProcess.auth(session.accessToken)).decode(KiteProfile.self)
        #expect(profile.userID == session.userID && profile.orderTypes == ["MARKET", "LIMIT", "SL", "SL-M"])

        // A request token is good once.
        let again = try await Self.exchange(sim, requestToken).kiteError()
        #expect(again.kind == .token && again.httpStatus == 403)

        // Logging out ends the session.
        #expect(try await sim.call("DELETE", "/session/token", [("api_key", KiteSimProcess.apiKey), ("access_token", session.accessToken)],
                                   headers: KiteSimProcess.auth(session.accessToken)).decode(Bool.self))
        let after = try await sim.call("GET", "/user/profile", headers: KiteSimProcess.auth(session.accessToken)).kiteError()
        #expect(after.kind == .token && after.message == Self.tokenMessage)
    }

    @Test func aWrongChecksumIsRefused() async throws {
        let sim = try KiteSimProcess(preloadToken: false)
        let requestToken = try await Self.requestToken(sim)
        let wrong = try await Self.exchange(sim, requestToken, secret: "not-the-secret").kiteError()
        #expect(wrong.kind == .token && wrong.httpStatus == 403)
        #expect(!wrong.message.contains(KiteSimProcess.apiSecret) && !wrong.message.contains(requestToken))
        let unknown = try await Self.exchange(sim, "neverissued").kiteError()
        #expect(unknown.kind == .token)
        let badKey = try await sim.call("GET", "/connect/login", [("api_key", "other"), ("v", "3")], headers: [:]).kiteError()
        #expect(badKey.kind == .input)
        // The secret, tokens and checksums never reach the log.
        let result = sim.stop()
        #expect(result.status == 0)
        #expect(!result.stderr.contains(KiteSimProcess.apiSecret) && !result.stderr.contains(requestToken))
    }

    @Test func everyKiteCallNeedsTheVersionHeaderAndALiveToken() async throws {
        let sim = try KiteSimProcess()
        let missing: [[String: String]] = [
            [:],
            ["X-Kite-Version": "3"],
            ["Authorization": "token \(KiteSimProcess.apiKey):\(KiteSimProcess.accessToken)"],
            ["X-Kite-Version": "3", "Authorization": "token \(KiteSimProcess.apiKey):wrong"],
            ["X-Kite-Version": "3", "Authorization": "token otherkey:\(KiteSimProcess.accessToken)"],
        ]
        for path in ["/user/profile", "/orders", "/portfolio/positions", "/user/margins", "/quote/ltp?i=NSE:NIFTY"] {
            for headers in missing {
                let answer = try await sim.call("GET", path, headers: headers)
                #expect(answer.status == 403, "\(path) \(headers)")
                #expect(answer.text == #"{"status":"error","message":"Incorrect `api_key` or `access_token`.","data":null,"error_type":"TokenException"}"#)
            }
            #expect(try await sim.call("GET", path).status == 200, "\(path)")
        }
    }

    @Test func sessionsExpireAtTheGivenInstant() async throws {
        let expiry = IST.epochSeconds(Date()) + 2
        let sim = try KiteSimProcess(["--token-expires-at", Self.isoUTC(expiry)])
        #expect(try await sim.call("GET", "/user/profile").status == 200)
        while IST.epochSeconds(Date()) < expiry { try await Task.sleep(for: .milliseconds(100)) }
        let expired = try await sim.call("GET", "/user/profile").kiteError()
        #expect(expired.kind == .token && expired.httpStatus == 403)
        #expect(try await sim.stats()["faults.token-expired"] == 1)

        // Set at run time too: never, then a moment already past.
        _ = try await sim.call("POST", "/sim/faults", [("token-expires-at", "never")], headers: [:])
        #expect(try await sim.call("GET", "/orders").status == 200)
        _ = try await sim.call("POST", "/sim/faults", [("token_expires_at", "+0")], headers: [:])
        #expect(try await sim.call("GET", "/orders").status == 403)
    }

    static func isoUTC(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
