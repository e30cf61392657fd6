import AlphaPrimeSupport
import Foundation

/// An instant seen on an Indian wall clock: the IST date and the second of that day.
///
/// Built from UTC epoch seconds with integer arithmetic only (IST is a fixed UTC+05:30, no
/// daylight saving), so it is cheap enough to call per event.
public struct ISTDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let date: LocalDate
    /// Seconds since IST midnight, 0 ..< 86_400.
    public let secondOfDay: Int

    public init(date: LocalDate, secondOfDay: Int) {
        precondition((0..<86_400).contains(secondOfDay), "secondOfDay out of range: \(secondOfDay)")
        self.date = date
        self.secondOfDay = secondOfDay
    }

    /// Minutes since IST midnight, rounded down.
    public var minuteOfDay: Int { secondOfDay / 60 }
    /// The wall-clock time to the minute (rounded down).
    public var time: TimeOfDay { TimeOfDay(minutes: minuteOfDay)! }
    public var second: Int { secondOfDay % 60 }

    /// The UTC epoch seconds of this wall-clock instant.
    public var epochSeconds: Int64 { IST.epochSeconds(date: date, secondOfDay: secondOfDay) }

    /// `2026-01-26 09:15:00 IST`
    public var description: String {
        let s = second
        return "\(date) \(time):\(s < 10 ? "0" : "")\(s) IST"
    }

    public static func < (a: ISTDateTime, b: ISTDateTime) -> Bool {
        (a.date, a.secondOfDay) < (b.date, b.secondOfDay)
    }
}

extension IST {
    /// The IST date and time of a UTC instant given in epoch seconds.
    @inlinable
    public static func dateTime(epochSeconds: Int64) -> ISTDateTime {
        let local = epochSeconds + offsetSeconds
        let day = CivilCalendar.floorDiv(local, 86_400)
        return ISTDateTime(date: LocalDate(daysSinceEpoch: Int(day)), secondOfDay: Int(local - day * 86_400))
    }

    /// The IST date and time of a UTC instant given in epoch milliseconds (sub-second part dropped).
    @inlinable
    public static func dateTime(epochMilliseconds: Int64) -> ISTDateTime {
        dateTime(epochSeconds: CivilCalendar.floorDiv(epochMilliseconds, 1_000))
    }

    /// The IST date and time of a `Date` (sub-second part dropped).
    public static func dateTime(_ date: Date) -> ISTDateTime {
        dateTime(epochSeconds: epochSeconds(date))
    }

    /// Whole UTC epoch seconds of a `Date`, rounded toward the past.
    public static func epochSeconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// The UTC epoch seconds of an IST wall-clock time on a date.
    @inlinable
    public static func epochSeconds(date: LocalDate, time: TimeOfDay) -> Int64 {
        epochSeconds(date: date, secondOfDay: time.minutes * 60)
    }

    /// The UTC epoch seconds of a second of an IST day.
    @inlinable
    public static func epochSeconds(date: LocalDate, secondOfDay: Int) -> Int64 {
        Int64(date.daysSinceEpoch) * 86_400 + Int64(secondOfDay) - offsetSeconds
    }

    /// Today's date in IST.
    public static func today(now: Date = Date()) -> LocalDate { dateTime(now).date }
}

extension LocalDate {
    /// `Monday` … `Sunday`.
    public var weekdayName: String {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][isoWeekday - 1]
    }
}
