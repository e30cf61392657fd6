import AlphaPrimeSupport

/// `config/trading_hours.yaml`: NSE sessions, holidays, special sessions and dated changes to the
/// trading day, as plain values. The one `TradingCalendar` is built from this; nothing here
/// answers calendar questions itself.
///
/// Times are IST wall-clock times; a window is `[open, close)`.
public struct TradingHoursConfig: Codable, Sendable, Equatable {
    public enum Weekday: String, Codable, Sendable, CaseIterable, ConfigChoice {
        case monday, tuesday, wednesday, thursday, friday, saturday, sunday

        /// ISO weekday number: 1 = Monday … 7 = Sunday (as ``LocalDate/isoWeekday``).
        public var isoNumber: Int { Self.allCases.firstIndex(of: self)! + 1 }
    }

    public struct Window: Codable, Sendable, Equatable, CustomStringConvertible {
        public var open: TimeOfDay
        public var close: TimeOfDay

        public init(open: TimeOfDay, close: TimeOfDay) {
            self.open = open
            self.close = close
        }

        public var description: String { "\(open)–\(close)" }
    }

    /// The windows of one trading day.
    public struct SessionHours: Codable, Sendable, Equatable {
        /// Pre-open order entry (NSE: 09:00–09:08, matching until the open).
        public var preOpen: Window?
        /// Continuous trading in the equity cash market ("normal market"), which sets the index values.
        public var normal: Window
        /// Continuous trading in equity derivatives (F&O), when it differs from `normal`.
        public var derivatives: Window?
        /// Closing auction that discovers the closing price.
        public var closingAuction: Window?
        /// Post-close session, trading at the closing price (NSE's "closing session").
        public var closingSession: Window?

        public init(preOpen: Window? = nil, normal: Window, derivatives: Window? = nil,
                    closingAuction: Window? = nil, closingSession: Window? = nil) {
            self.preOpen = preOpen
            self.normal = normal
            self.derivatives = derivatives
            self.closingAuction = closingAuction
            self.closingSession = closingSession
        }

        enum CodingKeys: String, CodingKey {
            case preOpen = "pre_open", normal, derivatives, closingAuction = "closing_auction"
            case closingSession = "closing_session"
        }
    }

    /// A change to the ordinary trading day from `effectiveFrom` on. A window left out keeps what
    /// was in force before; changes apply in date order.
    public struct SessionChange: Codable, Sendable, Equatable {
        public var effectiveFrom: LocalDate
        public var name: String
        /// Where the change was announced (circular number and date).
        public var source: String?
        public var preOpen: Window?
        public var normal: Window?
        public var derivatives: Window?
        public var closingAuction: Window?
        public var closingSession: Window?

        enum CodingKeys: String, CodingKey {
            case effectiveFrom = "effective_from", name, source, preOpen = "pre_open", normal, derivatives
            case closingAuction = "closing_auction", closingSession = "closing_session"
        }

        /// `hours` with this change applied.
        public func applied(to hours: SessionHours) -> SessionHours {
            var h = hours
            if let preOpen { h.preOpen = preOpen }
            if let normal { h.normal = normal }
            if let derivatives { h.derivatives = derivatives }
            if let closingAuction { h.closingAuction = closingAuction }
            if let closingSession { h.closingSession = closingSession }
            return h
        }
    }

    /// An exchange holiday: no normal session that date (a special session may still run on it).
    public struct Holiday: Codable, Sendable, Equatable {
        public var date: LocalDate
        public var name: String
    }

    /// A session on a date outside the ordinary pattern (Muhurat trading, a Budget-day weekend
    /// session, a disaster-recovery drill, an outage day's changed hours). On its date it replaces
    /// the ordinary session, even on a holiday or a weekend.
    public struct SpecialSession: Codable, Sendable, Equatable {
        public var date: LocalDate
        public var name: String
        public var preOpen: Window?
        public var normal: Window
        public var closingSession: Window?
        /// Stretches inside `normal` when nothing traded (a switch to the disaster-recovery site, an outage).
        public var breaks: [Window]?
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case date, name, preOpen = "pre_open", normal, closingSession = "closing_session", breaks, note
        }

        public var hours: SessionHours { SessionHours(preOpen: preOpen, normal: normal, closingSession: closingSession) }
    }

    public var exchange: String
    public var timezone: String
    public var weeklyOff: [Weekday]
    /// The ordinary trading day before any session change.
    public var sessions: SessionHours
    public var sessionChanges: [SessionChange]
    public var holidays: [Holiday]
    public var specialSessions: [SpecialSession]

    enum CodingKeys: String, CodingKey {
        case exchange, timezone, weeklyOff = "weekly_off", sessions, sessionChanges = "session_changes"
        case holidays, specialSessions = "special_sessions"
    }

    public static let fileName = "trading_hours.yaml"

    /// The ordinary day in force on `date` (session changes up to that date applied).
    func sessionHours(on date: LocalDate) -> SessionHours {
        sessionChanges.sorted { $0.effectiveFrom < $1.effectiveFrom }
            .filter { $0.effectiveFrom <= date }
            .reduce(sessions) { $1.applied(to: $0) }
    }

    /// The continuous-trading windows a square-off time must fall in: the derivatives window (the
    /// instruments traded are index derivatives) or else the normal one, of the ordinary day and
    /// of the day after each session change.
    func squareOffWindows() -> [(String, Window)] {
        var result = [("ordinary session", sessions.derivatives ?? sessions.normal)]
        var hours = sessions
        for change in sessionChanges.sorted(by: { $0.effectiveFrom < $1.effectiveFrom }) {
            hours = change.applied(to: hours)
            result.append(("session from \(change.effectiveFrom)", hours.derivatives ?? hours.normal))
        }
        return result
    }

    public func validate(_ v: inout ConfigValidator) {
        v.nonEmpty(exchange, "exchange")
        v.check(timezone == "Asia/Kolkata", "timezone", "NSE times are IST: expected Asia/Kolkata, got '\(timezone)'")
        v.unique(weeklyOff, path: { "weekly_off[\($0)]" }, describe: { $0.rawValue })
        v.check(weeklyOff.count < 7, "weekly_off", "leaves no day to trade")
        let before = v.issues.count
        Self.validate(sessions, at: "sessions", &v)
        let ordinaryDayOK = v.issues.count == before

        v.unique(sessionChanges.map(\.effectiveFrom), path: { "session_changes[\($0)].effective_from" }, describe: { "date \($0)" })
        var hours = sessions
        for (i, change) in sessionChanges.enumerated() {
            let path = "session_changes[\(i)]"
            v.nonEmpty(change.name, path + ".name")
            if i > 0 {
                v.check(change.effectiveFrom > sessionChanges[i - 1].effectiveFrom, path + ".effective_from",
                        "session changes must be listed in date order (\(change.effectiveFrom) comes after \(sessionChanges[i - 1].effectiveFrom))")
            }
            let changes: [Window?] = [change.preOpen, change.normal, change.derivatives, change.closingAuction, change.closingSession]
            v.check(changes.contains { $0 != nil }, path, "changes nothing: give at least one of pre_open, normal, derivatives, closing_auction, closing_session")
            hours = change.applied(to: hours)
            if ordinaryDayOK {
                Self.validate(hours, at: path, &v)
            } else {
                for (key, window) in [("pre_open", change.preOpen), ("normal", change.normal), ("derivatives", change.derivatives),
                                      ("closing_auction", change.closingAuction), ("closing_session", change.closingSession)] {
                    if let window { Self.validate(window, at: "\(path).\(key)", &v) }
                }
            }
        }

        v.unique(holidays.map(\.date), path: { "holidays[\($0)].date" }, describe: { "holiday \($0)" })
        for (i, holiday) in holidays.enumerated() {
            v.nonEmpty(holiday.name, "holidays[\(i)].name")
        }

        v.unique(specialSessions.map(\.date), path: { "special_sessions[\($0)].date" }, describe: { "special session on \($0)" })
        for (i, special) in specialSessions.enumerated() {
            let path = "special_sessions[\(i)]"
            v.nonEmpty(special.name, path + ".name")
            Self.validate(special.hours, at: path, &v)
            var previousEnd = special.normal.open
            for (j, pause) in (special.breaks ?? []).enumerated() {
                let breakPath = "\(path).breaks[\(j)]"
                if Self.validate(pause, at: breakPath, &v) {
                    v.check(pause.open > special.normal.open && pause.close < special.normal.close, breakPath,
                            "the break \(pause) must lie inside the session \(special.normal)", involving: [path + ".normal"])
                    v.check(pause.open >= previousEnd, breakPath, "breaks must be in time order and must not overlap")
                    previousEnd = pause.close
                }
            }
        }
    }

    /// Checks `open < close`; returns whether it holds.
    @discardableResult
    static func validate(_ window: Window, at path: String, _ v: inout ConfigValidator) -> Bool {
        let ok = window.open < window.close
        v.check(ok, path, "opens at \(window.open) but closes at \(window.close): the open must be before the close")
        return ok
    }

    static func validate(_ hours: SessionHours, at path: String, _ v: inout ConfigValidator) {
        let normalOK = validate(hours.normal, at: path + ".normal", &v)
        if let preOpen = hours.preOpen, validate(preOpen, at: path + ".pre_open", &v), normalOK {
            v.check(preOpen.close <= hours.normal.open, path + ".pre_open",
                    "pre-open \(preOpen) must end by the open (\(hours.normal.open))", involving: [path + ".normal"])
        }
        if let derivatives = hours.derivatives, validate(derivatives, at: path + ".derivatives", &v), normalOK {
            v.check(derivatives.open >= hours.normal.open, path + ".derivatives",
                    "derivatives cannot open (\(derivatives.open)) before the normal market (\(hours.normal.open))",
                    involving: [path + ".normal"])
        }
        if let auction = hours.closingAuction, validate(auction, at: path + ".closing_auction", &v), normalOK {
            v.check(auction.open >= hours.normal.open && auction.open <= hours.normal.close, path + ".closing_auction",
                    "the closing auction \(auction) must start inside the normal session \(hours.normal)",
                    involving: [path + ".normal"])
        }
        if let closing = hours.closingSession, validate(closing, at: path + ".closing_session", &v), normalOK {
            let after = hours.closingAuction.map { max($0.close, hours.normal.close) } ?? hours.normal.close
            v.check(closing.open >= after, path + ".closing_session",
                    "the closing session \(closing) must start at or after \(after)",
                    involving: [path + ".normal", path + ".closing_auction"])
        }
    }
}
