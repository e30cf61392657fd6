import Logging
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

@Suite struct SecretRedactorTests {
    let apiKey = "kitekey8a7s6d5f"
    let accessToken = "Xq7TtEoKj3ZbV9mNwP2aR4sD6fG8hJ0L"
    let redactor = SecretRedactor(secrets: ["kitekey8a7s6d5f", "Xq7TtEoKj3ZbV9mNwP2aR4sD6fG8hJ0L", " hunter2pass \n", "ab", ""])

    @Test func replacesKnownValuesAnywhere() {
        #expect(redactor.count == 3)
        #expect(redactor.ignoredShortSecretCount == 1)
        #expect(redactor.redact("login with hunter2pass failed") == "login with [REDACTED] failed")
        #expect(redactor.redact("k=\(apiKey)|t=\(accessToken)") == "k=[REDACTED]|t=[REDACTED]")
        // Short values are not searched for: "ab" stays in ordinary words.
        #expect(redactor.redact("cabbage") == "cabbage")
        #expect(redactor.description == "SecretRedactor(3 secrets)")
        #expect(!String(reflecting: redactor).contains("hunter2pass"))
    }

    @Test func longerSecretsGoFirst() {
        let r = SecretRedactor(secrets: ["abcd", "abcdefgh"])
        #expect(r.redact("x abcdefgh y abcd") == "x [REDACTED] y [REDACTED]")
    }

    @Test func kiteAuthorizationHeaderIsScrubbed() {
        #expect(redactor.redact("Authorization: token \(apiKey):\(accessToken)") == "Authorization: token [REDACTED]")
        // A token nobody configured: the pattern catches it.
        let fresh = SecretRedactor()
        #expect(fresh.redact("GET /orders Authorization: token abc123:def456ghi") == "GET /orders Authorization: token [REDACTED]")
        #expect(fresh.redact("authorization=Bearer%20zzz") == "authorization=[REDACTED]")
        #expect(fresh.redact(#"headers: {"Authorization": "token k:t", "X-Kite-Version": "3"}"#)
            == #"headers: {"Authorization": "[REDACTED]", "X-Kite-Version": "3"}"#)
        #expect(fresh.redact("X-Api-Key: s3cr3tvalue") == "X-Api-Key: [REDACTED]")
    }

    @Test func nameValuePatternsInFreeText() {
        let r = SecretRedactor()
        #expect(r.redact("https://kite.zerodha.com/connect/login?v=3&api_key=abcd1234&request_token=rt999")
            == "https://kite.zerodha.com/connect/login?v=3&api_key=[REDACTED]&request_token=[REDACTED]")
        #expect(r.redact(#"{"status":"success","data":{"access_token":"tok123","user_id":"AB1234"}}"#)
            == #"{"status":"success","data":{"access_token":"[REDACTED]","user_id":"AB1234"}}"#)
        #expect(r.redact("smtp password=\"my pass phrase\" host=smtp.x") == "smtp password=\"[REDACTED]\" host=smtp.x")
        #expect(r.redact("TELEGRAM_BOT_TOKEN=12345:ABCdef") == "TELEGRAM_BOT_TOKEN=[REDACTED]")
        #expect(r.redact("{'api_secret': 'shh'}") == "{'api_secret': '[REDACTED]'}")
    }

    @Test func publicIdentifiersAndConfigMessagesStayReadable() {
        let r = SecretRedactor()
        #expect(r.redact("tick instrument_token=256265 ltp=24500.05") == "tick instrument_token=256265 ltp=24500.05")
        #expect(r.redact("unknown key: risk.max_loss") == "unknown key: risk.max_loss")
        #expect(r.redact("broker_config.yaml:4: broker.api_key: expected a string")
            == "broker_config.yaml:4: broker.api_key: expected a string")
        #expect(r.redact("token expired, log in again") == "token expired, log in again")
        #expect(r.redact("ratio=1:2 time 09:15") == "ratio=1:2 time 09:15")
    }

    @Test(arguments: [
        ("api_key", true), ("broker.apiKey", true), ("X-Api-Key", true), ("key", true), ("private_key", true),
        ("api_secret", true), ("access_token", true), ("accessToken", true), ("kiteaccesstoken", true),
        ("smtp.password", true), ("SMTP_PASSWORD", true), ("Authorization", true), ("auth", true),
        ("telegram.bot_token", true), ("credentials", true), ("totp", true), ("pin", true),
        ("order.id", false), ("instrument_token", false), ("instrumentToken", false), ("exchange_token", false),
        ("key_path", false), ("keyboard", false), ("risk.rule", false), ("symbol", false), ("tokenizer_mode", true),
    ])
    func sensitiveKeyNames(key: String, sensitive: Bool) {
        #expect(SecretRedactor.isSensitiveKey(key) == sensitive, "\(key)")
    }

    @Test func metadataByNameAndByValueNestedToo() {
        let metadata: Logger.Metadata = [
            "order.id": "AP-1",
            "api_key": "whatever",
            "broker": ["name": "kite", "credentials": ["user": "AB1234", "pin": "123456"], "note": "used \(apiKey)"],
            "headers": ["Authorization: token \(apiKey):\(accessToken)", "Accept: json"],
            "qty": .stringConvertible(50),
        ]
        let out = redactor.redact(metadata)
        #expect(out["order.id"] == "AP-1")
        #expect(out["api_key"] == "[REDACTED]")
        #expect(out["broker"] == ["name": "kite", "credentials": "[REDACTED]", "note": "used [REDACTED]"])
        #expect(out["headers"] == ["Authorization: token [REDACTED]", "Accept: json"])
        #expect(out["qty"] == .stringConvertible(50))
    }

    @Test func numbersSpellingASecretAreHidden() {
        let r = SecretRedactor(secrets: ["918273"])
        #expect(r.redact(.stringConvertible(918_273), key: "value") == .string("[REDACTED]"))
        #expect(r.redact(.stringConvertible(50), key: "qty") == .stringConvertible(50))
    }

    @Test func registryAddsSecretsAtRunTime() {
        let registry = SecretRegistry(secrets: [apiKey])
        #expect(registry.redactor.redact("new tok9988776655") == "new tok9988776655")
        registry.add("tok9988776655")
        #expect(registry.redactor.redact("new tok9988776655") == "new [REDACTED]")
        #expect(registry.description == "SecretRegistry(2 secrets)")
    }
}
