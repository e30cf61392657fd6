import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

@Suite struct BarResamplerTests {
    let calendar = MarketDataFixtures.calendar
    func at(_ d: String, _ t: String) -> Int64 { MarketDataFixtures.at(d, t) }

    func minuteBars(_ name: String = "NIFTY50_2021-02-23_24.txt") throws -> BarSeries {
        try MarketDataImporter.importFiles([MarketDataFixtures.url(name)],
                                           options: ImportOptions(format: .headerless, symbol: "NIFTY50", policy: .skip),
                                           calendar: calendar).bars
    }

    /// Each output bar is exactly first open, max high, min low, last close and summed volume of the
    /// input bars that start inside it.
    func expectAggregates(_ input: BarSeries, _ output: BarSeries, width: Int64) {
        for k in 0..<output.count {
            let start = output.time[k]
            let end = k + 1 < output.count ? min(output.time[k + 1], start + width) : start + width
            let members = input.slice(from: start, to: end)
            #expect(!members.isEmpty)
            #expect(output.open[k] == members.open.first)
            #expect(output.high[k] == members.high.max())
            #expect(output.low[k] == members.low.min())
            #expect(output.close[k] == members.close.last)
            #expect(output.volume[k] == members.volume.reduce(0, +))
        }
        #expect(output.count > 0)
    }

    @Test func fiveMinuteBarsStartAtTheOpenAndAggregateExactly() throws {
        let m1 = try minuteBars()
        let m5 = try BarResampler.resample(m1, to: .fiveMinutes, calendar: calendar)
        #expect(m5.timeframeSeconds == 300)
        #expect(m5.symbol == "NIFTY50")
        let day = m5.slice(from: at("2021-02-23", "00:00"), to: at("2021-02-24", "00:00"))
        #expect(day.count == 75)
        #expect(day.time[0] == at("2021-02-23", "09:15"))
        #expect(day.time[1] == at("2021-02-23", "09:20"))
        #expect(day.time.last == at("2021-02-23", "15:25"))
        // The first 5m bar of 2021-02-23 from the 1m rows stamped 09:16 … 09:20.
        #expect(day[0].open == 1_478_235)
        expectAggregates(m1, m5, width: 300)
        // The outage day: 09:15 … 10:05 only.
        #expect(m5.time.last == at("2021-02-24", "10:05"))
    }

    @Test func fifteenAndSixtyMinuteBarsAreSessionAnchored() throws {
        let m1 = try minuteBars()
        let m15 = try BarResampler.resample(m1, to: .fifteenMinutes, calendar: calendar)
        expectAggregates(m1, m15, width: 900)
        #expect(m15.slice(from: at("2021-02-23", "00:00"), to: at("2021-02-24", "00:00")).count == 25)

        let m60 = try BarResampler.resample(m1, to: .sixtyMinutes, calendar: calendar)
        expectAggregates(m1, m60, width: 3_600)
        let day = m60.slice(from: at("2021-02-23", "00:00"), to: at("2021-02-24", "00:00"))
        #expect(day.time == ["09:15", "10:15", "11:15", "12:15", "13:15", "14:15", "15:15"].map { at("2021-02-23", $0) })
        // The last hour is partial: 15:15–15:30, 15 one-minute bars.
        let last = m1.slice(from: at("2021-02-23", "15:15"), to: at("2021-02-23", "15:30"))
        #expect(last.count == 15)
        #expect(day.close.last == last.close.last)
    }

    @Test func dailyBarIsTheSession() throws {
        let m1 = try minuteBars()
        let d1 = try BarResampler.resample(m1, to: .oneDay, calendar: calendar)
        #expect(d1.count == 2)
        #expect(d1.time == [at("2021-02-23", "09:15"), at("2021-02-24", "09:15")])
        let first = m1.slice(from: at("2021-02-23", "00:00"), to: at("2021-02-24", "00:00"))
        #expect(d1[0] == Bar(time: at("2021-02-23", "09:15"), open: first.open[0], high: first.high.max()!,
                             low: first.low.min()!, close: first.close.last!, volume: 0))
    }

    @Test func muhuratHourIsAnchoredAtItsOwnOpen() throws {
        let m1 = try minuteBars("NIFTY50_2021-11-04_muhurat.txt")
        let m60 = try BarResampler.resample(m1, to: .sixtyMinutes, calendar: calendar)
        #expect(m60.time == [at("2021-11-04", "18:15")])
        expectAggregates(m1, m60, width: 3_600)
    }

    @Test func fiveMinuteEquityBarsToFifteenSumVolume() throws {
        let m5 = try MarketDataImporter.importFiles([MarketDataFixtures.url("RELIANCE_5minute_2025-10-20_21.csv")],
                                                    options: ImportOptions(format: .iso, symbol: "RELIANCE"), calendar: calendar).bars
        let m15 = try BarResampler.resample(m5, to: .fifteenMinutes, calendar: calendar)
        expectAggregates(m5, m15, width: 900)
        #expect(m15.volume.reduce(0, +) == m5.volume.reduce(0, +))
        #expect(m15.slice(from: at("2025-10-21", "00:00"), to: at("2025-10-22", "00:00")).time
                == ["13:45", "14:00", "14:15", "14:30"].map { at("2025-10-21", $0) })
    }

    @Test func refusesWhatCannotBeResampled() throws {
        let m5 = try BarResampler.resample(try minuteBars(), to: .fiveMinutes, calendar: calendar)
        #expect(throws: MarketDataError.self) { try BarResampler.resample(m5, to: .fiveMinutes, calendar: calendar) }
        #expect(throws: MarketDataError.self) { try BarResampler.resample(m5, to: Timeframe("7m")!, calendar: calendar) }
        var outside = BarSeries(symbol: "X", timeframeSeconds: 60)
        outside.append(Bar(time: at("2021-02-23", "15:45"), open: 1, high: 1, low: 1, close: 1))
        #expect {
            try BarResampler.resample(outside, to: .fiveMinutes, calendar: calendar)
        } throws: { error in
            "\(error)" == "cannot resample: bar 1 at 2021-02-23 15:45 IST is outside the trading session: verify the file first"
        }
    }
}
