import AlphaPrimeSupport
import AlphaPrimeDomain

/// The safety gates `engine run` passes before it starts, decided from the settings, the
/// command-line flags and the recorded kill switch alone.
///
/// Live trading needs `ENVIRONMENT=production` (or live), `ENABLE_REAL_TRADING=true` and
/// `--confirm-live`, and then still stops because no live broker adapter exists yet; paper trading
/// needs `ENABLE_PAPER_TRADING`; monitor mode passes. Without `--replay` there is nothing to run,
/// since the live market feed is not built yet either. Once the engine holds its lock, a set kill
/// switch refuses paper and live runs. Every refusal names what stopped it; the command prints it
/// and exits with the refusal's status.
public struct EngineStartPolicy: Sendable, Equatable {
    /// `ENVIRONMENT`.
    public var environment: DeploymentEnvironment
    /// `ENABLE_REAL_TRADING`.
    public var enableRealTrading: Bool
    /// `ENABLE_PAPER_TRADING`.
    public var enablePaperTrading: Bool
    /// `active_broker` of `broker_config.yaml`, named when every live gate is open.
    public var activeBroker: BrokerConfig.Name

    public init(environment: DeploymentEnvironment, enableRealTrading: Bool, enablePaperTrading: Bool,
                activeBroker: BrokerConfig.Name) {
        self.environment = environment
        self.enableRealTrading = enableRealTrading
        self.enablePaperTrading = enablePaperTrading
        self.activeBroker = activeBroker
    }

    public init(_ configuration: AlphaPrimeConfiguration) {
        self.init(environment: configuration.environment.environment,
                  enableRealTrading: configuration.environment.enableRealTrading,
                  enablePaperTrading: configuration.environment.enablePaperTrading,
                  activeBroker: configuration.broker.activeBroker)
    }

    /// Why a run may not start, as said on standard error (each message without the tool's name).
    public struct Refusal: Sendable, Equatable {
        public enum Cause: Sendable, Equatable {
            /// A safety gate is closed: exit 5.
            case gateClosed
            /// What the run needs is not built yet (named, as in "live trading is not built yet"): exit 3.
            case notBuilt(String)
        }

        public var cause: Cause
        /// One line each, in the order they are said.
        public var messages: [String]

        public init(_ cause: Cause, _ messages: [String]) {
            self.cause = cause
            self.messages = messages
        }

        public var exitStatus: ExitStatus {
            switch cause {
            case .gateClosed: .refused
            case .notBuilt: .notImplemented
            }
        }
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        case refused(Refusal)
    }

    /// Whether a run in `mode` may start, before anything is opened. `replaying` says whether
    /// recorded bars were given to replay.
    public func decide(mode: EngineMode, confirmLive: Bool, replaying: Bool) -> Decision {
        switch mode {
        case .live:
            var closed: [String] = []
            if environment != .live {
                closed.append("ENVIRONMENT is '\(environment.rawValue)': live trading runs only with ENVIRONMENT=production (or live)")
            }
            if !enableRealTrading { closed.append("ENABLE_REAL_TRADING is not true") }
            if !confirmLive { closed.append("--confirm-live was not given") }
            if !closed.isEmpty {
                return .refused(Refusal(.gateClosed, closed.map { "refused: live trading gate closed: \($0)" }))
            }
            return .refused(Refusal(.notBuilt("live trading"), [
                "every live gate is open, but no live broker adapter exists yet (active_broker: \(activeBroker.rawValue)); no order was sent",
            ]))
        case .paper:
            if !enablePaperTrading {
                return .refused(Refusal(.gateClosed, ["refused: ENABLE_PAPER_TRADING is false"]))
            }
        case .monitor:
            break
        }
        guard replaying else {
            return .refused(Refusal(.notBuilt("the live market feed (the broker's WebSocket)"), [
                "no live market feed exists yet; replay recorded bars with --replay DATE|FILE",
            ]))
        }
        return .allowed
    }

    /// The kill switch gate, passed once the engine holds its lock: a kill switch set on the mode's
    /// account refuses a paper or live run. Monitor mode places no order and never reads it;
    /// `engineState` reads the recorded state of an account.
    public static func killSwitch(mode: EngineMode,
                                  engineState: (TradingMode) throws -> EngineStateRecord?) rethrows -> Decision {
        guard mode != .monitor, let state = try engineState(mode.tradingMode), state.killSwitch else { return .allowed }
        let at = state.killSwitchAt.map { IST.dateTime($0.date).description } ?? "?"
        return .refused(Refusal(.gateClosed, [
            "refused: the \(mode.tradingMode.rawValue) kill switch is set (by \(state.killSwitchBy ?? "?") at \(at): "
                + "\(state.killSwitchReason ?? "")); clear it with: engine reset-kill-switch --confirm --reason TEXT",
        ]))
    }
}
