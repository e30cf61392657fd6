@testable import AlphaPrimeCommands
import AlphaPrimeSupport
import Foundation
import Testing

/// The dashboard's access rules, without a server: host names, origins, CSRF tokens, the token.
@Suite struct DashboardGuardTests {
    static func request(_ method: String = "GET", headers: [String: String]) -> WebRequest {
        WebRequest(method: method, path: "/", headers: headers)
    }

    @Test func onlyItsOwnHostNamesAreAnswered() {
        let guardian = DashboardGuard(token: "t", host: "127.0.0.1", port: 0, loopback: true)
        guardian.listening(on: 8050)
        for host in ["127.0.0.1:8050", "localhost:8050", "LOCALHOST:8050", "[::1]:8050"] {
            #expect(throws: Never.self) { try guardian.checkHost(Self.request(headers: ["Host": host])) }
        }
        for host in ["evil.example:8050", "127.0.0.1:8051", "127.0.0.1", ""] {
            #expect(throws: DashboardGuard.Refusal.badHost(host)) { try guardian.checkHost(Self.request(headers: ["Host": host])) }
        }
    }

    @Test func aFormMustComeFromItsOwnPages() {
        let guardian = DashboardGuard(token: "t", host: "127.0.0.1", port: 8050, loopback: true)
        #expect(throws: Never.self) { try guardian.checkOrigin(Self.request("POST", headers: ["Origin": "http://127.0.0.1:8050"])) }
        #expect(throws: Never.self) { try guardian.checkOrigin(Self.request("POST", headers: ["Referer": "http://localhost:8050/control/x"])) }
        #expect(throws: DashboardGuard.Refusal.self) { try guardian.checkOrigin(Self.request("POST", headers: ["Origin": "http://127.0.0.1:8050.evil.example"])) }
        #expect(throws: DashboardGuard.Refusal.self) { try guardian.checkOrigin(Self.request("POST", headers: ["Origin": "https://127.0.0.1:8050"])) }
        #expect(throws: DashboardGuard.Refusal.self) { try guardian.checkOrigin(Self.request("POST", headers: ["Origin": "null"])) }
        #expect(throws: DashboardGuard.Refusal.badOrigin("none")) { try guardian.checkOrigin(Self.request("POST", headers: [:])) }
    }

    @Test func aCSRFTokenIsForOneControlAndExpires() {
        let guardian = DashboardGuard(token: "t", host: "127.0.0.1", port: 8050, loopback: true)
        let token = guardian.csrfToken(for: "emergency-stop", now: 1_000)
        #expect(throws: Never.self) { try guardian.checkCSRF(token, for: "emergency-stop", now: 1_000 + 60) }
        #expect(throws: DashboardGuard.Refusal.badCSRF) { try guardian.checkCSRF(token, for: "stop-entries", now: 1_060) }
        #expect(throws: DashboardGuard.Refusal.badCSRF) { try guardian.checkCSRF(token, for: "emergency-stop", now: 1_000 + DashboardGuard.csrfLifetime + 1) }
        #expect(throws: DashboardGuard.Refusal.badCSRF) { try guardian.checkCSRF(token, for: "emergency-stop", now: 999) }
        #expect(throws: DashboardGuard.Refusal.badCSRF) { try guardian.checkCSRF("2000." + token.split(separator: ".")[1], for: "emergency-stop", now: 2_000) }
        #expect(throws: DashboardGuard.Refusal.missingCSRF) { try guardian.checkCSRF(nil, for: "emergency-stop", now: 1_000) }
        let other = DashboardGuard(token: "t", host: "127.0.0.1", port: 8050, loopback: true)
        #expect(throws: DashboardGuard.Refusal.badCSRF, "another run of the dashboard has another key") {
            try other.checkCSRF(token, for: "emergency-stop", now: 1_060)
        }
    }

    @Test func theTokenIsComparedWhole() {
        let guardian = DashboardGuard(token: "secret-token", host: "127.0.0.1", port: 8050, loopback: true)
        #expect(throws: Never.self) { try guardian.checkToken("secret-token") }
        for wrong in ["secret-toke", "secret-tokenx", "SECRET-TOKEN", "x"] {
            #expect(throws: DashboardGuard.Refusal.wrongToken) { try guardian.checkToken(wrong) }
        }
        #expect(throws: DashboardGuard.Refusal.missingToken) { try guardian.checkToken("") }
        let readOnly = DashboardGuard(token: nil, host: "127.0.0.1", port: 8050, loopback: true)
        #expect(!readOnly.controlsEnabled)
        #expect(throws: DashboardGuard.Refusal.readOnly) { try readOnly.checkToken("anything") }
    }

    @Test func offLoopbackEveryPageNeedsASession() {
        let guardian = DashboardGuard(token: "t", host: "0.0.0.0", port: 8050, loopback: false)
        #expect(throws: DashboardGuard.Refusal.signInNeeded) { try guardian.checkSignedIn(Self.request(headers: [:]), now: 100) }
        let id = guardian.startSession(now: 100)
        let signedIn = Self.request(headers: ["Cookie": "a=b; \(DashboardGuard.sessionCookie)=\(id)"])
        #expect(throws: Never.self) { try guardian.checkSignedIn(signedIn, now: 200) }
        #expect(throws: DashboardGuard.Refusal.signInNeeded) { try guardian.checkSignedIn(signedIn, now: 100 + DashboardGuard.sessionLifetime + 1) }
    }

    @Test func formFieldsArePercentDecoded() {
        let form = WebRequest(method: "post", path: "/control/x", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                              body: Array("by=A+B&reason=caf%C3%A9%21&bad=%ZZ&empty=".utf8)).form
        #expect(form["by"] == "A B" && form["reason"] == "café!" && form["bad"] == nil && form["empty"] == "")
        #expect(WebRequest(method: "POST", path: "/", body: Array("a=1".utf8)).form.isEmpty, "not a form without its content type")
    }
}
