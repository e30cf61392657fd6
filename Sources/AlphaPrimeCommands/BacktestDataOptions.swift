import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import ArgumentParser

/// What `backtest`, `backtest --walk-forward` and `optimize` trade over and under which costs: the
/// days, the symbols or files, the risk preset, slippage, charges and capital. One group, so the
/// three read the same flags the same way.
public struct BacktestDataOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("First trading day (IST), YYYY-MM-DD.", valueName: "date"))
    public var start: String?

    @Option(name: .long, help: ArgumentHelp("Last trading day (IST), YYYY-MM-DD.", valueName: "date"))
    public var end: String?

    @Option(name: .long, help: ArgumentHelp(
        "Symbols to trade, comma-separated (default: the strategies' own). With --data, the symbol of each file.",
        valueName: "symbol[,symbol…]"))
    public var symbols: String?

    @Option(name: .long, help: ArgumentHelp("A canonical bar CSV to trade instead of data/market_data (repeatable).", valueName: "file"))
    public var data: [String] = []

    @Flag(name: .long, help: ArgumentHelp(
        "With --data: read each file through the home's bar cache (var/cache/market_data). The first run parses it and keeps a binary copy; later runs of the unchanged file load the copy."))
    public var cache = false

    @Option(name: .long, help: ArgumentHelp("Risk preset: risk_config_<name>.yaml (default: the strategies' own, else risk_config.yaml).",
                                            valueName: "name"))
    public var riskPreset: String?

    // `.unconditional`: a negative value is read as a value and refused by validate() with what is
    // expected, not taken for a flag ("Missing value").
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Slippage in ticks against every market and stop fill.", valueName: "ticks"))
    public var slippageTicks: Int64 = 0

    @Option(name: .long, help: ArgumentHelp("Charges: nse (Indian charges) or none. Default: none for the reference preset, else nse.",
                                            valueName: "nse|none"))
    public var charges: BacktestCommand.ChargesChoice?

    @Option(name: .long, help: ArgumentHelp("Price every fill at the charge rates in force on this date (default: each fill's own date).",
                                            valueName: "YYYY-MM-DD"))
    public var chargesAsOf: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Starting capital in rupees (default: general_config.yaml).", valueName: "rupees"))
    public var capital: String?

    public init() {}

    public func validate() throws {
        if let start, LocalDate(start) == nil { throw ValidationError("--start expects a date as YYYY-MM-DD, got '\(start)'") }
        if let end, LocalDate(end) == nil { throw ValidationError("--end expects a date as YYYY-MM-DD, got '\(end)'") }
        if let s = start.flatMap(LocalDate.init), let e = end.flatMap(LocalDate.init), e < s {
            throw ValidationError("--end (\(e)) is before --start (\(s))")
        }
        if let capital, Paise(rupees: capital).map({ $0.value > 0 }) != true {
            throw ValidationError("--capital expects a positive amount in rupees, got '\(capital)'")
        }
        if let chargesAsOf, LocalDate(chargesAsOf) == nil {
            throw ValidationError("--charges-as-of expects a date as YYYY-MM-DD, got '\(chargesAsOf)'")
        }
        if chargesAsOf != nil && charges == BacktestCommand.ChargesChoice.none {
            throw ValidationError("--charges-as-of prices charges; it cannot go with --charges none")
        }
        if cache && data.isEmpty {
            throw ValidationError("--cache reads --data files through the bar cache; data/market_data is always read through it")
        }
        if slippageTicks < 0 { throw ValidationError("--slippage-ticks expects 0 or more, got \(slippageTicks)") }
    }

    var symbolList: [String] { (symbols ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }

    /// The backtest these flags ask for, of `strategies`.
    func request(strategies: [String]) -> BacktestRequest {
        var request = BacktestRequest(
            strategyNames: strategies, start: start.flatMap(LocalDate.init), end: end.flatMap(LocalDate.init),
            symbols: symbolList, dataFiles: data, slippageTicks: slippageTicks,
            chargesEnabled: chargesAsOf != nil ? true : charges.map { $0 == .nse }, chargesAsOf: chargesAsOf.flatMap(LocalDate.init),
            capital: capital.flatMap { Paise(rupees: $0)?.value })
        request.cachesDataFiles = cache
        return request
    }
}
