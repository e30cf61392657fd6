import AlphaPrimeSupport

/// What an alert is about: the trader hears of each at once, on a phone.
public enum AlertKind: String, Sendable, Codable, CaseIterable {
    case killSwitch = "kill_switch"
    case circuitBreaker = "circuit_breaker"
    case dailyLoss = "daily_loss"
    case heartbeatStale = "heartbeat_stale"
    case feedStale = "feed_stale"
    case brokerToken = "broker_token"
    case backupFailed = "backup_failed"
    case runbookFailed = "runbook_failed"
    case healthCritical = "health_critical"
    case endOfDay = "end_of_day"
    case strategyDemoted = "strategy_demoted"
    case test
}

/// How loud an alert is.
public enum AlertSeverity: String, Sendable, Codable, DeclarationOrdered {
    case info, warning, critical
}

/// One alert: a short title for the subject line or the first line of a message, and the text.
public struct Alert: Sendable, Equatable {
    public var kind: AlertKind
    public var severity: AlertSeverity
    public var title: String
    public var message: String
    /// Alerts with the same key are the same alert: sent at most once per deduplication interval
    /// (the kind, unless a finer key is given: the breaker's name, the loss threshold).
    public var key: String
    /// When it was raised (UTC epoch seconds).
    public var raisedAt: Int64

    public init(kind: AlertKind, severity: AlertSeverity, title: String, message: String, key: String? = nil, raisedAt: Int64) {
        self.kind = kind
        self.severity = severity
        self.title = title
        self.message = message
        self.key = key ?? kind.rawValue
        self.raisedAt = raisedAt
    }
}

/// Where alerts go (e-mail, Telegram). Raising never blocks and never throws: a channel that is
/// down is the sender's to log and retry, never the caller's to wait for.
public protocol AlertSink: AnyObject, Sendable {
    func raise(_ alert: Alert)
}
