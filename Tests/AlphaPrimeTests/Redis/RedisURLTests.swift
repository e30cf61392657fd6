import AlphaPrimeRedis
import Testing

/// `REDIS_URL` as the engine, `engine status`, the dashboard and health-check read it.
@Suite struct RedisURLTests {
    @Test func theFormsOfARedisURL() throws {
        let plain = try RedisURL("redis://127.0.0.1:6380/2")
        #expect(plain.host == "127.0.0.1" && plain.port == 6380 && plain.database == 2 && plain.password == nil)
        let defaults = try RedisURL("redis://cache")
        #expect(defaults.host == "cache" && defaults.port == 6379 && defaults.database == 0)
        let auth = try RedisURL("redis://trader:p%40ss@localhost:6379")
        #expect(auth.user == "trader" && auth.password == "p@ss")
        let passwordOnly = try RedisURL("redis://:pw@[::1]:7000/1")
        #expect(passwordOnly.user == nil && passwordOnly.password == "pw" && passwordOnly.host == "::1" && passwordOnly.port == 7000)
        #expect(!auth.description.contains("p@ss") && !auth.description.contains("p%40ss") && auth.description.contains("***@"))
    }

    @Test(arguments: ["http://x", "rediss://host:6379", "redis://", "redis://host:0", "redis://host:99999", "redis://host/x"])
    func aBadURLIsRefusedWithoutBeingEchoed(text: String) {
        #expect(throws: RedisError.self) { try RedisURL(text) }
    }
}
