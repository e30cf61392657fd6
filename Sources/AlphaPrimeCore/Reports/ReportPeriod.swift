import AlphaPrimeSupport
import AlphaPrimeDomain

/// The days a trading report covers: one day, an ISO week (Monday to Sunday) or a calendar month,
/// named as its folder under `reports/` is: `daily/2021-02-22`, `weekly/2021-W08`, `monthly/2021-02`.
public struct ReportPeriod: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case daily, weekly, monthly
        /// Any run of days (the dashboard's performance page); never written as a report folder.
        case range
    }

    public var kind: Kind
    /// The first and last calendar day covered (IST), both included.
    public var first: LocalDate
    public var last: LocalDate
    /// `2021-02-22`, `2021-W08`, `2021-02`.
    public var label: String

    public static func daily(_ date: LocalDate) -> ReportPeriod {
        ReportPeriod(kind: .daily, first: date, last: date, label: date.description)
    }

    /// The ISO week holding `date`: Monday to Sunday, labelled by the ISO year and week number (the
    /// week of the year's first Thursday is week 1).
    public static func weekly(containing date: LocalDate) -> ReportPeriod {
        let monday = date.adding(days: 1 - date.isoWeekday)
        let thursday = monday.adding(days: 3)
        let january1 = LocalDate(year: thursday.year, month: 1, day: 1)!
        let week = (thursday.daysSinceEpoch - january1.daysSinceEpoch) / 7 + 1
        return ReportPeriod(kind: .weekly, first: monday, last: monday.adding(days: 6),
                            label: "\(thursday.year)-W\(week < 10 ? "0" : "")\(week)")
    }

    public static func monthly(year: Int, month: Int) -> ReportPeriod? {
        guard (1...12).contains(month), let first = LocalDate(year: year, month: month, day: 1) else { return nil }
        let last = LocalDate(year: year, month: month, day: LocalDate.daysInMonth(year: year, month: month))!
        return ReportPeriod(kind: .monthly, first: first, last: last, label: "\(year)-\(month < 10 ? "0" : "")\(month)")
    }

    /// The days from `first` through `last` (the same day: a one-day range).
    public static func range(_ first: LocalDate, _ last: LocalDate) -> ReportPeriod {
        ReportPeriod(kind: .range, first: min(first, last), last: max(first, last),
                     label: first == last ? first.description : "\(min(first, last))_\(max(first, last))")
    }

    /// `YYYY-MM` as a month, or nil.
    public static func monthly(_ text: String) -> ReportPeriod? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        return monthly(year: y, month: m)
    }

    /// The month before the one holding `date` (what the monthly runbook reports on).
    public static func previousMonth(of date: LocalDate) -> ReportPeriod {
        date.month == 1 ? monthly(year: date.year - 1, month: 12)! : monthly(year: date.year, month: date.month - 1)!
    }

    /// Every calendar day covered, in order.
    public var days: [LocalDate] {
        (0...(last.daysSinceEpoch - first.daysSinceEpoch)).map { first.adding(days: $0) }
    }

    /// The folder under the home: `reports/daily/2021-02-22`.
    public var folder: String { "reports/\(kind.rawValue)/\(label)" }

    /// From 00:00 IST of the first day to 00:00 IST of the day after the last, in UTC.
    public var from: UTCTimestamp { UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: first, secondOfDay: 0)) }
    public var before: UTCTimestamp { UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: last.adding(days: 1), secondOfDay: 0)) }

    /// `daily 2021-02-22`
    public var description: String { "\(kind.rawValue) \(label)" }
}
