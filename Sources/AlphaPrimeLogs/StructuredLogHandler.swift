import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import Logging

/// The ALPHA-PRIME `LogHandler`: one redacted JSON object per line into `logs/` (see
/// ``LogFileSink``, ``LogLineFormat``), routed by ``LogCategory`` and level (``LogFile``).
///
/// Like every swift-log handler it is a value: level and metadata changes on one `Logger` do
/// not affect another. Handlers made for the same process share one sink and one
/// ``SecretRegistry``. `Logger` checks the level before building the message and metadata
/// (they are autoclosures), so a disabled `debug` in a hot loop costs one comparison.
public struct StructuredLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public let sink: LogFileSink
    public let secrets: SecretRegistry
    private let labelCategory: LogCategory

    public init(label: String, sink: LogFileSink, secrets: SecretRegistry, level: Logger.Level = .info,
                metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.sink = sink
        self.secrets = secrets
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.labelCategory = LogCategory(label: label)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let record = makeRecord(event, timestamp: sink.now())
        sink.write(LogLineFormat.json(record),
                   to: LogFile.destinations(category: record.category, level: record.level),
                   consoleLine: LogLineFormat.console(record))
    }

    /// The redacted record of an event: handler, provider and event metadata merged (the event's
    /// win), category taken out, every text passed through the redactor.
    func makeRecord(_ event: LogEvent, timestamp: Int64) -> LogRecord {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let given = event.metadata { merged.merge(given) { _, new in new } }

        var category = labelCategory
        if let value = merged.removeValue(forKey: LogCategory.metadataKey), let named = LogCategory(metadataValue: value) {
            category = named
        }

        let redactor = secrets.redactor
        var errorText: String?
        var errorType: String?
        if let error = event.error {
            errorText = redactor.redact(String(describing: error))
            errorType = String(reflecting: type(of: error))
        }
        return LogRecord(
            timestampMilliseconds: timestamp,
            level: event.level,
            label: label,
            category: LogCategory(rawValue: redactor.redact(category.rawValue)),
            message: redactor.redact(event.message.description),
            metadata: redactor.redact(merged),
            error: errorText,
            errorType: errorType,
            source: event.source,
            file: event.file,
            function: event.function,
            line: event.line,
            process: Self.processName,
            pid: Self.processID)
    }

    static let processName: String = ProcessInfo.processInfo.processName
    static let processID: Int32 = ProcessInfo.processInfo.processIdentifier
}
