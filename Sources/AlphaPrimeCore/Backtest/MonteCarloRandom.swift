import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// SplitMix64 (Steele, Lea and Flood; Vigna's `splitmix64.c`): a generator with 64 bits of state.
///
/// Used to seed ``Xoshiro256StarStar`` and to turn a (seed, stream) pair into a starting state, never
/// as the Monte Carlo generator itself. Its output for a given seed is fixed by the reference code,
/// so results seeded through it are the same on every platform and Swift version.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output function: a bijective 64-bit mixer (Stafford's variant 13).
    @inlinable @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman and Vigna): a fast generator with 256 bits of state, the Monte Carlo
/// generator.
///
/// Reproducible by construction: its outputs depend only on its state, which comes from a seed through
/// ``SplitMix64`` as the authors recommend. ``init(seed:stream:)`` gives every Monte Carlo path its own
/// stream, so a path's draws do not depend on which thread runs it or in what order.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable {
    public private(set) var s0: UInt64
    public private(set) var s1: UInt64
    public private(set) var s2: UInt64
    public private(set) var s3: UInt64

    /// A generator whose state is the next four outputs of `SplitMix64(seed:)`.
    public init(seed: UInt64) {
        var seeder = SplitMix64(seed: seed)
        s0 = seeder.next(); s1 = seeder.next(); s2 = seeder.next(); s3 = seeder.next()
    }

    /// A generator with the given raw state, which must not be all zero.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
        (s0, s1, s2, s3) = state
    }

    /// Stream number `stream` of the run seeded with `seed` (in the Monte Carlo, stream = path index).
    ///
    /// The stream number goes through a bijective mix and is added to a key derived from the seed; the
    /// result seeds SplitMix64, whose next four outputs are the state. Distinct streams of one seed
    /// therefore start from distinct, scattered points of SplitMix64's sequence (no shifted overlaps as
    /// with consecutive seeds), and each stream's state is as good as a freshly seeded generator's.
    public init(seed: UInt64, stream: UInt64) {
        let key = SplitMix64.mix(seed &+ 0x9E37_79B9_7F4A_7C15)
        let streamKey = SplitMix64.mix((stream &+ 1) &* 0xD134_2543_DE82_EF95)
        self.init(seed: key &+ streamKey)
    }

    @inline(__always)
    static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Xoshiro256StarStar.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Xoshiro256StarStar.rotl(s3, 45)
        return result
    }

    /// A uniformly distributed integer in `0 ..< bound` (bound > 0), without modulo bias.
    ///
    /// Lemire's nearly-divisionless method ("Fast random integer generation in an interval", 2019): the
    /// high word of a 64 × 64-bit product is the result; the low word decides, rarely and only after a
    /// cheap comparison, whether to reject the draw and take another one.
    @inline(__always)
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "the bound of a random integer must be positive")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }
}

/// Uniform, unbiased integers in `0 ..< bound` for a fixed bound, several from each 64-bit draw: the
/// trade indices of the Monte Carlo.
///
/// Drawing `k` integers below `b` is the same as drawing one integer below `bᵏ` and reading its `k`
/// digits in base `b`. The draw is mapped with Lemire's method to bound `P = bᵏ` (high word of
/// `x × P`, rejected when the low word is below `2⁶⁴ mod P`), and the digits are read most significant
/// first by multiplying the remaining low word by `b` again and again: `x·b = d₁·2⁶⁴ + l₁`,
/// `l₁·b = d₂·2⁶⁴ + l₂`, … gives `x·P = (d₁ bᵏ⁻¹ + … + dₖ)·2⁶⁴ + lₖ`, so `lₖ` is the low word Lemire's
/// test needs (Brackett-Rozinsky and Lemire, "Batched ranged random integer generation", 2024). Exactly
/// uniform; a whole draw is rejected with probability below P / 2⁶⁴ ≤ 1/64.
public struct BoundedIndexSampler: Sendable, Equatable {
    public let bound: UInt32
    /// Integers per 64-bit draw (1 … 4): the largest `k` with `boundᵏ ≤ 2⁵⁸`.
    public let perDraw: Int
    /// bound ^ perDraw.
    let product: UInt64
    /// 2⁶⁴ mod product: draws whose final low word is below it are rejected.
    let threshold: UInt64

    public init(bound: UInt32) {
        precondition(bound > 0, "the bound of a random integer must be positive")
        self.bound = bound
        var k = 1
        var p = UInt64(bound)
        while k < 4 {
            let (next, overflow) = p.multipliedReportingOverflow(by: UInt64(bound))
            if overflow || next > 1 << 58 { break }
            p = next
            k += 1
        }
        perDraw = k
        product = p
        threshold = (0 &- p) % p
    }

    /// The next draw that Lemire's test accepts. The test needs only the low word of `x × product`,
    /// which is `x × product` modulo 2⁶⁴ (one wrapping multiplication), so it can come before the digits
    /// are read; threshold < product, so one comparison decides.
    @inline(__always)
    public func nextAccepted(_ rng: inout Xoshiro256StarStar) -> UInt64 {
        var x = rng.next()
        while x &* product < threshold { x = rng.next() }
        return x
    }

    /// The four digits of one accepted draw, most significant first (requires ``perDraw`` = 4).
    @inline(__always)
    public func nextFour(_ rng: inout Xoshiro256StarStar) -> (UInt32, UInt32, UInt32, UInt32) {
        let b = UInt64(bound)
        var m = nextAccepted(&rng).multipliedFullWidth(by: b)
        let d0 = m.high
        m = m.low.multipliedFullWidth(by: b)
        let d1 = m.high
        m = m.low.multipliedFullWidth(by: b)
        let d2 = m.high
        m = m.low.multipliedFullWidth(by: b)
        return (UInt32(truncatingIfNeeded: d0), UInt32(truncatingIfNeeded: d1),
                UInt32(truncatingIfNeeded: d2), UInt32(truncatingIfNeeded: m.high))
    }

    /// Writes the digits of one accepted draw to `out[0 ..< perDraw]`, most significant first.
    @inline(__always)
    func draw(_ rng: inout Xoshiro256StarStar, into out: UnsafeMutablePointer<UInt32>) {
        let b = UInt64(bound)
        var low = nextAccepted(&rng)
        for j in 0..<perDraw {
            let m = low.multipliedFullWidth(by: b)
            out[j] = UInt32(truncatingIfNeeded: m.high)
            low = m.low
        }
    }

    /// Fills `out[0 ..< count]` with independent uniform integers below `bound`: whole draws fill
    /// ``perDraw`` consecutive entries, most significant digit first, and when `count` is not a multiple
    /// of ``perDraw`` the last draw's surplus digits are dropped. The integers written depend only on
    /// the generator's state and `count`, and are the ones ``nextFour(_:)`` would give in turn.
    public func fill(_ out: UnsafeMutablePointer<UInt32>, count: Int, using rng: inout Xoshiro256StarStar) {
        var i = 0
        if perDraw == 4 {
            i = count & ~3
            fillFour(out, words: i / 4, using: &rng)
        }
        while i + perDraw <= count {
            draw(&rng, into: out + i)
            i &+= perDraw
        }
        if i < count {
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 4) { spare in
                draw(&rng, into: spare.baseAddress!)
                for j in 0..<(count - i) { out[i + j] = spare[j] }
            }
        }
    }

    /// Four digits per draw into `out[4w ..< 4w + 4]`, stored as two 64-bit words (left to itself the
    /// compiler packs the four stores through vector registers, which is slower here). Out of line so
    /// that its values stay in registers.
    @inline(never)
    func fillFour(_ out: UnsafeMutablePointer<UInt32>, words: Int, using rng: inout Xoshiro256StarStar) {
        var generator = rng
        let pairs = UnsafeMutableRawPointer(out)
        for w in 0..<words {
            let (d0, d1, d2, d3) = nextFour(&generator)
            #if _endian(little)
            pairs.storeBytes(of: UInt64(d0) | UInt64(d1) << 32, toByteOffset: 16 &* w, as: UInt64.self)
            pairs.storeBytes(of: UInt64(d2) | UInt64(d3) << 32, toByteOffset: 16 &* w &+ 8, as: UInt64.self)
            #else
            pairs.storeBytes(of: UInt64(d1) | UInt64(d0) << 32, toByteOffset: 16 &* w, as: UInt64.self)
            pairs.storeBytes(of: UInt64(d3) | UInt64(d2) << 32, toByteOffset: 16 &* w &+ 8, as: UInt64.self)
            #endif
        }
        rng = generator
    }
}
