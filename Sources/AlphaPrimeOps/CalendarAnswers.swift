import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// The one-line answers `trading-calendar` and `health-check` give about a date, so a runbook and
/// a trader read the same words:
///
/// ```
/// 2026-01-27 normal session 09:15–15:30 IST
/// 2025-10-21 special session 13:45–14:45 IST: Muhurat trading (Samvat 2082); holiday: Diwali Laxmi Pujan (…)
/// 2026-01-26 is a holiday: Republic Day; next trading day 2026-01-27
/// 2026-01-24 is a weekend day (Saturday); next trading day 2026-01-27
/// ```
public enum CalendarAnswers {
    /// `2026-01-27 normal session 09:15–15:30 IST`, or for a special session its name (and the
    /// holiday or weekend it falls on).
    public static func sessionLine(_ session: TradingCalendar.Session) -> String {
        switch session.kind {
        case .normal:
            return "\(session.date) normal session \(session.hours.session) IST"
        case .special:
            var text = "\(session.date) special session \(session.hours.session) IST: \(session.name)"
            if let holiday = session.holidayName {
                text += "; holiday: \(holiday)"
            } else if session.date.isWeekend {
                text += "; on a \(session.date.weekdayName)"
            }
            return text
        }
    }

    /// `2026-01-26 is a holiday: Republic Day`, `2026-01-24 is a weekend day (Saturday)`.
    public static func closedLine(_ reason: TradingCalendar.NonTradingReason) -> String {
        switch reason {
        case .weekend(let date):
            return "\(date) is a weekend day (\(date.weekdayName))"
        case .holiday(let date, let name):
            let weekend = date.isWeekend && !name.contains(date.weekdayName) ? " (a \(date.weekdayName))" : ""
            return "\(date) is a holiday: \(name)\(weekend)"
        }
    }

    /// The answer for a date: whether it is a trading day, and the line to print (the session, or
    /// why not and the next trading day).
    public static func answer(for date: LocalDate, in calendar: TradingCalendar) -> (isTradingDay: Bool, line: String) {
        if let session = calendar.session(on: date) { return (true, sessionLine(session)) }
        let reason = calendar.nonTradingReason(on: date) ?? .weekend(date)
        return (false, "\(closedLine(reason)); next trading day \(calendar.nextTradingDay(after: date))")
    }

    /// The holidays configured for a year, in date order.
    public static func holidays(in year: Int, of calendar: TradingCalendar) -> [TradingCalendar.Holiday] {
        calendar.rules.holidays.filter { $0.date.year == year }.sorted { $0.date < $1.date }
    }
}

/// Health of the trading calendar: the year is covered, and what today is.
public enum CalendarHealth {
    /// - `[WARN]` when the current year (IST) has no holidays configured: every weekday would be
    ///   taken for a trading day. From December, also when next year has none yet.
    /// - `[INFO]` whether today is a trading day, with its session or the reason.
    public static func check(_ calendar: TradingCalendar, today: LocalDate = IST.today()) -> [HealthFinding] {
        var findings: [HealthFinding] = []
        let file = "config/\(TradingHoursConfig.fileName)"
        let count = CalendarAnswers.holidays(in: today.year, of: calendar).count
        if count == 0 {
            findings.append(.warning("calendar", "no holidays configured for \(today.year) in \(file): every weekday "
                                     + "would be taken for a trading day; add NSE's holiday list"))
        } else {
            findings.append(.ok("calendar", "\(count) holidays configured for \(today.year)"))
        }
        if today.month == 12, CalendarAnswers.holidays(in: today.year + 1, of: calendar).isEmpty {
            // NSE publishes next year's list in December: a reminder first, a warning in the last ten days.
            let text = "no holidays configured for \(today.year + 1) yet; add NSE's list to \(file) before January"
            findings.append(today.day >= 22 ? .warning("calendar", text) : .info("calendar", text))
        }
        let answer = CalendarAnswers.answer(for: today, in: calendar)
        findings.append(.info("today", answer.isTradingDay ? "a trading day: \(answer.line)" : "not a trading day: \(answer.line)"))
        return findings
    }
}
