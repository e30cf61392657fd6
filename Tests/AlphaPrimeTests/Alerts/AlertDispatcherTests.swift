import Foundation
import Logging
import Synchronization
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeHTTP
@testable import AlphaPrimeAlerts

/// The alert sender: raising never waits for a channel, the same key goes out once per interval,
/// at most `capacity` alerts wait (the oldest dropped first), a failing channel is retried a
/// bounded number of times and the others still get the alert.
@Suite struct AlertDispatcherTests {
    /// A channel that records what it was given, takes `delay` seconds per send and fails its
    /// first `failures` sends.
    final class Recorder: AlertChannel, @unchecked Sendable {
        let name: String
        let delay: Double
        let failures: Mutex<Int>
        let sent = Mutex<[String]>([])
        let attempts = Mutex(0)

        init(_ name: String, delay: Double = 0, failures: Int = 0) {
            self.name = name
            self.delay = delay
            self.failures = Mutex(failures)
        }

        func send(_ alert: Alert) throws {
            attempts.withLock { $0 += 1 }
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            if failures.withLock({ f in defer { f -= 1 }; return f > 0 }) { throw TelegramError(detail: "HTTP 502") }
            sent.withLock { $0.append(alert.key) }
        }
    }

    static func alert(_ key: String, at time: Int64 = 1_000_000) -> Alert {
        Alert(kind: .circuitBreaker, severity: .warning, title: "breaker \(key)", message: "tripped", key: key, raisedAt: time)
    }

    static var quiet: Logger { Logger(label: "alerts-test") { _ in SwiftLogNoOpLogHandler() } }

    @Test func theSameKeyGoesOutOncePerIntervalAndAnotherKeyAlways() {
        let channel = Recorder("email")
        let dispatcher = AlertDispatcher(channels: [channel], dedupSeconds: 900, ledger: MemoryAlertLedger(), logger: Self.quiet)
        dispatcher.raise(Self.alert("a", at: 1_000))
        dispatcher.raise(Self.alert("a", at: 1_500))   // within 15 minutes: suppressed
        dispatcher.raise(Self.alert("b", at: 1_500))
        dispatcher.raise(Self.alert("a", at: 1_900))   // 900 s after the first: sent again
        #expect(dispatcher.drain(timeout: 10))
        #expect(channel.sent.withLock { $0 } == ["a", "b", "a"])
        dispatcher.stop()
    }

    @Test func raisingNeverWaitsForASlowChannelAndTheQueueIsBounded() {
        let slow = Recorder("telegram", delay: 0.5)
        let dispatcher = AlertDispatcher(channels: [slow], dedupSeconds: 0, ledger: MemoryAlertLedger(), logger: Self.quiet,
                                         capacity: 3, attempts: 1)
        dispatcher.raise(Self.alert("k0"))
        let deadline = ContinuousClock.now + .seconds(5)
        while slow.attempts.withLock({ $0 }) == 0, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.005) }
        let started = ContinuousClock.now
        for i in 1..<10 { dispatcher.raise(Self.alert("k\(i)")) }
        let raising = ContinuousClock.now - started
        #expect(raising < .milliseconds(100), "nine alerts handed over in \(raising) while the channel was busy")
        #expect(dispatcher.drain(timeout: 10))
        let sent = slow.sent.withLock { $0 }
        // The first went out at once; of the nine that waited, the three newest were kept.
        #expect(sent == ["k0", "k7", "k8", "k9"], "\(sent)")
        #expect(dispatcher.droppedCount == 6)
        dispatcher.stop()
    }

    @Test func aFailingChannelIsRetriedABoundedNumberOfTimesAndTheOthersStillSend() {
        let flaky = Recorder("telegram", failures: 1)
        let dead = Recorder("email", failures: 100)
        let dispatcher = AlertDispatcher(channels: [dead, flaky], dedupSeconds: 0, ledger: MemoryAlertLedger(), logger: Self.quiet,
                                         attempts: 3, retryDelay: 0.01)
        dispatcher.raise(Self.alert("x"))
        #expect(dispatcher.drain(timeout: 10))
        #expect(dead.attempts.withLock { $0 } == 3 && dead.sent.withLock { $0 }.isEmpty)
        #expect(flaky.attempts.withLock { $0 } == 2 && flaky.sent.withLock { $0 } == ["x"])
        let results = dispatcher.results
        #expect(results.map(\.channel) == ["email", "telegram"])
        #expect(results[0].failure?.contains("HTTP 502") == true && results[1].failure == nil)
        dispatcher.stop()
    }

    @Test func theFileLedgerIsSharedBetweenRunsAndSurvivesAGarbledFile() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "alert-ledger-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appending(path: "alerts-sent.json")
        FileAlertLedger(url: url).record(key: "backup_failed", at: 42)
        #expect(FileAlertLedger(url: url).lastRaised(key: "backup_failed") == 42)
        try Data("{not json".utf8).write(to: url)
        #expect(FileAlertLedger(url: url).lastRaised(key: "backup_failed") == nil, "started afresh")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["alerts-sent.json"], "no temporary file left")
    }

    @Test func aMailIsPlainTextWithCRLFAndAnEncodedSubjectOutsideASCII() {
        let mail = MailMessage(from: "a@example.com", to: ["t@example.com", "d@example.com"], subject: "loss ₹50,000\r\nBcc: x",
                               body: "line one\nline two", date: Date(timeIntervalSince1970: 1_614_053_280), messageID: "1@alpha-prime")
        let text = mail.text
        #expect(text.contains("Date: Tue, 23 Feb 2021 04:08:00 +0000\r\n"))
        #expect(text.contains("To: t@example.com, d@example.com\r\n"))
        #expect(text.contains("Subject: =?UTF-8?B?"), "no raw line break or non-ASCII in a header")
        #expect(!text.contains("\r\nBcc:"))
        #expect(text.hasSuffix("\r\n\r\nline one\r\nline two\r\n"))
    }
}
