import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The wall time of a tool's phases, in the order they ran (`backtest --timings`).
public struct PhaseTimings: Sendable, Encodable {
    public struct Phase: Sendable, Encodable {
        public var name: String
        public var seconds: Double
    }

    public private(set) var phases: [Phase] = []
    private var mark: UInt64

    /// Starts with a `start-up` phase: from the process's start (the kernel's record of it, 10 ms
    /// resolution) to now; without /proc the phase is left out.
    public init() {
        mark = DispatchTime.now().uptimeNanoseconds
        if let startup = Self.secondsSinceProcessStart() { phases.append(Phase(name: "start-up", seconds: startup)) }
    }

    /// Ends the phase running since the last mark.
    public mutating func end(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        phases.append(Phase(name: name, seconds: Double(now - mark) / 1e9))
        mark = now
    }

    public var total: Double { phases.reduce(0) { $0 + $1.seconds } }

    /// `timings (wall): start-up 12 ms, configuration 8 ms, …; total 296 ms`.
    public var text: String {
        func ms(_ s: Double) -> String { s < 0.01 ? String(format: "%.2f ms", s * 1000) : String(format: "%.0f ms", s * 1000) }
        return "timings (wall): " + phases.map { "\($0.name) \(ms($0.seconds))" }.joined(separator: ", ") + "; total \(ms(total))"
    }

    /// Seconds from this process's start to now: /proc/self/stat's start time against /proc/uptime.
    static func secondsSinceProcessStart() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces): state is field 3, starttime field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]),
              let now = Double(uptime.split(separator: " ").first ?? "") else { return nil }
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard hz > 0 else { return nil }
        return max(0, now - ticks / hz)
    }
}
