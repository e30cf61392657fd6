import AlphaPrimeSupport

/// The trading-hours rules do not make sense: every problem found, each naming where it is, so
/// the configuration loader can attach the file and line of the YAML entry it came from.
public struct TradingCalendarError: Error, Hashable, Sendable, CustomStringConvertible, ExitStatusProviding {
    /// Which part of ``TradingCalendar/Rules`` a problem is in. Indices are positions in the
    /// corresponding `Rules` array (0-based).
    public enum Location: Hashable, Sendable, CustomStringConvertible {
        case normalHours
        case holiday(index: Int)
        case specialSession(index: Int)
        case sessionChange(index: Int)

        public var description: String {
            switch self {
            case .normalHours: "normal hours"
            case .holiday(let i): "holidays[\(i)]"
            case .specialSession(let i): "special_sessions[\(i)]"
            case .sessionChange(let i): "session_changes[\(i)]"
            }
        }
    }

    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public let location: Location
        /// The date the entry is about, when it has one.
        public let date: LocalDate?
        public let message: String

        public init(location: Location, date: LocalDate?, message: String) {
            self.location = location
            self.date = date
            self.message = message
        }

        public var description: String {
            "\(location)\(date.map { " (\($0))" } ?? ""): \(message)"
        }
    }

    public let problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    public var exitStatus: ExitStatus { .configError }

    public var description: String {
        let count = problems.count
        let head = "trading hours: \(count) problem\(count == 1 ? "" : "s")"
        return ([head] + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}

extension TradingCalendar.Rules {
    /// Every problem in these rules; empty when they are usable.
    public func problems() -> [TradingCalendarError.Problem] {
        typealias Problem = TradingCalendarError.Problem
        var problems: [Problem] = []

        func check(_ hours: TradingCalendar.DayHours, _ location: TradingCalendarError.Location, _ date: LocalDate?, _ what: String) {
            for message in hours.problems(what) {
                problems.append(Problem(location: location, date: date, message: message))
            }
        }

        check(normal, .normalHours, nil, "normal session")

        var seen: [LocalDate: Int] = [:]
        for (i, h) in holidays.enumerated() {
            if let first = seen[h.date] {
                problems.append(Problem(location: .holiday(index: i), date: h.date,
                                        message: "date listed twice (also holidays[\(first)])"))
            } else {
                seen[h.date] = i
            }
            if h.name.allSatisfy(\.isWhitespace) {
                problems.append(Problem(location: .holiday(index: i), date: h.date, message: "holiday has no name"))
            }
        }

        seen = [:]
        for (i, s) in specialSessions.enumerated() {
            if let first = seen[s.date] {
                problems.append(Problem(location: .specialSession(index: i), date: s.date,
                                        message: "date listed twice (also special_sessions[\(first)])"))
            } else {
                seen[s.date] = i
            }
            if s.name.allSatisfy(\.isWhitespace) {
                problems.append(Problem(location: .specialSession(index: i), date: s.date, message: "special session has no name"))
            }
            check(s.hours, .specialSession(index: i), s.date, "special session")
        }

        seen = [:]
        for (i, c) in sessionChanges.enumerated() {
            if let first = seen[c.effectiveFrom] {
                problems.append(Problem(location: .sessionChange(index: i), date: c.effectiveFrom,
                                        message: "effective date listed twice (also session_changes[\(first)])"))
            } else {
                seen[c.effectiveFrom] = i
            }
            if !c.changesSomething {
                problems.append(Problem(location: .sessionChange(index: i), date: c.effectiveFrom,
                                        message: "session change sets no session, pre-open, closing auction or closing session"))
            }
        }

        // Check each change as it lands on everything in force before it; report only what it breaks.
        var hours = normal
        for (i, c) in sessionChanges.enumerated().sorted(by: { $0.element.effectiveFrom < $1.element.effectiveFrom })
        where seen[c.effectiveFrom] == i {
            let before = Set(hours.problems("normal session"))
            hours = c.applied(to: hours)
            for message in hours.problems("normal session") where !before.contains(message) {
                problems.append(Problem(location: .sessionChange(index: i), date: c.effectiveFrom, message: message))
            }
        }
        return problems
    }
}

extension TradingCalendar.DayHours {
    /// What is wrong with these hours, each as a sentence; `what` names the session in them.
    func problems(_ what: String) -> [String] {
        var found: [String] = []
        let s = session
        if s.open >= s.close {
            found.append("\(what) opens at \(s.open), not before it closes at \(s.close)")
        }
        if let w = preOpen {
            if w.open >= w.close { found.append("pre-open opens at \(w.open), not before it closes at \(w.close)") }
            if w.close > s.open { found.append("pre-open \(w) ends after the \(what) opens at \(s.open)") }
        }
        if let w = closingAuction {
            if w.open >= w.close { found.append("closing auction opens at \(w.open), not before it closes at \(w.close)") }
            if w.open < s.open { found.append("closing auction \(w) starts before the \(what) opens at \(s.open)") }
        }
        if let w = closingSession {
            if w.open >= w.close { found.append("closing session opens at \(w.open), not before it closes at \(w.close)") }
            if w.open < s.close { found.append("closing session \(w) starts before the \(what) closes at \(s.close)") }
        }
        return found
    }
}
