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

/// The fixture written by scripts/reference/make_metrics_reference.py: equity curves and what
/// empyrical-reloaded computes from their daily returns.
struct EmpyricalReference: Decodable {
    struct Case: Decodable {
        var name: String
        var startingCapitalPaise: Int64
        var riskFreeAnnual: Double
        var riskFreeDaily: Double
        var expected: [String: Value]
        var equityPaise: [Int64]
    }

    /// A number, or NaN / ±∞ written as a string.
    struct Value: Decodable {
        var double: Double
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) { double = d; return }
            switch try c.decode(String.self) {
            case "NaN": double = .nan
            case "Infinity": double = .infinity
            case "-Infinity": double = -.infinity
            case let other: throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a number: \(other)")
            }
        }
    }

    var versions: [String: String?]
    var metrics: [String]
    var cases: [Case]

    static func load() throws -> EmpyricalReference {
        let url = try #require(Bundle.module.url(forResource: "empyrical_reference", withExtension: "json", subdirectory: "Fixtures/metrics"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(EmpyricalReference.self, from: Data(contentsOf: url))
    }
}

extension EmpyricalReference.Case {
    /// Day-end equity on consecutive weekdays (the dates do not enter the return statistics).
    var dailyEquity: [DailyEquity] {
        var date = LocalDate(year: 2021, month: 1, day: 4)!
        return equityPaise.map { e in
            defer { repeat { date = date.adding(days: 1) } while date.isWeekend }
            return DailyEquity(date: date, equity: e, realizedPnL: 0, charges: 0)
        }
    }

    func metrics() -> PerformanceMetrics {
        PerformanceMetrics(dailyEquity: dailyEquity, startingCapital: startingCapitalPaise, trades: [],
                           riskFreeRateAnnual: riskFreeAnnual)
    }
}

/// Relative difference, with NaN = NaN and equal infinities equal; +∞ when one is NaN and not the other.
func relativeError(_ a: Double, _ b: Double) -> Double {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : .infinity }
    if a == b { return 0 }
    if a.isInfinite || b.isInfinite { return .infinity }
    return abs(a - b) / max(abs(a), abs(b))
}

@Suite struct MetricsReferenceTests {
    static let tolerance = 1e-9

    @Test func theFixtureCoversEveryMetricAndSeveralCurves() throws {
        let reference = try EmpyricalReference.load()
        #expect(reference.cases.count >= 8)
        #expect(Set(reference.metrics) == ["cum_returns_final", "annual_return", "annual_volatility", "sharpe_ratio",
                                           "sortino_ratio", "calmar_ratio", "max_drawdown"])
        #expect(reference.versions["empyrical-reloaded"] != nil)
    }

    @Test func metricsAgreeWithEmpyrical() throws {
        let reference = try EmpyricalReference.load()
        var worst: [String: Double] = [:]
        for c in reference.cases {
            let m = c.metrics()
            let ours: [String: Double] = [
                "cum_returns_final": m.totalReturn, "annual_return": m.annualReturn,
                "annual_volatility": m.annualVolatility, "sharpe_ratio": m.sharpeRatio,
                "sortino_ratio": m.sortinoRatio, "calmar_ratio": m.calmarRatio, "max_drawdown": m.maxDrawdown,
            ]
            #expect(m.riskFreeRateDaily == c.riskFreeDaily, "\(c.name): daily risk-free rate")
            for name in reference.metrics {
                let expected = try #require(c.expected[name]).double
                let actual = try #require(ours[name])
                let error = relativeError(actual, expected)
                worst[name] = max(worst[name] ?? 0, error)
                #expect(error <= Self.tolerance, "\(c.name): \(name) = \(actual), empyrical \(expected)")
            }
        }
        // The measured agreement, for the record (swift test prints it).
        for name in reference.metrics.sorted() {
            print("empyrical agreement \(name): max relative error \(worst[name] ?? .nan)")
        }
    }

    /// The return-series functions on their own (the product of rounded returns, the drawdown from
    /// compounded returns) agree too.
    @Test func returnStatisticsFromReturnsAgreeWithEmpyrical() throws {
        let reference = try EmpyricalReference.load()
        for c in reference.cases {
            let r = ReturnStatistics.dailyReturns(startingCapital: c.startingCapitalPaise, equity: c.equityPaise)
            let pairs: [(String, Double)] = [
                ("cum_returns_final", ReturnStatistics.cumulativeReturn(r)),
                ("annual_return", ReturnStatistics.annualReturn(r)),
                ("max_drawdown", ReturnStatistics.maxDrawdown(r)),
            ]
            for (name, actual) in pairs {
                let expected = try #require(c.expected[name]).double
                #expect(relativeError(actual, expected) <= Self.tolerance, "\(c.name): \(name) = \(actual), empyrical \(expected)")
            }
        }
    }
}
