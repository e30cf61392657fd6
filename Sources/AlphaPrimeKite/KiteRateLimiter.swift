import AlphaPrimeExecution

/// Kite Connect's published limits, kept by the limiter both live adapters share.
public typealias KiteRateLimiter = BrokerRequestLimiter
