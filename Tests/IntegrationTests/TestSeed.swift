import Foundation

/// The seed of a randomised test: `ALPHA_PRIME_TEST_SEED` when set (to replay a failed run), else a
/// fresh one; printed with how to replay it, so every failure can be run again.
enum TestSeed {
    static func take(_ what: String) -> UInt64 {
        let seed = ProcessInfo.processInfo.environment["ALPHA_PRIME_TEST_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("\(what) seeded with \(seed) (ALPHA_PRIME_TEST_SEED=\(seed) replays them)")
        return seed
    }
}
