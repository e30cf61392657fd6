import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// What every health probe is given: the home, the clocks, the trading calendar when it loads,
/// and whether only the quick probes run.
public struct HealthCheckContext: Sendable {
    public var home: AlphaPrimeHome
    /// `health-check --fast`: only probes with ``HealthProbe/runsWhenFast`` run.
    public var fast: Bool
    /// The wall clock: ages of heartbeats, backups and files are measured against it.
    public var now: UTCTimestamp
    /// The instant (UTC epoch seconds) the trading calendar is asked about: whether the market is
    /// in session, what today is.
    public var marketTime: Int64
    /// The trading calendar, or nil when `config/trading_hours.yaml` does not load (that is
    /// reported by the calendar probe).
    public var calendar: TradingCalendar?

    public init(home: AlphaPrimeHome, fast: Bool, now: UTCTimestamp, marketTime: Int64, calendar: TradingCalendar?) {
        self.home = home; self.fast = fast; self.now = now; self.marketTime = marketTime; self.calendar = calendar
    }
}

/// One check of `health-check`: it returns its lines and never throws (a problem is a `failure`
/// or a `warning` line naming what to do). A service that needs watching (the broker's token, a
/// cache server, an alert channel) adds a probe to the registry `health-check` runs; the tool
/// itself does not change.
public protocol HealthProbe: Sendable {
    /// What it checks, for the log (its lines name their own checks).
    var name: String { get }
    /// Whether it runs under `health-check --fast`, which must answer within 150 ms in all: only
    /// probes that read a few files or run one small query qualify; scans and network round trips
    /// that may wait do not.
    var runsWhenFast: Bool { get }
    func findings(_ context: HealthCheckContext) async -> [HealthFinding]
}

/// A probe from a closure.
public struct ClosureHealthProbe: HealthProbe {
    public let name: String
    public let runsWhenFast: Bool
    private let body: @Sendable (HealthCheckContext) async -> [HealthFinding]

    public init(_ name: String, runsWhenFast: Bool = true, _ body: @escaping @Sendable (HealthCheckContext) async -> [HealthFinding]) {
        self.name = name; self.runsWhenFast = runsWhenFast; self.body = body
    }

    public func findings(_ context: HealthCheckContext) async -> [HealthFinding] { await body(context) }
}

/// The probes `health-check` runs, in the order their lines are printed.
public struct HealthCheckRegistry: Sendable {
    public private(set) var probes: [any HealthProbe]

    public init(_ probes: [any HealthProbe] = []) { self.probes = probes }

    public mutating func register(_ probe: any HealthProbe) { probes.append(probe) }

    /// Registers a probe from a closure.
    public mutating func register(_ name: String, runsWhenFast: Bool = true,
                                  _ body: @escaping @Sendable (HealthCheckContext) async -> [HealthFinding]) {
        probes.append(ClosureHealthProbe(name, runsWhenFast: runsWhenFast, body))
    }

    /// The probes a run takes: all of them, or under `fast` only those that run when fast.
    public func selected(fast: Bool) -> [any HealthProbe] {
        fast ? probes.filter(\.runsWhenFast) : probes
    }

    /// Runs the selected probes one after another (several read the same database connection,
    /// and their lines keep the registry's order) and returns every line with each probe's time
    /// in milliseconds.
    public func run(_ context: HealthCheckContext) async -> (report: HealthReport, milliseconds: [(probe: String, ms: Double)]) {
        var report = HealthReport()
        var times: [(probe: String, ms: Double)] = []
        for probe in selected(fast: context.fast) {
            let started = DispatchTime.now().uptimeNanoseconds
            report.findings += await probe.findings(context)
            times.append((probe.name, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6))
        }
        return (report, times)
    }
}
