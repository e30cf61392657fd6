import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Calendar-month and calendar-year returns of a day-end equity curve (IST dates).
///
/// A month's return is its last day-end equity / the last day-end equity before the month − 1
/// (the starting capital for the first month); a year's return likewise. Months without a trading
/// day in the curve are absent.
public struct MonthlyReturns: Sendable, Equatable {
    public struct Year: Sendable, Equatable {
        public var year: Int
        /// Index 0 = January … 11 = December; nil when the curve has no day in that month.
        public var months: [Double?]
        /// Return over the part of the year the curve covers.
        public var total: Double
    }

    /// Oldest first.
    public var years: [Year]

    public init(startingCapital: Int64, days: [DailyEquity]) {
        years = []
        var previousMonthEnd = startingCapital, previousYearEnd = startingCapital
        var i = 0
        while i < days.count {
            let year = days[i].date.year, month = days[i].date.month
            var j = i
            while j + 1 < days.count, days[j + 1].date.year == year, days[j + 1].date.month == month { j += 1 }
            let monthEnd = days[j].equity
            if years.last?.year != year {
                years.append(Year(year: year, months: Array(repeating: nil, count: 12), total: 0))
            }
            years[years.count - 1].months[month - 1] = Double(monthEnd) / Double(previousMonthEnd) - 1
            years[years.count - 1].total = Double(monthEnd) / Double(previousYearEnd) - 1
            previousMonthEnd = monthEnd
            if j + 1 == days.count || days[j + 1].date.year != year { previousYearEnd = monthEnd }
            i = j + 1
        }
    }
}
