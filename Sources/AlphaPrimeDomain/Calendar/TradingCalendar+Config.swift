import AlphaPrimeSupport

extension TradingCalendar {
    /// The calendar of `config/trading_hours.yaml`.
    ///
    /// The calendar's session is the cash market's normal window (the one index values come from);
    /// a change that only moves the derivatives window does not change it. Weekly offs other than
    /// Saturday and Sunday are refused: NSE trades Monday to Friday.
    public init(config: TradingHoursConfig) throws {
        let weekend: Set<TradingHoursConfig.Weekday> = [.saturday, .sunday]
        guard Set(config.weeklyOff) == weekend else {
            throw TradingCalendarError(problems: [.init(
                location: .normalHours, date: nil,
                message: "weekly_off must be [saturday, sunday]; got \(config.weeklyOff.map(\.rawValue))")])
        }
        func window(_ w: TradingHoursConfig.Window?) -> Window? { w.map { Window(open: $0.open, close: $0.close) } }
        let normal = DayHours(session: Window(open: config.sessions.normal.open, close: config.sessions.normal.close),
                              preOpen: window(config.sessions.preOpen),
                              closingAuction: window(config.sessions.closingAuction),
                              closingSession: window(config.sessions.closingSession))
        let changes = config.sessionChanges.compactMap { change -> SessionChange? in
            let mapped = SessionChange(effectiveFrom: change.effectiveFrom, name: change.name, session: window(change.normal),
                                       preOpen: window(change.preOpen), closingAuction: window(change.closingAuction),
                                       closingSession: window(change.closingSession))
            return mapped.changesSomething ? mapped : nil
        }
        let specials = config.specialSessions.map { special in
            SpecialSession(date: special.date, name: special.name,
                           hours: DayHours(session: Window(open: special.normal.open, close: special.normal.close),
                                           preOpen: window(special.preOpen), closingSession: window(special.closingSession)))
        }
        try self.init(rules: Rules(normal: normal, holidays: config.holidays.map { Holiday(date: $0.date, name: $0.name) },
                                   specialSessions: specials, sessionChanges: changes))
    }
}
