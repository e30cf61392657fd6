import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Synchronization

/// SIGTERM and SIGINT ask a running engine to stop between bars (a plain `engine stop`). The
/// handler only sets an atomic flag, which is async-signal-safe; the loop reads it.
public enum EngineSignals {
    static let received = Atomic<Int32>(0)

    /// Installs the handlers (idempotent).
    public static func install() {
        _ = received.load(ordering: .relaxed)  // initialise the flag before a handler can touch it
        signal(SIGTERM) { _ in EngineSignals.received.store(1, ordering: .relaxed) }
        signal(SIGINT) { _ in EngineSignals.received.store(1, ordering: .relaxed) }
    }

    /// Whether a stop signal arrived.
    public static var stopRequested: Bool { received.load(ordering: .relaxed) != 0 }
}
