import AlphaPrimeExecution

/// Upstox's limits, kept by the limiter both live adapters share.
public typealias UpstoxRateLimiter = BrokerRequestLimiter
