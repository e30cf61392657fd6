import AlphaPrimeDomain

/// The candle intervals of Kite's historical API (`GET /instruments/historical/:token/:interval`)
/// and how many days one request may span at each.
public enum KiteHistoricalInterval: String, CaseIterable, Sendable, CustomStringConvertible {
    case minute
    case threeMinute = "3minute"
    case fiveMinute = "5minute"
    case tenMinute = "10minute"
    case fifteenMinute = "15minute"
    case thirtyMinute = "30minute"
    case sixtyMinute = "60minute"
    case day

    /// The most calendar days, counted inclusively from the first to the last, that one request
    /// may cover (Kite answers a longer range with an InputException): minute 60; 3, 5 and 10
    /// minutes 100; 15 and 30 minutes 200; 60 minutes 400; day 2000.
    public var maximumDays: Int {
        switch self {
        case .minute: 60
        case .threeMinute, .fiveMinute, .tenMinute: 100
        case .fifteenMinute, .thirtyMinute: 200
        case .sixtyMinute: 400
        case .day: 2000
        }
    }

    /// The bars' length, and the folder they are filed under (`1m`, `5m`, `1d`).
    public var timeframe: Timeframe {
        switch self {
        case .minute: .oneMinute
        case .threeMinute: Timeframe(seconds: 180)!
        case .fiveMinute: .fiveMinutes
        case .tenMinute: Timeframe(seconds: 600)!
        case .fifteenMinute: .fifteenMinutes
        case .thirtyMinute: Timeframe(seconds: 1_800)!
        case .sixtyMinute: .sixtyMinutes
        case .day: .oneDay
        }
    }

    /// Kite's name (`minute`, `5minute`, `day`).
    public var description: String { rawValue }

    /// Splits the trading days to fetch into requests, oldest first.
    ///
    /// `tradingDays` are the trading days of the range asked for, in order; `missing` the ones to
    /// fetch (the others are already stored). A request covers consecutive missing trading days
    /// only, so a day already stored is never fetched again, and spans at most ``maximumDays``
    /// calendar days from its first day to its last.
    public func requests(tradingDays: [LocalDate], missing: Set<LocalDate>) -> [KiteHistoricalRequest] {
        var out: [KiteHistoricalRequest] = []
        var current: KiteHistoricalRequest?
        for day in tradingDays {
            guard missing.contains(day) else {
                if let open = current { out.append(open); current = nil }
                continue
            }
            if var open = current, day.daysSinceEpoch - open.first.daysSinceEpoch + 1 <= maximumDays {
                open.last = day
                open.tradingDays += 1
                current = open
            } else {
                if let open = current { out.append(open) }
                current = KiteHistoricalRequest(first: day, last: day, tradingDays: 1)
            }
        }
        if let open = current { out.append(open) }
        return out
    }
}

/// One historical request: the trading days from `first` to `last` (IST dates), asked for from
/// 00:00:00 of the first to 23:59:59 of the last.
public struct KiteHistoricalRequest: Sendable, Hashable, CustomStringConvertible {
    public var first: LocalDate
    public var last: LocalDate
    /// Trading days it covers.
    public var tradingDays: Int

    public init(first: LocalDate, last: LocalDate, tradingDays: Int) {
        self.first = first
        self.last = last
        self.tradingDays = tradingDays
    }

    public var from: ISTDateTime { ISTDateTime(date: first, secondOfDay: 0) }
    public var to: ISTDateTime { ISTDateTime(date: last, secondOfDay: 86_399) }
    /// Calendar days from the first to the last, both counted.
    public var calendarDays: Int { last.daysSinceEpoch - first.daysSinceEpoch + 1 }

    public var description: String { first == last ? "\(first)" : "\(first) … \(last)" }
}
