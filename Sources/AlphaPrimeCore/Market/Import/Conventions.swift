import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// How a source file's timeframe, label convention and zone were settled, for the report.
public struct SourceConventions: Hashable, Sendable, Codable {
    public var timeframe: Timeframe
    /// `flag`, or what the detection saw.
    public var timeframeSource: String
    /// Nil for daily bars (a daily bar is its session).
    public var label: BarLabel?
    public var labelSource: String
    /// The zone applied to naive timestamps; nil when every timestamp carried its own offset or
    /// the zone did not matter (dates).
    public var zone: MarketZone?
    public var zoneSource: String
    /// The rows were newest first and were put in time order.
    public var newestFirst: Bool
}

/// Settles a file's conventions from flags or, where the data leaves no doubt, from the data
/// itself, then turns its timestamps into bar starts in UTC.
///
/// - Timeframe: the most common step between rows (dates only → `1d`).
/// - Zone of naive timestamps: the zone that puts at least 80% of rows within 30 minutes of that
///   day's session, while the other zone puts at most half of them there or leaves at least four
///   times as many rows outside (a file of one morning hour fits either zone: flag needed).
/// - Label: a bar stamped at the session open (09:15) can only be start-labelled, one stamped at the
///   close (15:30) only end-labelled. Days with the one and none with the other decide; both or
///   neither is ambiguous and needs `--label`.
struct ConventionResolver {
    var calendar: TradingCalendar
    var label: BarLabel?
    var zone: MarketZone?
    var timeframe: Timeframe?

    func resolve(_ raw: RawRows, log: inout ProblemLog) throws -> (SourcedBars, SourceConventions) {
        let file = raw.file
        let n = raw.count
        // Timeframe.
        let tf: Timeframe
        let tfSource: String
        let datesOnly = n > 0 && raw.kinds.allSatisfy { $0 == .dateOnly }
        if let timeframe {
            tf = timeframe; tfSource = "flag"
        } else if datesOnly {
            tf = .oneDay; tfSource = "detected: dates without times"
        } else if let step = Self.commonStep(raw.stamps) {
            guard let detected = Timeframe(seconds: step) else {
                throw MarketDataError.ambiguous(file: file, message: "the most common step between rows is \(step) s, not a timeframe of whole minutes: pass --timeframe")
            }
            tf = detected; tfSource = "detected: most common step between rows"
        } else {
            throw MarketDataError.ambiguous(file: file, message: "too few rows to tell the timeframe: pass --timeframe")
        }

        // Zone of naive timestamps.
        var z: MarketZone?
        var zoneSource = "not needed: every timestamp carries its offset"
        let naive = raw.kinds.contains(.naive)
        if datesOnly {
            zoneSource = "not needed: dates"
        } else if naive {
            if let zone {
                z = zone; zoneSource = "flag"
            } else {
                (z, zoneSource) = try detectZone(raw, tf: tf)
            }
        }

        // Bar starts before the label is applied.
        var times = [Int64](repeating: 0, count: n)
        var usable = [Bool](repeating: true, count: n)
        let offset = z?.offsetSeconds ?? 0
        for i in 0..<n {
            switch raw.kinds[i] {
            case .absolute: times[i] = raw.stamps[i]
            case .naive: times[i] = raw.stamps[i] - offset
            case .dateOnly:
                if tf.isDaily {
                    times[i] = dailyStart(day: CivilCalendar.floorDiv(raw.stamps[i], 86_400))
                } else {
                    log.record(.unparsable, file: file, line: Int(raw.lines[i]), "a date without a time among \(tf) bars")
                    usable[i] = false
                }
            }
        }

        // Label.
        var lab: BarLabel?
        var labelSource = "not needed: daily bars are their session"
        if tf.isDaily {
            for i in 0..<n where usable[i] && raw.kinds[i] != .dateOnly {
                times[i] = dailyStart(day: SessionCache.istDay(times[i]))
            }
        } else {
            if let label {
                lab = label; labelSource = "flag"
            } else {
                (lab, labelSource) = try detectLabel(times, usable: usable, file: file)
            }
            if lab == .end { for i in 0..<n { times[i] -= tf.seconds } }
        }

        var series = BarSeries(symbol: raw.sourceSymbol ?? "", timeframeSeconds: tf.seconds, capacity: n)
        var lines: [Int32] = []
        lines.reserveCapacity(n)
        for i in 0..<n where usable[i] {
            series.append(Bar(time: times[i], open: raw.open[i], high: raw.high[i], low: raw.low[i], close: raw.close[i], volume: raw.volume[i]))
            lines.append(raw.lines[i])
        }

        // Newest first?
        var ascending = 0, descending = 0
        for i in series.time.indices.dropFirst() {
            if series.time[i] > series.time[i - 1] { ascending += 1 } else if series.time[i] < series.time[i - 1] { descending += 1 }
        }
        let newestFirst = descending > ascending
        if newestFirst {
            series.time.reverse(); series.open.reverse(); series.high.reverse(); series.low.reverse()
            series.close.reverse(); series.volume.reverse(); lines.reverse()
        }
        let conventions = SourceConventions(timeframe: tf, timeframeSource: tfSource, label: lab, labelSource: labelSource,
                                            zone: z, zoneSource: zoneSource, newestFirst: newestFirst)
        return (SourcedBars(series: series, lines: lines), conventions)
    }

    /// A daily bar starts at its date's session open (the normal open when the date has no session,
    /// so the validator can name the closed day).
    func dailyStart(day: Int64) -> Int64 {
        let date = LocalDate(daysSinceEpoch: Int(day))
        if let s = calendar.session(on: date) { return s.openEpochSeconds }
        return IST.epochSeconds(date: date, time: calendar.normalHours(on: date).session.open)
    }

    /// The most common non-zero step between consecutive stamps (a day or more counts as a day).
    static func commonStep(_ stamps: [Int64]) -> Int64? {
        guard stamps.count >= 2 else { return nil }
        var tally: [Int64: Int] = [:]
        for i in 1..<min(stamps.count, 20_001) {
            let d = (stamps[i] - stamps[i - 1]).magnitude
            if d > 0 { tally[d >= 86_400 ? 86_400 : Int64(d), default: 0] += 1 }
        }
        return tally.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
    }

    private func detectZone(_ raw: RawRows, tf: Timeframe) throws -> (MarketZone, String) {
        var fit: [MarketZone: Int] = [:]
        var total = 0
        let stride = max(1, raw.count / 50_000)
        for z in MarketZone.allCases {
            var sessions = SessionCache(calendar: calendar)
            var hits = 0
            var seen = 0
            var i = 0
            while i < raw.count {
                defer { i += stride }
                guard raw.kinds[i] == .naive else { continue }
                seen += 1
                let t = raw.stamps[i] - z.offsetSeconds
                guard let s = sessions.session(day: SessionCache.istDay(t)) else { continue }
                let margin = BarValidator.preOpenWindowSeconds + (tf.isDaily ? 0 : tf.seconds)
                if t >= s.open - margin && t <= s.close + margin { hits += 1 }
            }
            fit[z] = hits
            total = seen
        }
        let ist = fit[.ist, default: 0], utc = fit[.utc, default: 0]
        let text = "\(ist) of \(total) rows fall in their session read as IST, \(utc) read as UTC"
        // One zone fits at least 80% of rows, and the other either fits at most half of them or
        // leaves at least four times as many rows far from any session.
        func wins(_ a: Int, over b: Int) -> Bool {
            guard total > 0, a * 5 >= total * 4 else { return false }
            let missA = total - a, missB = total - b
            return b * 2 <= total || (missB > 0 && missB >= 4 * missA)
        }
        if wins(ist, over: utc) { return (.ist, "detected: \(text)") }
        if wins(utc, over: ist) { return (.utc, "detected: \(text)") }
        if tf.isDaily && datesAgree(raw) { return (.ist, "not needed: dates are the same read as IST or UTC") }
        throw MarketDataError.ambiguous(file: raw.file, message: "cannot tell the zone of timestamps without an offset (\(text)): pass --zone ist|utc")
    }

    /// Whether every naive stamp falls on the same IST date read as IST or as UTC.
    private func datesAgree(_ raw: RawRows) -> Bool {
        for i in 0..<raw.count where raw.kinds[i] == .naive {
            let asIST = SessionCache.istDay(raw.stamps[i] - IST.offsetSeconds)
            let asUTC = SessionCache.istDay(raw.stamps[i])
            if asIST != asUTC { return false }
        }
        return true
    }

    private func detectLabel(_ times: [Int64], usable: [Bool], file: String) throws -> (BarLabel, String) {
        var sessions = SessionCache(calendar: calendar)
        var atOpen = 0, atClose = 0, days = 0
        var day = Int64.min
        var flags: UInt8 = 0
        func flush() {
            if day != .min {
                days += 1
                if flags & 1 != 0 { atOpen += 1 }
                if flags & 2 != 0 { atClose += 1 }
            }
        }
        for i in times.indices where usable[i] {
            let t = times[i]
            let d = SessionCache.istDay(t)
            if d != day {
                flush()
                day = d
                flags = 0
            }
            guard let s = sessions.session(day: d) else { continue }
            if t == s.open { flags |= 1 }
            if t == s.close { flags |= 2 }
        }
        flush()
        let text = "\(atOpen) of \(days) days have a bar stamped at the session open, \(atClose) at the close"
        if atOpen > 0 && atClose == 0 { return (.start, "detected: \(text)") }
        if atClose > 0 && atOpen == 0 { return (.end, "detected: \(text)") }
        throw MarketDataError.ambiguous(file: file, message: "cannot tell whether bars are stamped with their start or end (\(text)): pass --label start|end")
    }
}
