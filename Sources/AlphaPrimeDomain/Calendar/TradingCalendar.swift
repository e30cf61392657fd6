import AlphaPrimeSupport

/// The one NSE trading calendar every tool asks: is a date a trading day, what are its session
/// hours, how long until the close.
///
/// Built from plain ``Rules`` (the configuration loader maps `config/trading_hours.yaml` onto
/// them). A date is a trading day when it has a special session, or else when it is a weekday
/// that is not a holiday. A special session replaces the normal session on its date, so a Muhurat
/// session on a Diwali holiday or a Saturday session makes that date a trading day for that
/// session only. Dated ``SessionChange``s change the normal day from their date on.
///
/// All answers are pure integer arithmetic on IST (UTC+05:30, no daylight saving); no Foundation
/// calendar is involved. In a hot loop ask ``session(on:)`` once per day and compare the bar's
/// epoch seconds with ``Session/openEpochSeconds`` and ``Session/closeEpochSeconds``.
public struct TradingCalendar: Sendable {
    public let rules: Rules

    /// Holiday names by `daysSinceEpoch`.
    private let holidayNames: [Int: String]
    /// Special sessions by `daysSinceEpoch`.
    private let specials: [Int: SpecialSession]
    /// The normal day in force from a date on (`daysSinceEpoch`), oldest first; the first era
    /// starts at `Int.min`.
    private let eras: [(from: Int, hours: DayHours)]

    /// Builds the calendar, or throws ``TradingCalendarError`` listing every problem in the rules.
    public init(rules: Rules) throws {
        let problems = rules.problems()
        guard problems.isEmpty else { throw TradingCalendarError(problems: problems) }
        self.rules = rules
        self.holidayNames = Dictionary(uniqueKeysWithValues: rules.holidays.map { ($0.date.daysSinceEpoch, $0.name) })
        self.specials = Dictionary(uniqueKeysWithValues: rules.specialSessions.map { ($0.date.daysSinceEpoch, $0) })
        var eras: [(from: Int, hours: DayHours)] = [(Int.min, rules.normal)]
        for change in rules.sessionChanges.sorted(by: { $0.effectiveFrom < $1.effectiveFrom }) {
            eras.append((change.effectiveFrom.daysSinceEpoch, change.applied(to: eras[eras.count - 1].hours)))
        }
        self.eras = eras
    }

    // MARK: Sessions

    public enum SessionKind: String, Hashable, Sendable {
        case normal, special
    }

    /// The session of one trading day, as IST wall-clock times and as UTC instants.
    public struct Session: Hashable, Sendable, CustomStringConvertible {
        public let date: LocalDate
        public let kind: SessionKind
        /// "Normal session", or the special session's name ("Muhurat Trading").
        public let name: String
        public let hours: DayHours
        /// The holiday this date also is, when a special session runs on it.
        public let holidayName: String?
        /// Continuous trading opens (UTC epoch seconds).
        public let openEpochSeconds: Int64
        /// Continuous trading closes (UTC epoch seconds); the session is `[open, close)`.
        public let closeEpochSeconds: Int64

        init(date: LocalDate, kind: SessionKind, name: String, hours: DayHours, holidayName: String?) {
            self.date = date
            self.kind = kind
            self.name = name
            self.hours = hours
            self.holidayName = holidayName
            self.openEpochSeconds = IST.epochSeconds(date: date, time: hours.session.open)
            self.closeEpochSeconds = IST.epochSeconds(date: date, time: hours.session.close)
        }

        public var open: TimeOfDay { hours.session.open }
        public var close: TimeOfDay { hours.session.close }
        public var preOpen: Window? { hours.preOpen }
        public var closingAuction: Window? { hours.closingAuction }
        public var closingSession: Window? { hours.closingSession }
        public var openEpochMilliseconds: Int64 { openEpochSeconds * 1_000 }
        public var closeEpochMilliseconds: Int64 { closeEpochSeconds * 1_000 }
        public var durationMinutes: Int { hours.session.durationMinutes }

        /// Whether a UTC instant lies in continuous trading, `[open, close)`.
        @inlinable public func contains(epochSeconds: Int64) -> Bool {
            epochSeconds >= openEpochSeconds && epochSeconds < closeEpochSeconds
        }

        /// `2025-10-21 Tuesday: Muhurat Trading 13:45–14:45 IST (pre-open 13:30–13:38; holiday: Diwali Laxmi Pujan)`
        public var description: String {
            var extras: [String] = []
            if let w = preOpen { extras.append("pre-open \(w)") }
            if let w = closingAuction { extras.append("closing auction \(w)") }
            if let w = closingSession { extras.append("closing session \(w)") }
            if let holidayName { extras.append("holiday: \(holidayName)") }
            let tail = extras.isEmpty ? "" : " (\(extras.joined(separator: "; ")))"
            return "\(date) \(date.weekdayName): \(name) \(hours.session) IST\(tail)"
        }
    }

    /// Why a date has no session.
    public enum NonTradingReason: Hashable, Sendable, CustomStringConvertible {
        /// A Saturday or Sunday with no special session.
        case weekend(LocalDate)
        /// An exchange holiday with no special session (it may also fall on a weekend).
        case holiday(LocalDate, name: String)

        public var description: String {
            switch self {
            case .weekend(let d):
                "\(d) is a \(d.weekdayName)"
            case .holiday(let d, let name):
                "\(d) is an exchange holiday: \(name)\(d.isWeekend ? " (a \(d.weekdayName))" : "")"
            }
        }
    }

    /// The session on a date, or nil when the exchange is closed all day.
    public func session(on date: LocalDate) -> Session? {
        let day = date.daysSinceEpoch
        if let special = specials[day] {
            return Session(date: date, kind: .special, name: special.name, hours: special.hours,
                           holidayName: holidayNames[day])
        }
        guard !date.isWeekend, holidayNames[day] == nil else { return nil }
        return Session(date: date, kind: .normal, name: "Normal session", hours: normalHours(on: date), holidayName: nil)
    }

    public func isTradingDay(_ date: LocalDate) -> Bool {
        let day = date.daysSinceEpoch
        return specials[day] != nil || (!date.isWeekend && holidayNames[day] == nil)
    }

    /// Why the exchange is closed on a date, or nil when it is a trading day.
    public func nonTradingReason(on date: LocalDate) -> NonTradingReason? {
        let day = date.daysSinceEpoch
        if specials[day] != nil { return nil }
        if let name = holidayNames[day] { return .holiday(date, name: name) }
        return date.isWeekend ? .weekend(date) : nil
    }

    /// The holiday name of a date, whether or not a special session runs on it.
    public func holidayName(on date: LocalDate) -> String? { holidayNames[date.daysSinceEpoch] }

    /// The special session on a date, if any.
    public func specialSession(on date: LocalDate) -> SpecialSession? { specials[date.daysSinceEpoch] }

    /// The normal day in force on a date (after every session change effective by then),
    /// whether or not the date is a trading day.
    public func normalHours(on date: LocalDate) -> DayHours {
        let day = date.daysSinceEpoch
        var i = eras.count - 1
        while eras[i].from > day { i -= 1 }
        return eras[i].hours
    }

    /// The first trading day strictly after a date.
    public func nextTradingDay(after date: LocalDate) -> LocalDate {
        // Terminates: holidays are finite, and every week has weekdays.
        var d = date.adding(days: 1)
        while !isTradingDay(d) { d = d.adding(days: 1) }
        return d
    }

    /// The last trading day strictly before a date.
    public func previousTradingDay(before date: LocalDate) -> LocalDate {
        var d = date.adding(days: -1)
        while !isTradingDay(d) { d = d.adding(days: -1) }
        return d
    }

    /// Trading days in `[from, through]`, oldest first; empty when `from > through`.
    public func tradingDays(from: LocalDate, through: LocalDate) -> [LocalDate] {
        let first = from.daysSinceEpoch, last = through.daysSinceEpoch
        guard first <= last else { return [] }
        var days: [LocalDate] = []
        days.reserveCapacity((last - first + 1) * 5 / 7 + 2)
        for day in first...last {
            let d = LocalDate(daysSinceEpoch: day)
            if isTradingDay(d) { days.append(d) }
        }
        return days
    }

    /// Whether the rules list any holiday in a year. A calendar without one for the year it is
    /// asked about treats every weekday as a trading day: tools should warn.
    public func hasHolidays(inYear year: Int) -> Bool {
        rules.holidays.contains { $0.date.year == year }
    }

    /// One line for a person: the session, or why there is none.
    /// `2026-01-26 Monday: closed (2026-01-26 is an exchange holiday: Republic Day)`
    public func explain(_ date: LocalDate) -> String {
        if let session = session(on: date) { return session.description }
        let reason = nonTradingReason(on: date).map(\.description) ?? "no session"
        return "\(date) \(date.weekdayName): closed (\(reason))"
    }
}
