import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Bars from one or more files, each with the file and line it came from. Times are bar starts,
/// UTC epoch seconds, after the importer applied the zone and label convention.
public struct TracedBars: Sendable {
    public var series: BarSeries
    /// 1-based source line of each bar.
    public var lines: [Int32]
    /// Index into ``files`` of each bar.
    public var fileIndex: [Int32]
    public var files: [String]

    public init(series: BarSeries, lines: [Int32], fileIndex: [Int32], files: [String]) {
        self.series = series
        self.lines = lines
        self.fileIndex = fileIndex
        self.files = files
    }

    init(_ bars: SourcedBars, file: String) {
        self.init(series: bars.series, lines: bars.lines,
                  fileIndex: [Int32](repeating: 0, count: bars.series.count), files: [file])
    }

    @inline(__always) func file(_ i: Int) -> String { files[Int(fileIndex[i])] }
    @inline(__always) func line(_ i: Int) -> Int { Int(lines[i]) }

    /// The bars whose `keep` flag is set, in order (the same storage when all are kept).
    func filtered(_ keep: [Bool]) -> TracedBars {
        let count = keep.reduce(0) { $0 + ($1 ? 1 : 0) }
        if count == keep.count { return self }
        var out = TracedBars(series: BarSeries(symbol: series.symbol, timeframeSeconds: series.timeframeSeconds, capacity: count),
                             lines: [], fileIndex: [], files: files)
        out.lines.reserveCapacity(count)
        out.fileIndex.reserveCapacity(count)
        for r in 0..<keep.count where keep[r] {
            out.series.append(series[r])
            out.lines.append(lines[r])
            out.fileIndex.append(fileIndex[r])
        }
        return out
    }
}

/// Checks bars against the rules every bar must follow and against the trading calendar, and
/// reports every problem with its file and line.
///
/// 1. Each bar on its own: prices positive, `low ≤ open, close ≤ high`, volume not negative.
/// 2. Against the calendar (when there is one): the bar's IST date is a trading day (a special
///    session such as Muhurat counts), its start lies inside the session `[open, close)` and on the
///    session's grid (`open + k × timeframe`; a daily bar starts at the open). With
///    ``dropsAuctionRows`` a row up to 30 minutes before the open is a pre-open row and a row up to
///    5 minutes after the close is a closing-price row: dropped and reported, not errors.
/// 3. Order: each bar starts after the one before (duplicates and earlier times are errors).
/// 4. Coverage: every trading day between the first and last bar has bars (a run of missing days
///    is one problem), and inside each session every grid slot has a bar (each missing stretch is
///    one problem, per day).
///
/// Steps 1–3 mark bad rows; ``validate(_:log:)`` removes them from the bars it returns.
public struct BarValidator: Sendable {
    public var calendar: TradingCalendar?
    public var timeframe: Timeframe
    /// Treat rows just before the open / just after the close as the known pre-open and closing
    /// rows of vendor files (import), rather than as bars outside the session (canonical files).
    public var dropsAuctionRows: Bool

    public static let preOpenWindowSeconds: Int64 = 30 * 60
    public static let closingWindowSeconds: Int64 = 5 * 60

    public init(calendar: TradingCalendar?, timeframe: Timeframe, dropsAuctionRows: Bool = false) {
        self.calendar = calendar
        self.timeframe = timeframe
        self.dropsAuctionRows = dropsAuctionRows
    }

    /// Validates `bars`, records every problem in `log`, and returns the bars that passed steps 1–3
    /// (gaps do not remove anything).
    public func validate(_ bars: TracedBars, log: inout ProblemLog) -> TracedBars {
        let kept = bars.filtered(markBadRows(bars, log: &log))
        if calendar != nil { reportGaps(kept, log: &log) }
        return kept
    }

    /// Steps 1–3: a flag per bar, false for a bar that must not be used.
    func markBadRows(_ bars: TracedBars, log: inout ProblemLog) -> [Bool] {
        let s = bars.series
        let n = s.count
        var keep = [Bool](repeating: true, count: n)
        var sessions = SessionCache(calendar: calendar)
        let tf = timeframe.seconds
        var last = Int64.min
        var lastIndex = -1
        var kept: [Int] = []
        kept.reserveCapacity(n)
        for i in 0..<n {
            let o = s.open[i], h = s.high[i], l = s.low[i], c = s.close[i], v = s.volume[i]
            if !BarChecks.isSound(open: o, high: h, low: l, close: c, volume: v) {
                for p in BarChecks.problems(open: o, high: h, low: l, close: c, volume: v) {
                    log.record(p.kind, file: bars.file(i), line: bars.line(i), p.message)
                }
                keep[i] = false
                continue
            }
            let t = s.time[i]
            if calendar != nil {
                let day = SessionCache.istDay(t)
                guard let session = sessions.session(day: day) else {
                    log.record(.nonTradingDay, file: bars.file(i), line: bars.line(i),
                               "bar at \(UTCText.ist(t)): \(sessions.reason(day: day))")
                    keep[i] = false
                    continue
                }
                if timeframe.isDaily {
                    if t != session.open {
                        log.record(.misalignedTime, file: bars.file(i), line: bars.line(i),
                                   "daily bar at \(UTCText.ist(t)) does not start at the session open \(UTCText.istTime(session.open))")
                        keep[i] = false
                        continue
                    }
                } else if t < session.open {
                    if dropsAuctionRows && t >= session.open - Self.preOpenWindowSeconds {
                        log.record(.preOpenRow, file: bars.file(i), line: bars.line(i),
                                   "row at \(UTCText.ist(t)) is before the open \(UTCText.istTime(session.open)): pre-open price, dropped")
                    } else {
                        log.record(.outsideSession, file: bars.file(i), line: bars.line(i),
                                   "bar at \(UTCText.ist(t)) starts before the session \(session.text)")
                    }
                    keep[i] = false
                    continue
                } else if t >= session.close {
                    if dropsAuctionRows && t < session.close + Self.closingWindowSeconds {
                        log.record(.closingRow, file: bars.file(i), line: bars.line(i),
                                   "row at \(UTCText.ist(t)) is after the close \(UTCText.istTime(session.close)): closing price, dropped")
                    } else {
                        log.record(.outsideSession, file: bars.file(i), line: bars.line(i),
                                   "bar at \(UTCText.ist(t)) starts after the session \(session.text) has closed")
                    }
                    keep[i] = false
                    continue
                } else if (t - session.open) % tf != 0 {
                    log.record(.misalignedTime, file: bars.file(i), line: bars.line(i),
                               "bar at \(UTCText.ist(t)) is not on the \(timeframe) grid from the open \(UTCText.istTime(session.open))")
                    keep[i] = false
                    continue
                }
            }
            if t <= last {
                // An earlier time that a kept bar already has is a repeat (overlapping files).
                var lo = 0, hi = kept.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if s.time[kept[mid]] < t { lo = mid + 1 } else { hi = mid }
                }
                if lo < kept.count && s.time[kept[lo]] == t {
                    let j = kept[lo]
                    log.record(.duplicateTimestamp, file: bars.file(i), line: bars.line(i),
                               "bar at \(UTCText.ist(t)) repeats \(bars.file(j) == bars.file(i) ? "line \(bars.line(j))" : "\(bars.file(j)):\(bars.line(j))")")
                } else {
                    log.record(.outOfOrder, file: bars.file(i), line: bars.line(i),
                               "bar at \(UTCText.ist(t)) comes after \(UTCText.ist(last)) (\(bars.file(lastIndex) == bars.file(i) ? "line \(bars.line(lastIndex))" : "\(bars.file(lastIndex)):\(bars.line(lastIndex))"))")
                }
                keep[i] = false
                continue
            }
            last = t
            lastIndex = i
            kept.append(i)
        }
        return keep
    }

    /// Step 4, over bars already in order and inside their sessions.
    func reportGaps(_ bars: TracedBars, log: inout ProblemLog) {
        guard let calendar, !bars.series.isEmpty else { return }
        let s = bars.series
        let n = s.count
        let tf = timeframe.seconds
        let firstDay = SessionCache.istDay(s.time[0])
        let lastDay = SessionCache.istDay(s.time[n - 1])
        var i = 0
        var present: [Bool] = []
        // Consecutive trading days without bars are one problem.
        var missing: [TradingCalendar.Session] = []
        func reportMissingDays() {
            guard let first = missing.first, let last = missing.last else { return }
            let anchor = i < n ? i : n - 1  // the row after the gap names where it was noticed
            let message = missing.count == 1
                ? "no bars on \(first.date) \(first.date.weekdayName), a trading day (\(first.name) \(first.hours.session) IST)"
                : "no bars on \(missing.count) trading days, \(first.date) \(first.date.weekdayName) … \(last.date) \(last.date.weekdayName)"
            log.record(.missingTradingDay, file: bars.file(anchor), line: bars.line(anchor), bars: missing.count, message)
            missing.removeAll()
        }
        for day in firstDay...lastDay {
            let dayEnd = (day + 1) * 86_400 - IST.offsetSeconds
            let from = i
            while i < n && s.time[i] < dayEnd { i += 1 }
            let date = LocalDate(daysSinceEpoch: Int(day))
            guard let session = calendar.session(on: date) else { continue }
            if from == i {
                missing.append(session)
                continue
            }
            reportMissingDays()
            if timeframe.isDaily { continue }
            let open = session.openEpochSeconds
            let slots = Int((session.closeEpochSeconds - open + tf - 1) / tf)
            present.removeAll(keepingCapacity: true)
            present.append(contentsOf: repeatElement(false, count: slots))
            for k in from..<i {
                let slot = Int((s.time[k] - open) / tf)
                if slot >= 0 && slot < slots { present[slot] = true }
            }
            var k = 0
            while k < slots {
                if present[k] { k += 1; continue }
                let runStart = k
                while k < slots && !present[k] { k += 1 }
                let startTime = open + Int64(runStart) * tf
                let endTime = min(open + Int64(k) * tf, session.closeEpochSeconds)
                // First bar at or after the end of the run, on that day; else the day's last bar.
                var after = from
                while after < i && s.time[after] < endTime { after += 1 }
                let at = after < i ? after : i - 1
                log.record(.missingBars, file: bars.file(at), line: bars.line(at), bars: k - runStart,
                           "\(date): \(k - runStart) \(timeframe) bar\(k - runStart == 1 ? "" : "s") missing \(UTCText.istTime(startTime))–\(UTCText.istTime(endTime)) IST")
            }
        }
        reportMissingDays()
    }
}

/// The session of each IST day, asked of the calendar once per day.
struct SessionCache {
    struct Hours {
        var open: Int64
        var close: Int64
        var text: String
    }

    let calendar: TradingCalendar?
    private var day: Int64 = .min
    private var hours: Hours?

    init(calendar: TradingCalendar?) { self.calendar = calendar }

    @inline(__always) static func istDay(_ epoch: Int64) -> Int64 { CivilCalendar.floorDiv(epoch + IST.offsetSeconds, 86_400) }

    mutating func session(day d: Int64) -> Hours? {
        if d != day {
            day = d
            hours = calendar?.session(on: LocalDate(daysSinceEpoch: Int(d))).map {
                Hours(open: $0.openEpochSeconds, close: $0.closeEpochSeconds,
                      text: "\($0.hours.session) IST\($0.kind == .special ? " (\($0.name))" : "")")
            }
        }
        return hours
    }

    func reason(day d: Int64) -> String {
        let date = LocalDate(daysSinceEpoch: Int(d))
        return calendar?.nonTradingReason(on: date)?.description ?? "\(date) has no session"
    }
}
