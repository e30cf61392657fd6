import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeRedis
import Foundation
import Testing

/// The live-state cache against a real redis-server: a paced replay mirrors its state there (with
/// an expiry), `engine status` and the dashboard read it, and Redis killed mid-session loses no
/// trade — the day ends equal to the same replay without Redis.
@Suite(.serialized) struct LiveStateCacheTests {
    static let day = "2021-02-23"

    @Test func theConnectionSpeaksRedisAndNeverShowsThePassword() throws {
        guard let redis = try TestRedis.start() else { return }
        let connection = try RedisConnection(try RedisURL(redis.url))
        #expect(try connection.command(["SET", "k", "a value with spaces\r\n", "EX", "30"]) == .status("OK"))
        #expect(try connection.command(["GET", "k"]) == .string("a value with spaces\r\n"))
        if case .integer(let ttl) = try connection.command(["TTL", "k"]) { #expect(ttl > 0 && ttl <= 30) } else { Issue.record("TTL is an integer") }
        #expect(try connection.command(["GET", "missing"]) == .null)
        #expect(throws: RedisError.self) { try connection.command(["NOSUCHCOMMAND"]) }
        let withPassword = "redis://:s3cret-pw@127.0.0.1:\(redis.port)/0"
        do {
            _ = try RedisConnection(try RedisURL(withPassword))
            Issue.record("AUTH without a configured password is refused")
        } catch {
            #expect(!"\(error)".contains("s3cret-pw"), "\(error)")
        }
        redis.kill()
        do {
            _ = try RedisConnection(try RedisURL(redis.url), timeout: 1)
            Issue.record("a dead server cannot be reached")
        } catch {
            #expect("\(error)".contains("cannot reach Redis at redis://127.0.0.1:\(redis.port)/0"), "\(error)")
        }
    }

    @Test func aPacedReplayMirrorsItsStateAndLosesNoTradeWhenRedisDies() throws {
        guard let redis = try TestRedis.start() else { return }
        let reference = try EngineTestHome()
        #expect(try reference.engine(["run", "--mode", "paper", "--replay", Self.day]).status == 0)

        let home = try EngineTestHome()
        try home.home.writeDotEnv("REDIS_URL=\(redis.url)\n")
        let engine = try home.start(["run", "--mode", "paper", "--replay", Self.day, "--speed", "600x"])
        defer { if engine.isRunning { engine.kill() } }
        var live: [String: Any]?
        let mirrored = try BackgroundTool.waitUntil(seconds: 120) {
            let look = try home.engine(["status", "--json"])
            guard look.status == 0 else { return false }
            live = (try EngineToolTests.json(look.stdout)["live"] as? [String: Any])?["paper"] as? [String: Any]
            return (live?["trades"] as? Int ?? 0) > 0
        }
        #expect(mirrored, "engine status reads the mirrored state")
        #expect(live?["session_date"] as? String == Self.day && live?["pid"] as? Int == Int(engine.pid))
        #expect(abs(Int(Date().timeIntervalSince1970) - (live?["heartbeat_at"] as? Int ?? 0)) < 30)
        let key = try RedisConnection(try RedisURL(redis.url)).command(["TTL", RedisLiveState.key(.paper)])
        if case .integer(let ttl) = key { #expect(ttl > 0 && ttl <= 30, "the copy expires on its own") } else { Issue.record("TTL: \(key)") }
        let text = try home.engine(["status"])
        #expect(text.stdout.contains("  live: redis, "), "\(text.stdout)")
        let health = try home.home.run("health-check", ["--fast"])
        #expect(health.stdout.contains("live-state cache") && health.stdout.contains("answers"), "\(health.stdout)")

        redis.kill()
        #expect(engine.isRunning, "the engine trades on without Redis")
        let down = try home.home.run("health-check", ["--fast"])
        #expect(down.stdout.contains("cannot reach Redis"), "health-check warns: \(down.stdout)")
        let ended = engine.wait()
        #expect(ended.status == 0, "\(ended.stderr)")
        let expected = try KiteRehearsalTests.Comparable(reference.database())
        let resumed = try KiteRehearsalTests.Comparable(home.database())
        #expect(resumed.firstDifference(from: expected) == nil, "no trade lost or changed")
        #expect(resumed.netPnL == expected.netPnL)
        let log = try home.home.logFiles().values.joined(separator: "\n")
        #expect(log.contains("mirroring the live state into Redis"))
        #expect(log.contains("the live-state cache cannot be written"), "the outage is logged")
    }
}
