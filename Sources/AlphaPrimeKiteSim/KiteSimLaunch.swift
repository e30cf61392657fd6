import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// What `kite-sim serve` was given on its command line, before anything is read from disk.
public struct KiteSimOptions: Sendable {
    public var port = 0
    public var apiKey = ""
    public var apiSecret = ""
    public var redirectURL = "http://127.0.0.1/kite-sim/redirect"
    public var accessToken: String?
    /// Opening cash, rupees (whole or with paise: `1000000`, `250000.50`).
    public var cash = "1000000"
    public var instrumentsFile: String?
    public var dataFolder: String?
    public var home: String?
    public var slippageTicks = 0
    /// `external` or `replay`.
    public var market = "external"
    public var date: String?
    public var speed = 1.0
    /// The ticker WebSocket's port (0: any free port).
    public var tickerPort = 0
    /// The day the ticker streams from the start (`--ticker-date`); nil: no ticks until `POST /sim/ticker`.
    public var tickerDate: String?
    /// × real time (`--ticker-speed`, default 1).
    public var tickerSpeed: String?
    /// IST `HH:MM[:SS]` the ticker's clock starts at (`--ticker-start`, default 09:14:00).
    public var tickerStart: String?
    /// Fault flags given, by name without `--` (``FaultSettings/names``).
    public var faults: [(name: String, value: String)] = []

    public init() {}

    /// A flag that is wrong on its face: the message says what was expected.
    public struct UsageError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Checks the flags that need no file: the ports, the keys, the cash, the market and its date
    /// and speed, the ticker's start, the fault settings.
    public func checked(now: Date = Date()) throws(UsageError)
        -> (cash: Int64, market: SimMarketMode, faults: FaultSettings, ticker: TickerStart?) {
        guard (0...65_535).contains(port) else { throw UsageError(description: "--port \(port): expected 0 (any free port) to 65535") }
        guard (0...65_535).contains(tickerPort) else {
            throw UsageError(description: "--ticker-port \(tickerPort): expected 0 (any free port) to 65535")
        }
        var ticker: TickerStart?
        if let tickerDate {
            switch TickerStart.parse(date: tickerDate, speed: tickerSpeed, start: tickerStart) {
            case .success(let start): ticker = start
            case .failure(let error): throw UsageError(description: error.description)
            }
        } else if tickerSpeed != nil || tickerStart != nil {
            throw UsageError(description: "--ticker-speed and --ticker-start need --ticker-date YYYY-MM-DD (the day the ticker streams)")
        }
        guard !apiKey.isEmpty else { throw UsageError(description: "--api-key: expected the API key clients will send") }
        guard !apiSecret.isEmpty else { throw UsageError(description: "--api-secret: expected the API secret checksums are made with") }
        guard let cash = Paise(rupees: cash)?.value, cash >= 0 else {
            throw UsageError(description: "--cash \"\(cash)\": expected rupees, 0 or more, at most two decimals")
        }
        guard slippageTicks >= 0 else { throw UsageError(description: "--slippage-ticks \(slippageTicks): expected 0 or more") }
        if let accessToken, accessToken.isEmpty || accessToken.contains(":") {
            throw UsageError(description: "--access-token: expected a token without ':'")
        }
        guard let url = URL(string: redirectURL), url.scheme == "http" || url.scheme == "https" else {
            throw UsageError(description: "--redirect-url \"\(redirectURL)\": expected an http(s) URL")
        }
        let mode: SimMarketMode
        switch market {
        case "external":
            guard date == nil else { throw UsageError(description: "--date is for --market replay only") }
            mode = .external
        case "replay":
            guard let text = date, let day = LocalDate(text) else {
                throw UsageError(description: "--market replay needs --date YYYY-MM-DD (the day of bundled bars to replay)")
            }
            guard speed.isFinite, speed > 0 else { throw UsageError(description: "--speed \(speed): expected a positive number") }
            mode = .replay(date: day, speed: speed)
        default:
            throw UsageError(description: "--market \"\(market)\": expected external or replay")
        }
        var settings = FaultSettings()
        for (name, value) in faults {
            do throws(FaultSettingError) {
                try settings.set(name, to: value, now: IST.epochSeconds(now))
            } catch {
                throw UsageError(description: error.description)
            }
        }
        return (cash, mode, settings, ticker)
    }

    /// The server's configuration: the flags checked, the instrument list read, the bar folder
    /// found (`--data`, else `<home>/data/market_data`, the home resolved as every tool resolves it).
    public func configuration() throws -> KiteSimConfiguration {
        let (cash, market, faults, ticker) = try checked()
        let cwd = URL(filePath: FileManager.default.currentDirectoryPath, directoryHint: .isDirectory)
        let instruments = try instrumentsFile.map { try SimInstrumentList.read(file: URL(filePath: $0, relativeTo: cwd)) }
            ?? SimInstrumentList.standard()
        let folder: URL
        if let dataFolder {
            folder = URL(filePath: dataFolder, directoryHint: .isDirectory, relativeTo: cwd).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw MissingDataFolder(path: folder.path)
            }
        } else {
            folder = AlphaPrimeHome.resolve(explicit: home).dataDirectory.appending(path: "market_data", directoryHint: .isDirectory)
        }
        return KiteSimConfiguration(
            port: port, apiKey: apiKey, apiSecret: apiSecret, redirectURL: redirectURL, accessToken: accessToken, cash: cash,
            instruments: instruments, bars: BarFiles(folder: folder), slippageTicks: Int64(slippageTicks), market: market,
            faults: faults, tickerPort: tickerPort, ticker: ticker)
    }
}

/// `--data DIR` names no folder.
public struct MissingDataFolder: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public var path: String
    public var description: String { "--data \(path): no such folder" }
    public var exitStatus: ExitStatus { .noInput }
}

/// What the executable needs of the platform's conventions.
public enum KiteSimLaunch {
    /// The version every tool prints.
    public static var version: String { AlphaPrimeVersion.string }

    /// The documented exit code (docs/exit-codes.md) for an error that stopped the server.
    public static func exitCode(for error: any Error) -> Int32 {
        if error is KiteSimOptions.UsageError { return ExitStatus.usage.rawValue }
        return ((error as? any ExitStatusProviding)?.exitStatus ?? .internalError).rawValue
    }
}
