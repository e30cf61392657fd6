import AlphaPrimeDomain
import ServiceLifecycle

/// `--market replay`: one day's bundled 1-minute bars of every instrument that has them, merged by
/// time (ties in instrument-list order), fed on a simulated clock that starts at 09:15 IST and runs
/// at `speed` × real time. Each bar goes through the same matching as a posted bar (the `bar`
/// phase) when the clock reaches its start.
struct ReplayMarket: Service {
    let date: LocalDate
    let speed: Double
    let state: KiteSimState
    /// (instrument, bar), in the order they are fed.
    let bars: [(instrument: Int, bar: Bar)]

    init(date: LocalDate, speed: Double, instruments: SimInstrumentList, bars files: BarFiles, state: KiteSimState) throws {
        self.date = date
        self.speed = speed
        self.state = state
        var merged: [(instrument: Int, bar: Bar)] = []
        for (index, instrument) in instruments.instruments.enumerated() {
            let day = try files.day(symbol: instrument.dataFolder, date: date)
            for i in 0..<day.count { merged.append((index, day[i])) }
        }
        // A stable sort keeps the instrument order within a minute.
        bars = merged.enumerated().sorted { ($0.element.bar.time, $0.offset) < ($1.element.bar.time, $1.offset) }.map(\.element)
    }

    /// 09:15 IST of the day.
    var start: Int64 { IST.epochSeconds(date: date, secondOfDay: (9 * 60 + 15) * 60) }

    func run() async throws {
        let origin = ContinuousClock.now
        state.setReplayOrigin(wall: origin, market: start, speed: speed)
        for (instrument, bar) in bars {
            let due = origin + .milliseconds(Int64((Double(bar.time - start) * 1000 / speed).rounded(.up)))
            if due > .now {
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(until: due, clock: .continuous) }
                } catch {
                    return
                }
            }
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            state.replay(bar, instrument: instrument)
        }
        // The day is over; the server stays up until it is stopped.
        try? await gracefulShutdown()
    }
}

extension KiteSimState {
    func setReplayOrigin(wall: ContinuousClock.Instant, market: Int64, speed: Double) {
        try? withState { s in s.replayOrigin = (wall, market, speed) }
    }

    /// One replayed bar: the market's time moves to it, then the `bar` phase.
    func replay(_ bar: Bar, instrument: Int) {
        try? withState { s in
            s.marketTime = bar.time
            _ = s.exchange.marketBar(bar, instrument: instrument)
        }
    }
}
