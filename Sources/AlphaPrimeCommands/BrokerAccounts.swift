import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeCore
import AlphaPrimePaper
import AlphaPrimeKite
import AlphaPrimeUpstox
import Logging

extension PaperSettings {
    /// The paper account as the engine is set up: starting capital, instruments, the broker's fill
    /// model (`broker_config.yaml`) and the default product.
    init(_ setup: EngineSetup) {
        self.init(startingCapital: setup.startingCapital, instruments: setup.instruments, instrumentKinds: setup.instrumentKinds,
                  fillModel: setup.fillModel, product: setup.product)
    }
}

/// The broker account each mode trades through. Paper is the paper account recorded in the state
/// database; live is the Kite Connect account (`active_broker: kite`), with the access token of
/// today's `broker login` or `KITE_ACCESS_TOKEN`, or the Upstox account (`active_broker: upstox`),
/// with the token of today's `broker login --broker upstox` or `UPSTOX_ACCESS_TOKEN`.
enum BrokerAccounts {
    struct NoAccessToken: Error, CustomStringConvertible, ExitStatusProviding {
        var broker: BrokerConfig.Name = .kite
        var description: String {
            broker == .upstox
                ? "no Upstox access token for today: log in with broker login --broker upstox (or set UPSTOX_ACCESS_TOKEN in .env)"
                : "no Kite access token for today: log in with broker login (or set KITE_ACCESS_TOKEN in .env)"
        }
        var exitStatus: ExitStatus { .configError }
    }

    /// The account of `mode`; nil for live when the active broker has no adapter. `replaying`: a
    /// live replay is a rehearsal against kite-sim's external market.
    static func account(for mode: TradingMode, store: (any StateStore)?, setup: EngineSetup, context: ToolContext,
                        replaying: Bool = false) throws -> (any BrokerAccount)? {
        switch mode {
        case .paper: return PaperBrokerAccount(store: store, mode: .paper, settings: PaperSettings(setup))
        case .backtest: return nil
        case .live:
            let broker = context.configuration.broker
            if broker.activeBroker == .upstox {
                guard let token = try UpstoxSessionFile.accessToken(home: context.home, configured: broker.upstox.accessToken,
                                                                    at: .now()) else {
                    throw NoAccessToken(broker: .upstox)
                }
                return UpstoxBrokerAccount(connection: UpstoxConnection(broker.upstox, accessToken: token),
                                           instruments: UpstoxInstrumentMap(context.configuration.general.instruments),
                                           instrumentKinds: setup.instrumentKinds, logger: context.logger)
            }
            guard broker.activeBroker == .kite else { return nil }
            guard let token = try KiteSessionFile.accessToken(home: context.home, configured: broker.kite.accessToken, at: .now()) else {
                throw NoAccessToken()
            }
            return KiteBrokerAccount(connection: KiteConnection(broker.kite, accessToken: token),
                                     instruments: KiteInstrumentMap(context.configuration.general.instruments),
                                     instrumentKinds: setup.instrumentKinds, rehearsal: replaying && broker.kite.isLoopback,
                                     logger: context.logger)
        }
    }

    /// The recorded book of a mode, whatever broker it traded with: what `engine status` shows.
    static func recordedBook(for mode: TradingMode, store: any StateStore, setup: EngineSetup) -> any BrokerAccount {
        PaperBrokerAccount(store: store, mode: mode, settings: PaperSettings(setup))
    }
}
