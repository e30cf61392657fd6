import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeCore

/// The gates `engine run` passes before it starts: every refusal, its words and its exit status.
@Suite struct EngineStartPolicyTests {
    /// Everything open: production, real and paper trading enabled, the Kite broker configured.
    static let open = EngineStartPolicy(environment: .live, enableRealTrading: true, enablePaperTrading: true, activeBroker: .kite)

    static func policy(environment: DeploymentEnvironment = .live, real: Bool = true, paper: Bool = true) -> EngineStartPolicy {
        EngineStartPolicy(environment: environment, enableRealTrading: real, enablePaperTrading: paper, activeBroker: .kite)
    }

    static func refusal(_ decision: EngineStartPolicy.Decision) -> EngineStartPolicy.Refusal? {
        if case .refused(let refusal) = decision { return refusal }
        return nil
    }

    // MARK: Live

    @Test func liveNamesEveryClosedGate() throws {
        let shut = Self.policy(environment: .development, real: false)
        let refusal = try #require(Self.refusal(shut.decide(mode: .live, confirmLive: false, replaying: true)))
        #expect(refusal.cause == .gateClosed)
        #expect(refusal.exitStatus == .refused)
        #expect(refusal.exitStatus.rawValue == 5)
        #expect(refusal.messages == [
            "refused: live trading gate closed: ENVIRONMENT is 'development': live trading runs only with ENVIRONMENT=production (or live)",
            "refused: live trading gate closed: ENABLE_REAL_TRADING is not true",
            "refused: live trading gate closed: --confirm-live was not given",
        ])
    }

    @Test(arguments: [DeploymentEnvironment.development, .paper])
    func liveNeedsTheProductionEnvironment(environment: DeploymentEnvironment) throws {
        let decision = Self.policy(environment: environment).decide(mode: .live, confirmLive: true, replaying: true)
        let refusal = try #require(Self.refusal(decision))
        #expect(refusal.exitStatus == .refused)
        #expect(refusal.messages == [
            "refused: live trading gate closed: ENVIRONMENT is '\(environment.rawValue)': live trading runs only with ENVIRONMENT=production (or live)",
        ])
    }

    @Test func liveNeedsRealTradingEnabled() throws {
        let refusal = try #require(Self.refusal(Self.policy(real: false).decide(mode: .live, confirmLive: true, replaying: true)))
        #expect(refusal.exitStatus == .refused)
        #expect(refusal.messages == ["refused: live trading gate closed: ENABLE_REAL_TRADING is not true"])
    }

    @Test func liveNeedsTheConfirmFlag() throws {
        let refusal = try #require(Self.refusal(Self.open.decide(mode: .live, confirmLive: false, replaying: true)))
        #expect(refusal.exitStatus == .refused)
        #expect(refusal.messages == ["refused: live trading gate closed: --confirm-live was not given"])
    }

    @Test func pastEveryLiveGateAReplayRunsOnlyAgainstALocalKiteSim() throws {
        let refusal = try #require(Self.refusal(Self.open.decide(mode: .live, confirmLive: true, replaying: true)))
        #expect(refusal.exitStatus == .refused)
        #expect(refusal.messages.first?.contains("a replay in live mode is a rehearsal and runs only against kite-sim") == true)
        var rehearsal = Self.open
        rehearsal.brokerIsLocal = true
        #expect(rehearsal.decide(mode: .live, confirmLive: true, replaying: true) == .allowed)
    }

    /// Without a replay, live trades on the wall clock with Kite's ticker: against the real Kite or a kite-sim.
    @Test func liveWithoutAReplayRunsOnTheLiveFeed() throws {
        var local = Self.open
        local.brokerIsLocal = true
        for policy in [Self.open, local] {
            #expect(policy.decide(mode: .live, confirmLive: true, replaying: false) == .allowed)
        }
    }

    @Test(arguments: [true, false])
    func liveGoesThroughKiteOrUpstox(replaying: Bool) throws {
        var paper = Self.open
        paper.activeBroker = .paper
        let closed = try #require(Self.refusal(paper.decide(mode: .live, confirmLive: true, replaying: replaying)))
        #expect(closed.exitStatus == .refused)
        #expect(closed.messages == [
            "refused: live trading gate closed: active_broker is paper in broker_config.yaml: live trading goes through kite or upstox",
        ])
    }

    /// Upstox live needs the live feed (exit 3) and has no rehearsal market: a live replay with it
    /// is refused whatever its address (exit 3), since its fills would never arrive.
    @Test func upstoxLiveNeedsTheFeedAndHasNoRehearsal() throws {
        var upstox = Self.open
        upstox.activeBroker = .upstox
        for local in [true, false] {
            upstox.brokerIsLocal = local
            let replay = try #require(Self.refusal(upstox.decide(mode: .live, confirmLive: true, replaying: true)))
            #expect(replay.cause == .notBuilt("a rehearsal market for Upstox"))
            #expect(replay.exitStatus.rawValue == 3)
            let noFeed = try #require(Self.refusal(upstox.decide(mode: .live, confirmLive: true, replaying: false)))
            #expect(noFeed.cause == .notBuilt("the Upstox market feed"))
            #expect(noFeed.exitStatus.rawValue == 3)
        }
    }

    @Test func liveGatesDoNotDependOnPaperTrading() {
        var policy = Self.policy(paper: false)
        policy.brokerIsLocal = true
        #expect(policy.decide(mode: .live, confirmLive: true, replaying: true) == .allowed)
    }

    // MARK: Paper and monitor

    @Test func paperNeedsPaperTradingEnabled() throws {
        let refusal = try #require(Self.refusal(Self.policy(paper: false).decide(mode: .paper, confirmLive: false, replaying: true)))
        #expect(refusal.cause == .gateClosed)
        #expect(refusal.exitStatus == .refused)
        #expect(refusal.messages == ["refused: ENABLE_PAPER_TRADING is false"])
    }

    @Test func paperAndMonitorIgnoreTheLiveGates() {
        let shut = Self.policy(environment: .development, real: false)
        #expect(shut.decide(mode: .paper, confirmLive: false, replaying: true) == .allowed)
        #expect(shut.decide(mode: .monitor, confirmLive: false, replaying: true) == .allowed)
        #expect(Self.policy(environment: .development, real: false, paper: false)
            .decide(mode: .monitor, confirmLive: false, replaying: true) == .allowed, "monitor mode places no order")
    }

    @Test(arguments: [EngineMode.paper, .monitor])
    func withoutAReplayTheSessionRunsOnTheLiveFeed(mode: EngineMode) throws {
        #expect(Self.open.decide(mode: mode, confirmLive: false, replaying: false) == .allowed)
    }

    @Test func aClosedPaperGateRefusesALiveFeedSessionToo() {
        let decision = Self.policy(paper: false).decide(mode: .paper, confirmLive: false, replaying: false)
        #expect(Self.refusal(decision)?.messages == ["refused: ENABLE_PAPER_TRADING is false"])
    }

    // MARK: Kill switch

    static let setAt = UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: LocalDate("2021-02-23")!, time: TimeOfDay("11:05")!))

    static func state(_ mode: TradingMode, killSwitch: Bool) -> EngineStateRecord {
        EngineStateRecord(mode: mode, status: "stopped", killSwitch: killSwitch, killSwitchBy: "asha", killSwitchAt: setAt,
                          killSwitchReason: "loss limit", updatedAt: setAt)
    }

    @Test(arguments: [EngineMode.paper, .live])
    func aSetKillSwitchRefusesNamingWhoWhenAndWhy(mode: EngineMode) throws {
        var asked: [TradingMode] = []
        let decision = EngineStartPolicy.killSwitch(mode: mode) { account in
            asked.append(account)
            return Self.state(account, killSwitch: true)
        }
        #expect(asked == [mode.tradingMode])
        let refusal = try #require(Self.refusal(decision))
        #expect(refusal.exitStatus == .refused)
        #expect(refusal.messages == [
            "refused: the \(mode.rawValue) kill switch is set (by asha at 2021-02-23 11:05:00 IST: loss limit); "
                + "clear it with: engine reset-kill-switch --confirm --reason TEXT",
        ])
    }

    @Test func aKillSwitchWithoutItsDetailsStillRefuses() {
        let bare = EngineStateRecord(mode: .paper, status: "stopped", killSwitch: true, updatedAt: Self.setAt)
        #expect(Self.refusal(EngineStartPolicy.killSwitch(mode: .paper) { _ in bare })?.messages == [
            "refused: the paper kill switch is set (by ? at ?: ); clear it with: engine reset-kill-switch --confirm --reason TEXT",
        ])
    }

    @Test func aClearOrUnrecordedKillSwitchAllows() {
        #expect(EngineStartPolicy.killSwitch(mode: .paper) { Self.state($0, killSwitch: false) } == .allowed)
        #expect(EngineStartPolicy.killSwitch(mode: .live) { _ in nil } == .allowed, "no engine has run yet")
    }

    @Test func monitorModeNeverReadsTheKillSwitch() {
        var asked = false
        let decision = EngineStartPolicy.killSwitch(mode: .monitor) { account in
            asked = true
            return Self.state(account, killSwitch: true)
        }
        #expect(decision == .allowed)
        #expect(!asked)
    }

    @Test func aFailedReadIsThrown() {
        struct Unreadable: Error {}
        #expect(throws: Unreadable.self) { try EngineStartPolicy.killSwitch(mode: .paper) { _ in throw Unreadable() } }
    }
}
