import AlphaPrimeHTTP

/// The thread Upstox order commands go out on.
typealias UpstoxOrderLane = CommandLane<UpstoxClient>
