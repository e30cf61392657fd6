import AlphaPrimeSupport
import AlphaPrimeDomain

/// The safety gates `engine run` passes before it starts, decided from the settings, the
/// command-line flags and the recorded kill switch alone.
///
/// Live trading needs `ENVIRONMENT=production` (or live), `ENABLE_REAL_TRADING=true` and
/// `--confirm-live`, and `active_broker: kite` or `upstox`.
/// A replay in live mode is a rehearsal: it runs only against a kite-sim on this machine's loopback
/// address, never against the real broker (real orders over old bars); Upstox has no rehearsal
/// market (exit 3). Paper
/// trading needs `ENABLE_PAPER_TRADING`; monitor mode passes. Without `--replay` the session runs on
/// the wall clock with Kite's ticker as the market feed (Upstox has no feed yet: a live session
/// through it is refused with exit 3). Once the engine holds its lock, a set kill
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
    /// The active broker's API is on this machine's loopback address (a kite-sim or another local server).
    public var brokerIsLocal: Bool

    public init(environment: DeploymentEnvironment, enableRealTrading: Bool, enablePaperTrading: Bool,
                activeBroker: BrokerConfig.Name, brokerIsLocal: Bool = false) {
        self.environment = environment
        self.enableRealTrading = enableRealTrading
        self.enablePaperTrading = enablePaperTrading
        self.activeBroker = activeBroker
        self.brokerIsLocal = brokerIsLocal
    }

    public init(_ configuration: AlphaPrimeConfiguration) {
        let broker = configuration.broker
        let local = switch broker.activeBroker {
        case .kite: broker.kite.isLoopback
        case .upstox: broker.upstox.isLoopback
        case .paper: false
        }
        self.init(environment: configuration.environment.environment,
                  enableRealTrading: configuration.environment.enableRealTrading,
                  enablePaperTrading: configuration.environment.enablePaperTrading,
                  activeBroker: broker.activeBroker, brokerIsLocal: local)
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
            if activeBroker == .paper {
                closed.append("active_broker is paper in broker_config.yaml: live trading goes through kite or upstox")
            }
            if !closed.isEmpty {
                return .refused(Refusal(.gateClosed, closed.map { "refused: live trading gate closed: \($0)" }))
            }
            if replaying && activeBroker == .upstox {
                return .refused(Refusal(.notBuilt("a rehearsal market for Upstox"), [
                    "a replay in live mode is rehearsed against kite-sim (active_broker: kite, kite.base_url on 127.0.0.1); "
                        + "Upstox has no rehearsal market, so its fills would never arrive; no order was sent",
                ]))
            }
            if replaying && !brokerIsLocal {
                let server = activeBroker == .upstox ? "a local Upstox server on this machine (upstox.base_url on 127.0.0.1)"
                    : "kite-sim on this machine (kite.base_url on 127.0.0.1)"
                return .refused(Refusal(.gateClosed, [
                    "refused: a replay in live mode is a rehearsal and runs only against \(server): "
                        + "it would send real orders over recorded bars",
                ]))
            }
        case .paper:
            if !enablePaperTrading {
                return .refused(Refusal(.gateClosed, ["refused: ENABLE_PAPER_TRADING is false"]))
            }
        case .monitor:
            break
        }
        if !replaying && mode == .live && activeBroker == .upstox {
            return .refused(Refusal(.notBuilt("the Upstox market feed"), [
                "the live market feed is Kite's ticker; live trading through Upstox has no feed yet (replay recorded bars "
                    + "with --replay DATE|FILE, or trade live through kite)",
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
