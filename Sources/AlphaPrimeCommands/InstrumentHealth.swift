import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeOps

/// health-check's instruments lines: the configured instruments (general_config.yaml) against the
/// broker's instrument master in the state database (`market-data instruments`).
///
/// - A configured lot size or tick size the master contradicts is a warning: orders sized or priced
///   by the configuration would be refused (pre-market's `health-check --strict` stops on it).
/// - A configured instrument the master does not have is a warning.
/// - No master at all is a warning when live trading is enabled, else information; a master older
///   than today on a trading day is a warning when live trading is enabled (lot sizes and contracts
///   change), else information.
enum InstrumentHealth {
    static func check(configuration: AlphaPrimeConfiguration?, database: (any SQLDatabase)?, today: LocalDate,
                      tradingDay: Bool?) -> [HealthFinding] {
        guard let configuration, let database else { return [] }
        let live = configuration.environment.enableRealTrading
        do {
            // Not migrated yet: the migrations line says so.
            guard try database.tableExists("instruments") else { return [] }
            let store = StateRepository(database: database)
            let lists = try store.instrumentLists()
            guard let newest = lists.map(\.downloadedOn).max() else {
                let text = "no instrument master: the configured lot and tick sizes are not checked against the broker's; download it with: market-data instruments"
                return [live ? .warning("instruments", text) : .info("instruments", text)]
            }
            var findings: [HealthFinding] = []
            let resolver = InstrumentResolver(store: store)
            var agreeing: [String] = []
            for instrument in configuration.general.instruments {
                do {
                    let resolved = try resolver.resolve(instrument, on: today)
                    findings += resolved.disagreements.map { .warning("instruments", "\($0)") }
                    findings += resolved.notes.map { .info("instruments", "\(instrument.symbol): \($0)") }
                    if resolved.disagreements.isEmpty, let contract = resolved.contract {
                        agreeing.append("\(instrument.symbol) (\(contract.tradingsymbol))")
                    }
                } catch {
                    findings.append(.warning("instruments", "\(error)"))
                }
            }
            let count = lists.reduce(0) { $0 + $1.count }
            if !agreeing.isEmpty {
                findings.insert(.ok("instruments", "lot and tick sizes agree with the instrument master (\(count) instruments, downloaded \(newest)): \(agreeing.joined(separator: ", "))"), at: 0)
            }
            if newest < today, tradingDay == true {
                let text = "the instrument master was downloaded \(newest); refresh it before the open with: market-data instruments"
                findings.append(live ? .warning("instruments", text) : .info("instruments", text))
            }
            return findings
        } catch {
            return [.warning("instruments", "the instrument master cannot be read: \(error)")]
        }
    }
}
