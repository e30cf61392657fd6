import AlphaPrimeSupport
import AlphaPrimeDomain
import ArgumentParser
import Foundation
import Synchronization

/// The HTTP server the dashboard serves with. The `dashboard` executable installs one (Hummingbird)
/// before it runs; no other tool links an HTTP server.
public enum DashboardTransport {
    static let installed = Mutex<(any WebServing)?>(nil)

    public static func install(_ server: any WebServing) { installed.withLock { $0 = server } }

    static var server: (any WebServing)? { installed.withLock { $0 } }
}

/// `dashboard`: the web pages a trader watches the system on (docs/dashboard.md).
public struct DashboardCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve the web dashboard: overview, strategies, performance, reports, settings, and guarded stop controls.",
        discussion: """
            Listens on general_config.yaml dashboard.host:dashboard.port (127.0.0.1:8050) until stopped (Ctrl-C or \
            SIGTERM). Pages are read from the state database and reload themselves while the market is open. The \
            controls (stop new entries, stop and flatten, emergency stop) ask for DASHBOARD_TOKEN from .env and a \
            confirmation; without the token the dashboard is read-only. An address other than loopback needs the \
            token, and every page then asks for it. Exit 0 when stopped; 69 when it cannot listen; 78 on a \
            configuration error.
            """,
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("Listen on this address instead of dashboard.host.", valueName: "address"))
    public var host: String?

    @Option(name: .long, help: ArgumentHelp("Listen on this port instead of dashboard.port (0: any free port, printed when listening).", valueName: "port"))
    public var port: Int?

    public init() {}

    public func validate() throws {
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be from 0 to 65535, got \(port)") }
    }

    public func run() async throws {
        try await ToolRunner.run(tool: "dashboard") {
            let context = try ToolContext.load(common, tool: "dashboard")
            var settings = context.configuration.general.dashboardSettings
            if let host { settings.host = host }
            if let port { settings.port = port }
            let token = context.configuration.environment.dashboardToken
            guard settings.isLoopback || !(token ?? "").isEmpty else {
                throw DashboardError.openWithoutToken(settings.host)
            }
            guard let server = DashboardTransport.server else { throw NotBuiltYet("serving the dashboard from this executable") }
            let guardian = DashboardGuard(token: token, host: settings.host, port: settings.port, loopback: settings.isLoopback)
            let site = DashboardSite(data: DashboardData(context: context), guardian: guardian, refreshSeconds: settings.refreshSeconds)
            let host = settings.host, logger = context.logger
            do {
                try await server.serve(host: host, port: settings.port, handler: { await site.handle($0) }, started: { port in
                    guardian.listening(on: port)
                    let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/"
                    logger.notice("dashboard listening", metadata: ["url": "\(url)", "controls": "\(guardian.controlsEnabled ? "on" : "read-only")"])
                    ToolRunner.printOut("dashboard: serving \(url) (\(guardian.controlsEnabled ? "controls need DASHBOARD_TOKEN" : "read-only: no DASHBOARD_TOKEN"))")
                })
            } catch {
                throw DashboardError.cannotListen(host: host, port: settings.port, reason: "\(error)")
            }
            logger.notice("dashboard stopped")
            ToolRunner.printOut("dashboard: stopped")
            return .ok
        }
    }
}

enum DashboardError: Error, CustomStringConvertible, ExitStatusProviding {
    case openWithoutToken(String)
    case cannotListen(host: String, port: Int, reason: String)

    var description: String {
        switch self {
        case .openWithoutToken(let host):
            "dashboard.host \(host) is reachable beyond this machine: set DASHBOARD_TOKEN in .env (openssl rand -hex 24) or listen on 127.0.0.1"
        case let .cannotListen(host, port, reason):
            "cannot listen on \(host):\(port) (\(reason)); is another dashboard running? Choose another dashboard.port or --port"
        }
    }

    var exitStatus: ExitStatus {
        switch self {
        case .openWithoutToken: .configError
        case .cannotListen: .unavailable
        }
    }
}
