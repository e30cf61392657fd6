import AlphaPrimeSupport

extension Optional {
    /// The value, or ``EngineError/recordMismatch(_:)`` saying the state database left `what` out:
    /// a record read back without its id is a broken database, not a reason to crash.
    package func required(_ what: @autoclosure () -> String) throws -> Wrapped {
        guard let self else { throw EngineError.recordMismatch("\(what()) is missing from what the state database returned") }
        return self
    }
}

/// Errors of the engine that are not the store's or the configuration's.
public enum EngineError: Error, ExitStatusProviding, CustomStringConvertible {
    /// A recorded order differs from the one the engine re-created.
    case recordMismatch(String)
    /// Market data for the replay is missing.
    case noMarketData(String)
    /// The replay source cannot be used.
    case badReplay(String)

    public var exitStatus: ExitStatus {
        switch self {
        case .recordMismatch: .dataError
        case .noMarketData: .noInput
        case .badReplay: .dataError
        }
    }

    public var description: String {
        switch self {
        case .recordMismatch(let m), .noMarketData(let m), .badReplay(let m): m
        }
    }
}
