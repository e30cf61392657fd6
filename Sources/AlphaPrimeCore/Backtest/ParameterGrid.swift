import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// One parameter the optimiser varies: its name in the strategy file and the values of its range.
public struct ParameterDimension: Sendable, Equatable, Codable {
    public var name: String
    /// `min`, `min + step`, … `max`, in order (rounded to 1e-9 so 0.1 steps read as 0.3, not 0.30000000000000004).
    public var values: [Double]
    /// The strategy file writes the value as a whole number.
    public var isInteger: Bool
    /// The value in the strategy file (used where the search does not vary it).
    public var configured: Double

    public init(name: String, values: [Double], isInteger: Bool = false, configured: Double? = nil) {
        self.name = name; self.values = values; self.isInteger = isInteger
        self.configured = configured ?? values.first ?? 0
    }

    enum CodingKeys: String, CodingKey { case name, values, isInteger = "integer", configured }
}

/// One point of a parameter space: a value for each varied parameter, in the space's order.
public struct ParameterSet: Sendable, Hashable, CustomStringConvertible {
    public let names: [String]
    public let values: [Double]

    public init(names: [String], values: [Double]) {
        precondition(names.count == values.count, "one value per parameter")
        self.names = names; self.values = values
    }

    public subscript(name: String) -> Double? {
        names.firstIndex(of: name).map { values[$0] }
    }

    /// The values by name, as ``StrategySetup/with(parameters:)`` takes them.
    public var overrides: [String: Double] {
        Dictionary(zip(names, values), uniquingKeysWith: { a, _ in a })
    }

    /// `lookback=20 entry_z=2.5`.
    public var description: String {
        zip(names, values).map { "\($0)=\(ParameterSet.format($1))" }.joined(separator: " ")
    }

    /// A parameter value as written in a strategy file: `20`, `2.5`, `0.25`.
    public static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String((v * 1e9).rounded() / 1e9)
    }
}

/// Why a parameter space cannot be built from the strategy file and the flags.
public struct ParameterSpaceError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    public enum Kind: Sendable, Equatable {
        /// `--params` names something that is not a ranged parameter of the strategy.
        case unknownParameter
        /// Nothing to search: no parameter of the strategy has a `range`.
        case noRanges
        /// The grid is larger than the limit.
        case tooLarge
        /// Every set was refused by a constraint or by the strategy's own rules.
        case noRunnableSet
    }

    public var strategy: String
    public var kind: Kind
    public var message: String

    public init(strategy: String, kind: Kind, _ message: String) {
        self.strategy = strategy; self.kind = kind; self.message = message
    }

    public var description: String { "strategy '\(strategy)': \(message)" }

    /// A ranged name that is wrong or a grid too large is a flag to fix; ranges that give nothing to
    /// run are configuration.
    public var exitStatus: ExitStatus { kind == .noRanges || kind == .noRunnableSet ? .configError : .usage }
}

/// A rule a parameter set must satisfy before it is backtested (for example `fast_ma < slow_ma`).
/// Returns why the set is refused, or nil when it is acceptable.
public struct ParameterConstraint: Sendable {
    public var name: String
    public var check: @Sendable (ParameterSet) -> String?

    public init(_ name: String, check: @escaping @Sendable (ParameterSet) -> String?) {
        self.name = name; self.check = check
    }

    /// `a < b` when both are varied (a parameter not in the set is not judged here).
    public static func lessThan(_ a: String, _ b: String) -> ParameterConstraint {
        ParameterConstraint("\(a) < \(b)") { set in
            guard let x = set[a], let y = set[b], x >= y else { return nil }
            return "\(a) (\(ParameterSet.format(x))) must be below \(b) (\(ParameterSet.format(y)))"
        }
    }
}

/// The parameters a strategy file lets the optimiser search: every parameter with a
/// `range {min, max, step}` (or the subset asked for), in file order.
///
/// The grid is the Cartesian product of the dimensions' values, the first dimension varying slowest
/// (as nested loops in file order); set `i` of the grid is ``set(at:)``. Random search draws
/// uniformly from the same step grid, reproducibly by seed, without repeating a set.
public struct ParameterSpace: Sendable {
    public var strategy: String
    public var dimensions: [ParameterDimension]
    /// Checked before a set is run (the strategy registry's own checks apply as well).
    public var constraints: [ParameterConstraint]

    public init(strategy: String, dimensions: [ParameterDimension], constraints: [ParameterConstraint] = []) {
        self.strategy = strategy; self.dimensions = dimensions; self.constraints = constraints
    }

    /// The ranged parameters of a strategy file; `only` keeps the named ones (in the order given).
    /// - Throws: ``ParameterSpaceError`` when a name is not a ranged parameter, or nothing is ranged.
    public init(config: StrategyConfig, only names: [String]? = nil, constraints: [ParameterConstraint] = []) throws {
        var ranged: [ParameterDimension] = []
        for (name, spec) in config.parameters.entries {
            guard let range = spec.range else { continue }
            let values = range.values.map { ($0 * 1e9).rounded() / 1e9 }
            guard !values.isEmpty else { continue }
            ranged.append(ParameterDimension(name: name, values: values, isInteger: spec.value.isInteger,
                                             configured: spec.value.doubleValue))
        }
        guard !ranged.isEmpty else {
            throw ParameterSpaceError(strategy: config.name, kind: .noRanges,
                                      "no parameter has a range {min, max, step} in config/strategies to search")
        }
        var chosen = ranged
        if let names, !names.isEmpty {
            chosen = []
            for name in names {
                guard let d = ranged.first(where: { $0.name == name }) else {
                    let known = ranged.map(\.name).joined(separator: ", ")
                    let why = config.parameters[name] == nil ? "is not a parameter" : "has no range"
                    throw ParameterSpaceError(strategy: config.name, kind: .unknownParameter,
                                              "--params: '\(name)' \(why) (ranged parameters: \(known))")
                }
                if !chosen.contains(where: { $0.name == name }) { chosen.append(d) }
            }
        }
        self.init(strategy: config.name, dimensions: chosen, constraints: constraints)
    }

    public var names: [String] { dimensions.map(\.name) }

    /// Sets in the full grid (saturating at `Int.max`).
    public var gridSize: Int {
        dimensions.reduce(1) { n, d in
            let (product, overflow) = n.multipliedReportingOverflow(by: d.values.count)
            return overflow ? Int.max : product
        }
    }

    /// Grid set number `index` (0 ..< ``gridSize``): mixed radix, the last dimension fastest.
    public func set(at index: Int) -> ParameterSet {
        var rest = index
        var values = Array(repeating: 0.0, count: dimensions.count)
        for k in dimensions.indices.reversed() {
            let n = dimensions[k].values.count
            values[k] = dimensions[k].values[rest % n]
            rest /= n
        }
        return ParameterSet(names: names, values: values)
    }

    /// Every set of the grid, in grid order.
    /// - Throws: ``ParameterSpaceError`` when the grid has more than `limit` sets.
    public func grid(limit: Int = .max) throws -> [ParameterSet] {
        let size = gridSize
        guard size <= limit else {
            throw ParameterSpaceError(
                strategy: strategy, kind: .tooLarge,
                "the grid over \(names.joined(separator: ", ")) has \(size == .max ? "too many" : String(size)) sets, above the limit of \(limit); "
                    + "search fewer parameters with --params, or sample with --random N")
        }
        return (0..<size).map(set(at:))
    }

    /// `count` distinct sets drawn uniformly from the grid with a seeded generator: the same seed
    /// gives the same sets in the same order. A set that `accept` refuses is counted, not returned,
    /// and another is drawn; when the grid holds no more than `count` sets, the whole grid is taken
    /// (in grid order, refusals filtered).
    public func random(count: Int, seed: UInt64, accept: (ParameterSet) -> Bool = { _ in true })
        -> (sets: [ParameterSet], refused: Int) {
        let size = gridSize
        if size <= count {
            var refused = 0
            let sets = (0..<size).map(set(at:)).filter { s in
                if accept(s) { return true }
                refused += 1
                return false
            }
            return (sets, refused)
        }
        var generator = ParameterSearchRandom(seed: seed)
        var seen = Set<[Int]>()
        var sets: [ParameterSet] = []
        var refused = 0
        // Each draw picks one step of every range independently; stop when the grid is exhausted.
        while sets.count < count && seen.count < size {
            let steps = dimensions.map { generator.below($0.values.count) }
            guard seen.insert(steps).inserted else { continue }
            let set = ParameterSet(names: names, values: zip(dimensions, steps).map { $0.values[$1] })
            if accept(set) { sets.append(set) } else { refused += 1 }
        }
        return (sets, refused)
    }

    /// Why the set breaks one of ``constraints``, or nil.
    public func violation(of set: ParameterSet) -> String? {
        for c in constraints { if let why = c.check(set) { return why } }
        return nil
    }
}

/// SplitMix64: a small, fast, seedable generator with the same output on every platform, so a
/// random search is reproducible from its seed.
public struct ParameterSearchRandom: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0 ..< n` (Lemire's method with rejection: no modulo bias).
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }
}
