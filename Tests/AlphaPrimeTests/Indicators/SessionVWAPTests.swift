import Testing
import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeCore
import AlphaPrimePaper
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeCommands

@Suite struct SessionVWAPTests {
    @Test func volumeWeightedTypicalPriceResetAtEachSession() {
        var vwap = SessionVWAP()
        #expect(vwap.value == nil && !vwap.isReady)
        vwap.update(high: 12, low: 9, close: 9, volume: 100)  // the first bar starts a session; typical 10
        #expect(vwap.value == 10)
        vwap.update(high: 13, low: 10, close: 10, volume: 300)  // typical 11
        #expect(vwap.value == 10.75)  // (10·100 + 11·300) / 400
        #expect(vwap.sessionVolume == 400)

        vwap.update(high: 21, low: 18, close: 21, volume: 0, startsSession: true)
        #expect(vwap.value == nil)  // a new session that has not traded yet
        vwap.update(high: 21, low: 18, close: 21, volume: 50)  // typical 20
        #expect(vwap.value == 20)

        vwap.beginSession()
        #expect(vwap.value == nil)
        vwap.update(high: 3, low: 3, close: 3, volume: 1)
        #expect(vwap.value == 3)
    }

    @Test func anIndexWithoutVolumeHasNoVWAP() {
        var vwap = SessionVWAP()
        for close in [14_702.5, 14_708.1, 14_688.0] {
            vwap.update(high: close, low: close, close: close, volume: 0)
        }
        #expect(vwap.value == nil)
    }
}
