import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import Foundation

/// What only the strategy library can say about a strategy file: whether its `kind` is a built-in
/// strategy and its parameters are the kind's, in range. `config-check` runs it over every file,
/// enabled or not, so a typo is found before the engine or a backtest meets it.
enum StrategyCheck {
    static func issues(_ configuration: AlphaPrimeConfiguration) -> [ConfigIssue] {
        let instruments = configuration.general.instruments
        var issues: [ConfigIssue] = []
        for strategy in configuration.strategies {
            let index = strategy.symbols.first.flatMap { s in instruments.firstIndex { $0.symbol == s } } ?? 0
            guard instruments.indices.contains(index) else { continue }
            let i = instruments[index]
            let instrument = Instrument(symbol: i.symbol, exchange: i.exchange.rawValue, lotSize: Int64(i.lotSize),
                                        tickSize: Int64(i.tickSizePaise), freezeQuantity: Int64(i.freezeQuantity))
            do {
                _ = try StrategyRegistry.make(try StrategySetup(config: strategy), symbol: index, instrument: instrument)
            } catch let error as StrategyError {
                let key = error.message.hasPrefix("unknown kind") ? "kind" : "parameters"
                let (file, line) = locate(strategy.name, key: key, home: configuration.home)
                issues.append(ConfigIssue(file: file, line: line, keyPath: key, message: error.message))
            } catch {
                let (file, line) = locate(strategy.name, key: "kind", home: configuration.home)
                issues.append(ConfigIssue(file: file, line: line, keyPath: "", message: "\(error)"))
            }
        }
        return issues
    }

    /// The strategy file naming `name`, and the line of its `key:`.
    static func locate(_ name: String, key: String, home: AlphaPrimeHome) -> (String, Int?) {
        let folder = home.configDirectory.appending(path: "strategies")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        for file in files where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
            guard let text = try? String(contentsOf: folder.appending(path: file), encoding: .utf8) else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let names = lines.contains { line in
                let t = line.trimmingCharacters(in: .whitespaces)
                return t == "name: \(name)" || t == "name: \"\(name)\"" || t == "name: '\(name)'"
            }
            guard names else { continue }
            let line = lines.firstIndex { $0.hasPrefix("\(key):") }.map { $0 + 1 }
            return ("config/strategies/\(file)", line)
        }
        return ("config/strategies", nil)
    }
}
