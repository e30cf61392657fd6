import AlphaPrimeKiteSim
import ArgumentParser
import Foundation
import Logging

/// `kite-sim`: a local Kite Connect v3 server for rehearsing the live path (docs/kite-sim.md).
@main
struct KiteSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kite-sim",
        abstract: "A local Kite Connect v3 compatible server on 127.0.0.1, for rehearsing the live path without an account.",
        version: KiteSimLaunch.version,
        subcommands: [Serve.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the Kite Connect v3 REST API until SIGTERM or SIGINT.",
            discussion: "The first line on standard output is `kite-sim listening on http://127.0.0.1:PORT`, the second `kite-sim ticker on ws://127.0.0.1:PORT` (the ticker WebSocket). Logs go to standard error.")

        @Option(help: "The port to listen on (0: any free port).") var port: Int = 0
        @Option(help: "The API key clients send.") var apiKey: String
        @Option(help: "The API secret session checksums are made with.") var apiSecret: String
        @Option(help: "Where GET /connect/login redirects with the request token.") var redirectURL: String = "http://127.0.0.1/kite-sim/redirect"
        @Option(help: "An access token valid from the start.") var accessToken: String?
        @Option(help: "The account's opening cash, rupees.") var cash: String = "1000000"
        @Option(help: "An instrument list (Kite's instrument CSV) instead of the built-in one.") var instruments: String?
        @Option(help: "The folder of 1-minute bars (default: <home>/data/market_data).") var data: String?
        @Option(help: "The ALPHA-PRIME home (default: ALPHA_PRIME_HOME, else the nearest folder with config/general_config.yaml).") var home: String?
        @Option(help: "Slippage of market and stop fills, in ticks.") var slippageTicks: Int = 0
        @Option(help: "external (bars posted to /sim/market/bar) or replay (--date's bundled bars).") var market: String = "external"
        @Option(help: "The day to replay, YYYY-MM-DD (--market replay).") var date: String?
        @Option(help: "Replay speed, × real time (--market replay).") var speed: Double = 1
        @Option(help: "The ticker WebSocket's port (0: any free port).") var tickerPort: Int = 0
        @Option(help: "The day whose bars the ticker streams, YYYY-MM-DD (default: no ticks until POST /sim/ticker).") var tickerDate: String?
        @Option(help: "The ticker's speed, × real time, 1 or more (default 1).") var tickerSpeed: String?
        @Option(help: "The IST time the ticker's clock starts at, HH:MM[:SS] (default 09:14:00).") var tickerStart: String?
        @Option(help: "Seed of the fault draws.") var seed: String?
        @Option(help: "Delay every Kite API answer by this many milliseconds.") var latencyMs: String?
        @Option(help: "Share of placements placed but answered only after --drop-delay-ms.") var placeDropRate: String?
        @Option(help: "How long a dropped placement's answer is withheld, ms (default 90000).") var dropDelayMs: String?
        @Option(name: .customLong("place-504-rate"), help: "Share of placements placed but answered 504 by a gateway (HTML).") var place504Rate: String?
        @Option(help: "Share of placements answered 400 \"Order request timed out\" yet placed.") var placeTimeout400Rate: String?
        @Option(help: "How long a timed-out placement stays out of the order book, ms (default 0).") var lateOrderMs: String?
        @Option(name: .customLong("place-503-rate"), help: "Share of placements answered 503 NetworkException, not placed.") var place503Rate: String?
        @Option(name: .customLong("burst-429"), help: "Answer the next N requests 429.") var burst429: String?
        @Option(help: "Order requests allowed per second (429 beyond; 0: no limit).") var maxOrdersPerSecond: String?
        @Option(help: "When sessions expire: ISO-8601 (IST without an offset), +SECONDS, or never.") var tokenExpiresAt: String?
        @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String = "info"

        var options: KiteSimOptions {
            var o = KiteSimOptions()
            o.port = port; o.apiKey = apiKey; o.apiSecret = apiSecret; o.redirectURL = redirectURL; o.accessToken = accessToken
            o.cash = cash; o.instrumentsFile = instruments; o.dataFolder = data; o.home = home; o.slippageTicks = slippageTicks
            o.market = market; o.date = date; o.speed = speed
            o.tickerPort = tickerPort; o.tickerDate = tickerDate; o.tickerSpeed = tickerSpeed; o.tickerStart = tickerStart
            let faults: [(String, String?)] = [
                ("seed", seed), ("latency-ms", latencyMs), ("place-drop-rate", placeDropRate), ("drop-delay-ms", dropDelayMs),
                ("place-504-rate", place504Rate), ("place-timeout400-rate", placeTimeout400Rate), ("late-order-ms", lateOrderMs),
                ("place-503-rate", place503Rate), ("burst-429", burst429), ("max-orders-per-second", maxOrdersPerSecond),
                ("token-expires-at", tokenExpiresAt),
            ]
            o.faults = faults.compactMap { name, value in value.map { (name, $0) } }
            return o
        }

        func validate() throws {
            guard Logger.Level(rawValue: logLevel) != nil else {
                throw ValidationError("--log-level \"\(logLevel)\": expected trace, debug, info, notice, warning, error or critical")
            }
            do { _ = try options.checked() } catch { throw ValidationError(error.description) }
        }

        func run() async throws {
            let level = Logger.Level(rawValue: logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            do {
                let server = try KiteSimServer(configuration: try options.configuration())
                try await server.run(logger: Logger(label: "kite-sim")) { port, tickerPort in
                    FileHandle.standardOutput.write(Data(
                        "kite-sim listening on http://127.0.0.1:\(port)\nkite-sim ticker on ws://127.0.0.1:\(tickerPort)\n".utf8))
                }
            } catch {
                FileHandle.standardError.write(Data("kite-sim: \(error)\n".utf8))
                throw ExitCode(KiteSimLaunch.exitCode(for: error))
            }
        }
    }
}
