import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// The faults kite-sim injects. Each has a command-line flag (`--latency-ms 200`) and the same
/// name as a field of `POST /sim/faults` (`latency-ms=200`; `latency_ms` is taken too).
public struct FaultSettings: Sendable, Equatable {
    /// Every Kite API answer is delayed this long.
    public var latencyMilliseconds = 0
    /// Share of placements that are placed and then answered only after `dropDelayMilliseconds`.
    public var placeDropRate = 0.0
    public var dropDelayMilliseconds = 90_000
    /// Share of placements that are placed and then answered 504 by a gateway (HTML, not Kite's JSON).
    public var place504Rate = 0.0
    /// Share of placements answered 400 "Order request timed out" although the order is placed; it
    /// shows in the order book only `lateOrderMilliseconds` later (the value in force then: changing
    /// it through `/sim/faults` moves the placements still waiting too).
    public var placeTimeout400Rate = 0.0
    public var lateOrderMilliseconds = 0
    /// Share of placements answered 503 `NetworkException`, with nothing placed.
    public var place503Rate = 0.0
    /// The next this-many requests are answered 429.
    public var burst429 = 0
    /// Order requests (placements, modifications, cancellations) allowed per second; 0: no limit.
    public var maxOrdersPerSecond = 0
    /// From this instant (UTC epoch seconds, wall clock) every authenticated call is refused 403.
    public var tokenExpiresAt: Int64?
    /// Seed of the draws that decide which placements fail.
    public var seed: UInt64 = 1

    public init() {}

    /// The names a fault is set by, as flags (without `--`) and form fields.
    public static let names = [
        "latency-ms", "place-drop-rate", "drop-delay-ms", "place-504-rate", "place-timeout400-rate", "late-order-ms",
        "place-503-rate", "burst-429", "max-orders-per-second", "token-expires-at", "seed",
    ]

    /// Sets the fault `name` (a flag's name without `--`; `_` may stand for `-`) from its text.
    /// `token-expires-at` takes an ISO-8601 instant (IST when it has no offset), `+SECONDS` from
    /// `now`, or `never`.
    public mutating func set(_ name: String, to text: String, now: Int64) throws(FaultSettingError) {
        let key = name.replacingOccurrences(of: "_", with: "-")
        func fail(_ expected: String) -> FaultSettingError { FaultSettingError(name: key, value: text, expected: expected) }
        func count() throws(FaultSettingError) -> Int {
            guard let n = Int(text), n >= 0 else { throw fail("a whole number, 0 or more") }
            return n
        }
        func rate() throws(FaultSettingError) -> Double {
            guard let p = Double(text), p.isFinite, (0...1).contains(p) else { throw fail("a share from 0 to 1") }
            return p
        }
        switch key {
        case "latency-ms": latencyMilliseconds = try count()
        case "place-drop-rate": placeDropRate = try rate()
        case "drop-delay-ms": dropDelayMilliseconds = try count()
        case "place-504-rate": place504Rate = try rate()
        case "place-timeout400-rate": placeTimeout400Rate = try rate()
        case "late-order-ms": lateOrderMilliseconds = try count()
        case "place-503-rate": place503Rate = try rate()
        case "burst-429": burst429 = try count()
        case "max-orders-per-second": maxOrdersPerSecond = try count()
        case "seed":
            guard let s = UInt64(text) else { throw fail("a whole number from 0 to 2^64−1") }
            seed = s
        case "token-expires-at":
            if text == "never" || text.isEmpty {
                tokenExpiresAt = nil
            } else if text.hasPrefix("+") {
                guard let seconds = Int64(text.dropFirst()), seconds >= 0 else { throw fail("+SECONDS, an ISO-8601 instant or never") }
                tokenExpiresAt = now + seconds
            } else {
                guard let instant = IST.epochSeconds(iso8601: text) else {
                    throw fail("an ISO-8601 instant (2021-02-15T15:30:00+05:30; IST without an offset), +SECONDS or never")
                }
                tokenExpiresAt = instant
            }
        default:
            throw FaultSettingError(name: key, value: text, expected: "one of \(Self.names.joined(separator: ", "))")
        }
        let total = placeDropRate + place504Rate + placeTimeout400Rate + place503Rate
        if total > 1 + 1e-9 {
            throw FaultSettingError(name: key, value: text, expected: "placement fault rates that add up to at most 1 (they add up to \(total))")
        }
    }

    /// The settings as `POST /sim/faults` and `GET /sim/faults` answer them.
    var json: JSON {
        .object([
            ("latency-ms", .int(Int64(latencyMilliseconds))),
            ("place-drop-rate", .number(placeDropRate)),
            ("drop-delay-ms", .int(Int64(dropDelayMilliseconds))),
            ("place-504-rate", .number(place504Rate)),
            ("place-timeout400-rate", .number(placeTimeout400Rate)),
            ("late-order-ms", .int(Int64(lateOrderMilliseconds))),
            ("place-503-rate", .number(place503Rate)),
            ("burst-429", .int(Int64(burst429))),
            ("max-orders-per-second", .int(Int64(maxOrdersPerSecond))),
            ("token-expires-at", .string(tokenExpiresAt.map { IST.kiteText(epochSeconds: $0) })),
            ("seed", .string(String(seed))),
        ])
    }
}

/// A fault setting that is not one: which, what was given, what was expected.
public struct FaultSettingError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    public var name: String
    public var value: String
    public var expected: String
    public var description: String { "--\(name) \"\(value)\": expected \(expected)" }
    public var exitStatus: ExitStatus { .usage }
}

/// What happens to one placement.
enum PlacementFault: String, Sendable, CaseIterable {
    /// Answered 503 `NetworkException`; nothing placed.
    case unavailable503 = "place-503"
    /// Placed; answered 504 by a gateway.
    case gateway504 = "place-504"
    /// Placed (visible later); answered 400 "Order request timed out".
    case timeout400 = "place-timeout400"
    /// Placed; the answer withheld.
    case drop = "place-drop"

    /// The fault a draw `u` in [0, 1) picks: the rates stacked in this order, none past their sum.
    static func pick(_ u: Double, settings s: FaultSettings) -> PlacementFault? {
        var edge = s.place503Rate
        if u < edge { return .unavailable503 }
        edge += s.place504Rate
        if u < edge { return .gateway504 }
        edge += s.placeTimeout400Rate
        if u < edge { return .timeout400 }
        edge += s.placeDropRate
        if u < edge { return .drop }
        return nil
    }
}

/// SplitMix64: a small, seeded, reproducible source of draws.
struct SeededDraws: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A draw in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
