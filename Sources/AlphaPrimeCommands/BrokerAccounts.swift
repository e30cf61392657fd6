import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeCore
import AlphaPrimePaper

extension PaperSettings {
    /// The paper account as the engine is set up: starting capital, instruments, the broker's fill
    /// model (`broker_config.yaml`) and the default product.
    init(_ setup: EngineSetup) {
        self.init(startingCapital: setup.startingCapital, instruments: setup.instruments, instrumentKinds: setup.instrumentKinds,
                  fillModel: setup.fillModel, product: setup.product)
    }
}

/// The broker account each mode trades through. Paper is the paper account recorded in the state
/// database; live has no adapter in this build (the engine refuses it before it gets here, and an
/// emergency stop says the broker could not be reached).
enum BrokerAccounts {
    static func account(for mode: TradingMode, store: (any StateStore)?, setup: EngineSetup) -> (any BrokerAccount)? {
        switch mode {
        case .paper: PaperBrokerAccount(store: store, mode: .paper, settings: PaperSettings(setup))
        case .live, .backtest: nil
        }
    }

    /// The recorded book of a mode, whatever broker it traded with: what `engine status` shows.
    static func recordedBook(for mode: TradingMode, store: any StateStore, setup: EngineSetup) -> any BrokerAccount {
        PaperBrokerAccount(store: store, mode: mode, settings: PaperSettings(setup))
    }
}
