import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// One tunable number of a strategy: its name as in `config/strategies/*.yaml`, default and bounds.
public struct StrategyParameterSpec: Sendable, Equatable {
    public var name: String
    public var defaultValue: Double
    public var minimum: Double
    public var maximum: Double
    public var isInteger: Bool
    public var help: String

    public init(_ name: String, default defaultValue: Double, min: Double, max: Double, integer: Bool = false, help: String) {
        self.name = name; self.defaultValue = defaultValue; self.minimum = min; self.maximum = max
        self.isInteger = integer; self.help = help
    }
}

/// A refused strategy set-up: unknown kind, unknown or out-of-range parameter.
public struct StrategyError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    public var strategy: String
    public var message: String

    public init(strategy: String, _ message: String) { self.strategy = strategy; self.message = message }
    public var description: String { "strategy '\(strategy)': \(message)" }
    public var exitStatus: ExitStatus { .configError }
}

/// Parameter values checked against a strategy's specs; unknown names and out-of-range values are errors.
public struct ParameterValues: Sendable {
    private var values: [String: Double]

    public init(strategy: String, specs: [StrategyParameterSpec], given: [String: Double]) throws {
        var values: [String: Double] = [:]
        for spec in specs { values[spec.name] = spec.defaultValue }
        for (name, value) in given.sorted(by: { $0.key < $1.key }) {
            guard let spec = specs.first(where: { $0.name == name }) else {
                let known = specs.map(\.name).joined(separator: ", ")
                throw StrategyError(strategy: strategy, "unknown parameter '\(name)' (known: \(known))")
            }
            guard value.isFinite, value >= spec.minimum, value <= spec.maximum else {
                throw StrategyError(strategy: strategy,
                                    "parameter '\(name)' = \(value) is outside \(spec.minimum)…\(spec.maximum)")
            }
            if spec.isInteger && value != value.rounded() {
                throw StrategyError(strategy: strategy, "parameter '\(name)' = \(value) must be a whole number")
            }
            values[name] = value
        }
        self.values = values
    }

    public subscript(_ name: String) -> Double { values[name]! }
    public func int(_ name: String) -> Int { Int(values[name]!) }
    public func int64(_ name: String) -> Int64 { Int64(values[name]!) }
    public func bool(_ name: String) -> Bool { values[name]! != 0 }
}

/// Minutes since midnight IST of a UTC epoch-second instant.
@inline(__always)
func istMinuteOfDay(_ time: Int64) -> Int {
    let t = (time + IST.offsetSeconds) % 86_400
    return Int((t < 0 ? t + 86_400 : t) / 60)
}

