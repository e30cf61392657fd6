import AlphaPrimeHTTP

/// The thread Kite order commands go out on.
typealias KiteOrderLane = CommandLane<KiteClient>
