import AlphaPrimeDomain
import AlphaPrimeOps

// The JSON shapes of `trading-calendar --json` and how instants are written in them.

extension TradingCalendarCommand {
    /// A day as JSON: whether it trades, its session or why not.
    struct DayJSON: Encodable {
        let date: String
        let weekday: String
        let tradingDay: Bool
        let session: SessionJSON?
        /// `holiday` or `weekend` when the exchange is closed.
        let closed: String?
        let holiday: String?
        let nextTradingDay: String?
        let text: String

        init(_ date: LocalDate, _ calendar: TradingCalendar) {
            let answer = CalendarAnswers.answer(for: date, in: calendar)
            self.date = date.description
            weekday = date.weekdayName
            tradingDay = answer.isTradingDay
            session = calendar.session(on: date).map(SessionJSON.init)
            switch calendar.nonTradingReason(on: date) {
            case .holiday?: closed = "holiday"
            case .weekend?: closed = "weekend"
            case nil: closed = nil
            }
            holiday = calendar.holidayName(on: date)
            nextTradingDay = answer.isTradingDay ? nil : calendar.nextTradingDay(after: date).description
            text = answer.line
        }

        enum CodingKeys: String, CodingKey {
            case date, weekday, tradingDay = "trading_day", session, closed, holiday
            case nextTradingDay = "next_trading_day", text
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(date, forKey: .date)
            try c.encode(weekday, forKey: .weekday)
            try c.encode(tradingDay, forKey: .tradingDay)
            try c.encode(session, forKey: .session)
            try c.encode(closed, forKey: .closed)
            try c.encode(holiday, forKey: .holiday)
            try c.encode(nextTradingDay, forKey: .nextTradingDay)
            try c.encode(text, forKey: .text)
        }
    }

    struct WindowJSON: Encodable {
        let open: String
        let close: String
        init(_ w: TradingCalendar.Window) { open = w.open.description; close = w.close.description }
    }

    struct SessionJSON: Encodable {
        let date: String
        let kind: String
        let name: String
        let open: String
        let close: String
        let openUTC: String
        let closeUTC: String
        let preOpen: WindowJSON?
        let closingAuction: WindowJSON?
        let closingSession: WindowJSON?
        let holiday: String?

        init(_ s: TradingCalendar.Session) {
            date = s.date.description
            kind = s.kind.rawValue
            name = s.name
            open = s.open.description
            close = s.close.description
            openUTC = CommandLineInstant.utcText(s.openEpochSeconds)
            closeUTC = CommandLineInstant.utcText(s.closeEpochSeconds)
            preOpen = s.preOpen.map(WindowJSON.init)
            closingAuction = s.closingAuction.map(WindowJSON.init)
            closingSession = s.closingSession.map(WindowJSON.init)
            holiday = s.holidayName
        }

        enum CodingKeys: String, CodingKey {
            case date, kind, name, open, close, openUTC = "open_utc", closeUTC = "close_utc", preOpen = "pre_open"
            case closingAuction = "closing_auction", closingSession = "closing_session", holiday
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(date, forKey: .date)
            try c.encode(kind, forKey: .kind)
            try c.encode(name, forKey: .name)
            try c.encode(open, forKey: .open)
            try c.encode(close, forKey: .close)
            try c.encode(openUTC, forKey: .openUTC)
            try c.encode(closeUTC, forKey: .closeUTC)
            try c.encode(preOpen, forKey: .preOpen)
            try c.encode(closingAuction, forKey: .closingAuction)
            try c.encode(closingSession, forKey: .closingSession)
            try c.encode(holiday, forKey: .holiday)
        }
    }
}

/// Instants as `trading-calendar` prints them (the `--at` text is read by `IST.epochSeconds(iso8601:)`).
enum CommandLineInstant {
    /// `2026-01-27T15:00:00+05:30`.
    static func istText(_ epochSeconds: Int64) -> String {
        let local = IST.dateTime(epochSeconds: epochSeconds)
        return "\(local.date)T\(local.time):\(local.second < 10 ? "0" : "")\(local.second)+05:30"
    }

    /// `2026-01-27T09:30:00Z`.
    static func utcText(_ epochSeconds: Int64) -> String {
        let days = Int(CivilCalendar.floorDiv(epochSeconds, 86_400))
        let second = Int(epochSeconds - Int64(days) * 86_400)
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(LocalDate(daysSinceEpoch: days))T\(pad(second / 3_600)):\(pad(second / 60 % 60)):\(pad(second % 60))Z"
    }
}
