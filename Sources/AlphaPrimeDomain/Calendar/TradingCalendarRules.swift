import AlphaPrimeSupport

/// The plain values a ``TradingCalendar`` is built from. The configuration loader maps
/// `config/trading_hours.yaml` onto these; tests write them by hand.
extension TradingCalendar {
    /// A stretch of an IST day, `[open, close)`: trading is allowed at `open` and stops at `close`.
    public struct Window: Hashable, Sendable, CustomStringConvertible {
        public var open: TimeOfDay
        public var close: TimeOfDay

        public init(open: TimeOfDay, close: TimeOfDay) {
            self.open = open
            self.close = close
        }

        /// Whether the minute-of-day lies in `[open, close)`.
        @inlinable public func contains(minuteOfDay: Int) -> Bool {
            minuteOfDay >= open.minutes && minuteOfDay < close.minutes
        }

        /// Whether the second-of-day lies in `[open, close)`.
        @inlinable public func contains(secondOfDay: Int) -> Bool {
            secondOfDay >= open.minutes * 60 && secondOfDay < close.minutes * 60
        }

        public var durationMinutes: Int { close.minutes - open.minutes }

        /// `09:15–15:30`
        public var description: String { "\(open)–\(close)" }
    }

    /// The shape of an ordinary trading day: continuous trading plus the optional windows around it.
    public struct DayHours: Hashable, Sendable {
        /// Continuous trading (NSE "normal market"), e.g. 09:15–15:30.
        public var session: Window
        /// Pre-open order entry and matching, e.g. 09:00–09:08. Must end by `session.open`.
        public var preOpen: Window?
        /// A closing auction (call auction that sets the closing price), e.g. 15:15–15:35 from
        /// 2026-08-03. It may overlap continuous trading (derivatives keep trading through it).
        public var closingAuction: Window?
        /// The post-close session at the closing price (NSE "closing session"), e.g. 15:40–16:00.
        /// Must start at or after `session.close`.
        public var closingSession: Window?

        public init(session: Window, preOpen: Window? = nil, closingAuction: Window? = nil, closingSession: Window? = nil) {
            self.session = session
            self.preOpen = preOpen
            self.closingAuction = closingAuction
            self.closingSession = closingSession
        }
    }

    /// An exchange holiday: no normal session that date (a special session may still run).
    public struct Holiday: Hashable, Sendable {
        public var date: LocalDate
        public var name: String

        public init(date: LocalDate, name: String) {
            self.date = date
            self.name = name
        }
    }

    /// A session on a date outside the normal pattern: Muhurat trading on Diwali, a Saturday
    /// session on Budget day, a live disaster-recovery drill. On its date it **replaces** the
    /// normal session, and makes the date a trading day even when it is a holiday or a weekend.
    public struct SpecialSession: Hashable, Sendable {
        public var date: LocalDate
        public var name: String
        public var hours: DayHours

        public init(date: LocalDate, name: String, hours: DayHours) {
            self.date = date
            self.name = name
            self.hours = hours
        }

        public init(date: LocalDate, name: String, open: TimeOfDay, close: TimeOfDay, preOpen: Window? = nil) {
            self.init(date: date, name: name, hours: DayHours(session: Window(open: open, close: close), preOpen: preOpen))
        }
    }

    /// A dated change to the normal day, in force from `effectiveFrom` on (until a later change).
    /// A `nil` field keeps what was in force before; changes accumulate in date order.
    /// A change cannot remove a window, only set it.
    public struct SessionChange: Hashable, Sendable {
        public var effectiveFrom: LocalDate
        /// What the change is, for messages: "Closing auction session (SEBI)".
        public var name: String
        public var session: Window?
        public var preOpen: Window?
        public var closingAuction: Window?
        public var closingSession: Window?

        public init(
            effectiveFrom: LocalDate, name: String = "", session: Window? = nil, preOpen: Window? = nil,
            closingAuction: Window? = nil, closingSession: Window? = nil
        ) {
            self.effectiveFrom = effectiveFrom
            self.name = name
            self.session = session
            self.preOpen = preOpen
            self.closingAuction = closingAuction
            self.closingSession = closingSession
        }

        var changesSomething: Bool {
            session != nil || preOpen != nil || closingAuction != nil || closingSession != nil
        }

        func applied(to hours: DayHours) -> DayHours {
            var h = hours
            if let session { h.session = session }
            if let preOpen { h.preOpen = preOpen }
            if let closingAuction { h.closingAuction = closingAuction }
            if let closingSession { h.closingSession = closingSession }
            return h
        }
    }

    /// Everything the calendar knows. Lists rather than dictionaries so that a date given twice
    /// is reported instead of silently dropped.
    public struct Rules: Hashable, Sendable {
        /// The normal day before any ``SessionChange``.
        public var normal: DayHours
        public var holidays: [Holiday]
        public var specialSessions: [SpecialSession]
        public var sessionChanges: [SessionChange]

        public init(
            normal: DayHours, holidays: [Holiday] = [], specialSessions: [SpecialSession] = [],
            sessionChanges: [SessionChange] = []
        ) {
            self.normal = normal
            self.holidays = holidays
            self.specialSessions = specialSessions
            self.sessionChanges = sessionChanges
        }
    }
}
