import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain

@Suite struct SignalReasonTests {
    @Test func readsAsItsTextWithTheNumberWritten() {
        #expect(SignalReason("max bars in trade").description == "max bars in trade")
        #expect(SignalReason("close broke the 15-bar high ", .paise(2_451_235)).description == "close broke the 15-bar high 24512.35")
        #expect(SignalReason("trailing stop ", .paise(-5)).description == "trailing stop -0.05")
        // A magnitude is written unsigned to two decimals, as every rule's message writes one.
        #expect(SignalReason("close ", .magnitude(-2.1349), "σ below SMA(20)").description == "close 2.13σ below SMA(20)")
        #expect(SignalReason("ADX ", .magnitude(31)).description == "ADX 31.0")
    }

    @Test func aSignalsReasonIsTheTextOfItsExplanation() {
        var signal = Signal(symbol: 0, side: .buy, intent: .enter,
                            explanation: SignalReason("close ", .magnitude(2.5), "σ below SMA(20)"))
        #expect(signal.reason == "close 2.5σ below SMA(20)")
        signal.reason = "set by hand"
        #expect(signal.explanation == "set by hand" && signal.reason == "set by hand")
        #expect(Signal(symbol: 0, side: .sell, intent: .exit, reason: "close above SMA").explanation.value == .none)
    }

    @Test func reasonsThatReadTheSameAreEqual() {
        // Signals compare by what their reasons say, however the reason was put together.
        #expect(SignalReason("close broke the 5-bar low ", .paise(149_950)) == SignalReason("close broke the 5-bar low 1499.50"))
        #expect(SignalReason("ADX ", .magnitude(31)) != SignalReason("ADX ", .magnitude(32)))
        let a = Signal(symbol: 1, side: .buy, intent: .enter, explanation: SignalReason("trailing stop ", .paise(100)))
        let b = Signal(symbol: 1, side: .buy, intent: .enter, reason: "trailing stop 1.00")
        #expect(a == b)
    }
}
