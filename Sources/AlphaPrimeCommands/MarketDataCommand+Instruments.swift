import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeKite
import ArgumentParser
import Foundation

extension MarketDataCommand {
    /// `market-data instruments [--exchange X]…`: downloads Kite's instrument master into the state
    /// database, replacing each exchange's list whole.
    public struct Instruments: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "instruments",
            abstract: "Download Kite's instrument master into the state database (each exchange's list replaced whole).",
            discussion: """
                Without --exchange the whole list (every exchange) replaces the stored one; with --exchange only \
                those exchanges' lists are replaced, each in one transaction. Prints the instruments per segment, \
                then any lot or tick size in general_config.yaml the new list contradicts. Uses the kite section of \
                broker_config.yaml and today's login (broker login). Exit 0; 69 Kite unreachable; 78 no access \
                token or Kite refused it; 65 Kite sent no instruments or an unreadable list (nothing replaced).
                """)

        @OptionGroup public var common: CommonOptions
        @Option(name: .long, help: ArgumentHelp("An exchange whose list to download (repeatable; default: every exchange).",
                                                valueName: "NSE|NFO|BSE|BFO|CDS|MCX"))
        public var exchange: [String] = []

        public init() {}

        public func validate() throws {
            for name in exchange where !Self.isExchangeName(name.uppercased()) {
                throw ValidationError("--exchange '\(name)' is not an exchange name such as NSE, NFO, BSE, BFO, CDS, MCX")
            }
        }

        static func isExchangeName(_ text: String) -> Bool {
            (2...5).contains(text.count) && text.allSatisfy { $0.isASCII && $0.isUppercase }
        }

        struct Report: Encodable {
            struct Segment: Encodable { var exchange: String; var segment: String; var count: Int }
            var downloadedOn: String
            var exchanges: [String]
            var instruments: Int
            /// How many instruments the replaced lists held.
            var replaced: Int
            var segments: [Segment]
            var warnings: [String]
            enum CodingKeys: String, CodingKey {
                case downloadedOn = "downloaded_on", exchanges, instruments, replaced, segments, warnings
            }
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "market-data instruments") {
                let context = try ToolContext.load(common, tool: "market-data")
                let client = try KiteAccess.client(context)
                let names = exchange.map { $0.uppercased() }
                // Download everything first: a failure leaves every stored list as it was.
                var downloads: [(exchange: String?, instruments: [InstrumentRecord])] = []
                for name in names.isEmpty ? [nil] : names.map(Optional.some) {
                    let list = try KiteAccess.call { try client.instruments(exchange: name) }
                    guard !list.isEmpty else {
                        throw MarketDataError.badFile(file: "\(client.connection.baseURL)/instruments\(name.map { "/\($0)" } ?? "")",
                                                      message: "Kite sent no instruments\(name.map { " for \($0)" } ?? ""); the stored list was kept")
                    }
                    downloads.append((name, list.map(\.record)))
                }
                let database = try context.openDatabase()
                try Migrator(database: database, logger: context.logger).migrate()
                let store = StateRepository(database: database, url: context.databaseURL)
                let before = try store.instrumentLists()
                let today = IST.today()
                for download in downloads {
                    try store.replaceInstruments(download.instruments, exchange: download.exchange, downloadedOn: today)
                }
                let exchanges = Set(downloads.flatMap { $0.instruments.map(\.exchange) })
                let replaced = before.filter { names.isEmpty || names.contains($0.exchange) }.reduce(0) { $0 + $1.count }
                var counts: [String: Report.Segment] = [:]
                for instrument in downloads.flatMap(\.instruments) {
                    counts["\(instrument.exchange)\t\(instrument.segment)", default: Report.Segment(exchange: instrument.exchange, segment: instrument.segment, count: 0)].count += 1
                }
                let segments = counts.keys.sorted().compactMap { counts[$0] }
                let warnings = MarketDataCommand.instrumentWarnings(context: context, store: store, on: today)
                let total = segments.reduce(0) { $0 + $1.count }
                context.logger.notice("instrument master downloaded", metadata: [
                    "exchanges": "\(names.isEmpty ? "all" : names.joined(separator: ","))", "instruments": "\(total)", "replaced": "\(replaced)",
                ])
                let report = Report(downloadedOn: today.description, exchanges: exchanges.sorted(), instruments: total, replaced: replaced,
                                    segments: segments, warnings: warnings)
                try ToolRunner.printResult(report, json: common.json) {
                    var lines = ["instrument master: \(total) instruments of \(exchanges.sorted().joined(separator: ", ")) downloaded \(today) (replacing \(replaced))"]
                    let width = segments.map { $0.exchange.count + $0.segment.count + 1 }.max() ?? 0
                    for s in segments {
                        lines.append("  " + "\(s.exchange) \(s.segment)".padding(toLength: width, withPad: " ", startingAt: 0)
                                     + "  \(s.count)")
                    }
                    lines.append("stored in \(store.location)")
                    return lines.joined(separator: "\n")
                }
                for warning in warnings { ToolRunner.printError("market-data instruments: warning: \(warning)") }
                return .ok
            }
        }
    }

    /// What the trader must see after the instrument master changed: configured lot and tick sizes
    /// the master contradicts (the same check as health-check's instruments line).
    static func instrumentWarnings(context: ToolContext, store: any StateStore, on date: LocalDate) -> [String] {
        let resolver = InstrumentResolver(store: store)
        var warnings: [String] = []
        for instrument in context.configuration.general.instruments {
            do {
                warnings += try resolver.resolve(instrument, on: date).disagreements.map(\.description)
            } catch {
                warnings.append("\(error)")
            }
        }
        return warnings
    }
}
