import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeAlerts
import ArgumentParser
import Foundation

extension AlertKind: ExpressibleByArgument {}
extension AlertSeverity: ExpressibleByArgument {}

/// `alert test | send`: the e-mail and Telegram alerts `.env` configures.
public struct AlertCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "alert",
        abstract: "Send a test alert through each channel, or one alert (runbooks, cron).",
        discussion: """
            Channels come from .env: e-mail when SMTP_HOST and SMTP_TO are set (SMTP_PORT, SMTP_USER, SMTP_PASSWORD, \
            SMTP_FROM; general_config.yaml alerts.smtp_security: starttls, ssl or none), Telegram when \
            TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID are set. alert send sends the same alert (its --key, else its \
            kind) at most once per alerts.dedup_minutes (15), remembered in var/alerts-sent.json. Exit 0: sent, \
            suppressed as a repeat, or no channel configured (said on standard error); 69: a channel failed after \
            its retries; 78: alert test with no channel configured.
            """,
        version: AlphaPrimeVersion.string,
        subcommands: [Test.self, Send.self])

    /// The shared flags, also accepted before the subcommand.
    @OptionGroup public var common: CommonOptions

    public init() {}

    static let ledgerFile = "alerts-sent.json"

    static func channels(_ context: ToolContext) throws -> [any AlertChannel] {
        try AlertChannels.configured(environment: context.configuration.environment,
                                     settings: context.configuration.general.alertSettings)
    }

    struct Output: Encodable {
        var alert: String
        var sent: [String]
        var failed: [Failure]
        var suppressed: Bool

        struct Failure: Encodable {
            var channel: String
            var error: String
        }
    }

    static func report(_ output: Output, json: Bool) throws -> ExitStatus {
        try ToolRunner.printResult(output, json: json) {
            var lines: [String] = []
            if output.suppressed { lines.append("\(output.alert): not sent again (the same alert went out within the deduplication interval)") }
            for channel in output.sent { lines.append("\(output.alert): sent by \(channel)") }
            for f in output.failed { lines.append("\(output.alert): \(f.channel) FAILED: \(f.error)") }
            return lines.joined(separator: "\n")
        }
        return output.failed.isEmpty ? .ok : .unavailable
    }

    public struct Test: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "test", abstract: "Send one test alert through each configured channel, now.")

        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: AlertCommand
        var common: CommonOptions { EngineCommand.merged(own, parent.common) }

        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "alert test") {
                let context = try ToolContext.load(common, tool: "alert")
                let channels = try AlertCommand.channels(context)
                guard !channels.isEmpty else {
                    ToolRunner.printError("alert test: no alert channel is configured: set SMTP_HOST and SMTP_TO, or TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID, in .env")
                    return .configError
                }
                let alert = Alert(kind: .test, severity: .info, title: "test alert",
                                  message: "A test of ALPHA-PRIME's alerts from \(ProcessInfo.processInfo.hostName): if you read this, the channel works.",
                                  key: "test-\(UUID().uuidString)", raisedAt: Int64(Date().timeIntervalSince1970))
                // Straight through each channel, without deduplication or retries: what fails, fails now.
                var output = Output(alert: "test", sent: [], failed: [], suppressed: false)
                for channel in channels {
                    do {
                        try channel.send(alert)
                        output.sent.append(channel.name)
                        context.logger.notice("test alert sent", metadata: ["alert.channel": "\(channel.name)"])
                    } catch {
                        output.failed.append(.init(channel: channel.name, error: "\(error)"))
                        context.logger.error("test alert could not be sent", metadata: ["alert.channel": "\(channel.name)", "error": "\(error)"])
                    }
                }
                return try AlertCommand.report(output, json: common.json)
            }
        }
    }

    public struct Send: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "send", abstract: "Send one alert (deduplicated), through every configured channel.")

        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: AlertCommand
        var common: CommonOptions { EngineCommand.merged(own, parent.common) }
        @Option(name: .long, help: ArgumentHelp("What it is about: \(AlertKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind"))
        public var kind: AlertKind
        @Option(name: .long, help: ArgumentHelp("info, warning or critical (default: warning).", valueName: "severity"))
        public var severity: AlertSeverity = .warning
        @Option(name: .long, help: ArgumentHelp("The subject line.", valueName: "text"))
        public var title: String
        @Option(name: .long, help: ArgumentHelp("The text (default: the title).", valueName: "text"))
        public var message: String?
        @Option(name: .long, help: ArgumentHelp("The same alert for deduplication (default: the kind).", valueName: "key"))
        public var key: String?

        public init() {}

        public func validate() throws {
            guard !title.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--title must not be empty") }
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "alert send") {
                let context = try ToolContext.load(common, tool: "alert")
                let channels = try AlertCommand.channels(context)
                let alert = Alert(kind: kind, severity: severity, title: title, message: message ?? title, key: key,
                                  raisedAt: Int64(Date().timeIntervalSince1970))
                guard !channels.isEmpty else {
                    ToolRunner.printError("alert send: no alert channel is configured; nothing sent (\(alert.title))")
                    return .ok
                }
                let settings = context.configuration.general.alertSettings
                let ledger = FileAlertLedger(url: context.home.varDirectory.appending(path: AlertCommand.ledgerFile))
                let dispatcher = AlertDispatcher(channels: channels, dedupSeconds: Int64(settings.dedupMinutes * 60), ledger: ledger,
                                                 logger: context.logger)
                dispatcher.raise(alert)
                dispatcher.drain(timeout: 120)
                dispatcher.stop()
                let results = dispatcher.results
                let output = Output(alert: alert.key, sent: results.filter { $0.failure == nil }.map(\.channel),
                                    failed: results.compactMap { r in r.failure.map { .init(channel: r.channel, error: $0) } },
                                    suppressed: results.isEmpty)
                return try AlertCommand.report(output, json: common.json)
            }
        }
    }
}
