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

let niftyInstrument = Instrument(symbol: "NIFTY 50", lotSize: 65, tickSize: 5, freezeQuantity: 1800)
let bankNiftyInstrument = Instrument(symbol: "BANKNIFTY", lotSize: 30, tickSize: 5, freezeQuantity: 900)
let indexInstruments = [niftyInstrument, bankNiftyInstrument]

/// ₹10,00,000 in paise.
let tenLakh: Int64 = 100_000_000

/// UTC epoch seconds of an IST wall-clock time: `ist("2021-03-01", "10:00")`.
func ist(_ date: String, _ time: String) -> Int64 {
    IST.epochSeconds(date: LocalDate(date)!, time: TimeOfDay(time)!)
}

/// A risk manager with only the rules `configure` switches on (sizing: one lot unless set).
func riskManager(vix: [LocalDate: Double]? = nil, _ configure: (inout RiskRules) -> Void = { _ in }) -> RiskManager {
    var rules = RiskRules()
    configure(&rules)
    var lookup: RiskManager.VIXLookup?
    if let table = vix { lookup = { date in table[date] } }
    var manager = RiskManager(rules: rules, symbolNames: indexInstruments.map(\.symbol), indiaVIX: lookup)
    manager.begin(startingCapital: tenLakh)
    return manager
}

/// The account and the NIFTY position at 10:00 IST on 2021-03-01, ₹10,00,000 flat, NIFTY at ₹15,000.
func riskContext(time: Int64 = ist("2021-03-01", "10:00"), equity: Int64 = tenLakh, dayStart: Int64? = nil,
                 peak: Int64? = nil, startingCapital: Int64 = tenLakh, openPositions: Int = 0, pending: Int = 0,
                 position: Int64 = 0, netPosition: Int64? = nil, lastPrice: Int64 = 1_500_000, lotSize: Int64 = 65,
                 minutesSinceOpen: Int = -1, minutesToClose: Int = -1, positionsBySymbol: [Int] = [0, 0],
                 netPositions: [Int64]? = nil, lastPrices: [Int64] = [1_500_000, 3_500_000],
                 product: ProductType = .mis) -> RiskContext {
    RiskContext(time: time, equity: equity, cash: equity, startingCapital: startingCapital, dayStartEquity: dayStart ?? equity,
                peakEquity: peak ?? max(equity, startingCapital), openPositions: openPositions, position: position,
                netPosition: netPosition ?? position, lastPrice: lastPrice, lotSize: lotSize, minutesSinceOpen: minutesSinceOpen,
                minutesToClose: minutesToClose, pendingEntries: pending, positionsBySymbol: positionsBySymbol,
                netPositions: netPositions ?? [netPosition ?? position, 0], lastPrices: lastPrices, product: product)
}

func buy(_ symbol: SymbolID = 0, stop: Int64 = 0, quantity: Int64 = 0) -> Signal {
    Signal(symbol: symbol, side: .buy, intent: .enter, quantity: quantity, stopLoss: stop)
}

func sell(_ symbol: SymbolID = 0, stop: Int64 = 0, quantity: Int64 = 0) -> Signal {
    Signal(symbol: symbol, side: .sell, intent: .enter, quantity: quantity, stopLoss: stop)
}

extension RiskDecision {
    var rule: String? { rejection?.rule }
}

/// One-minute bars of a real-data slice in `Fixtures/risk/`: the headerless
/// `symbol,YYYYMMDD,HH:MM,o,h,l,c,v,oi` files, labelled by their end minute in IST. Kept: the
/// session's bars (ends 09:16–15:30), relabelled by their start and stored in UTC, prices in paise.
/// Dropped: the pre-open row (09:08/09:09) and the closing-price rows after 15:30.
func riskFixtureSeries(_ name: String, symbol: String) throws -> BarSeries {
    guard let base = Bundle.module.resourceURL else { throw FixtureError("no resource bundle") }
    let text = try String(contentsOf: base.appendingPathComponent("Fixtures/risk/\(name)"), encoding: .utf8)
    var series = BarSeries(symbol: symbol, timeframeSeconds: 60)
    for line in text.split(separator: "\n") {
        let f = line.split(separator: ",", omittingEmptySubsequences: false)
        guard f.count == 9 else { throw FixtureError("\(name): bad row \(line)") }
        let d = String(f[1]), t = String(f[2])
        let date = LocalDate("\(d.prefix(4))-\(d.dropFirst(4).prefix(2))-\(d.suffix(2))")!
        let end = TimeOfDay(t)!.minutes
        guard end >= 9 * 60 + 16, end <= 15 * 60 + 30 else { continue }
        func paise(_ s: Substring) throws -> Int64 {
            guard let p = Paise(rupees: String(s)) else { throw FixtureError("\(name): bad price \(s)") }
            return p.value
        }
        let start = IST.epochSeconds(date: date, secondOfDay: (end - 1) * 60)
        series.append(Bar(time: start, open: try paise(f[3]), high: try paise(f[4]), low: try paise(f[5]), close: try paise(f[6])))
    }
    return series
}

/// IST day number and minute of the day of a bar start, computed plainly for the expectations.
func istDayAndMinute(_ time: Int64) -> (day: Int64, minute: Int) {
    let local = time + 19_800
    return (local / 86_400, Int(local % 86_400) / 60)
}

func istLabel(_ time: Int64) -> String {
    let (day, minute) = istDayAndMinute(time)
    return "\(LocalDate(daysSinceEpoch: Int(day))) \(TimeOfDay(minutes: minute)!)"
}
