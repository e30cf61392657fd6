import Foundation
import Testing

/// The built `kite-sim` running in the background on a free loopback port, for the tests that
/// prove the Kite adapter over the real REST API.
final class KiteSimServer {
    static let apiKey = "kitesimkey1"
    static let apiSecret = "kitesimsecret1"
    static let accessToken = "kitesimtoken1"

    let process = Process()
    let port: Int
    let stderrURL: URL

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts `kite-sim serve --port 0 …` with `arguments` added and waits for its first line.
    init(_ arguments: [String], directory: URL) throws {
        stderrURL = directory.appending(path: "kite-sim-\(UUID().uuidString.prefix(8)).err")
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let pipe = Pipe()
        process.executableURL = ToolProcess.buildDirectory.appending(path: "kite-sim")
        process.arguments = ["serve", "--port", "0", "--api-key", Self.apiKey, "--api-secret", Self.apiSecret,
                             "--access-token", Self.accessToken] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = pipe
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        var line = Data()
        let reader = pipe.fileHandleForReading
        while !line.contains(0x0A) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let match = text.firstMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/), let port = Int(match.1) else {
            process.terminate()
            let stderr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            throw KiteSimFailed(description: "kite-sim did not start: \(text) \(stderr)")
        }
        self.port = port
    }

    struct KiteSimFailed: Error, CustomStringConvertible { var description: String }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// GET or POST on kite-sim's own endpoints (`/sim/…`), answered as JSON.
    func sim(_ path: String, form: [String: String]? = nil) throws -> [String: Any] {
        var arguments = ["-s", "-m", "10", baseURL + path]
        if let form {
            for (key, value) in form.sorted(by: { $0.key < $1.key }) { arguments += ["--data-urlencode", "\(key)=\(value)"] }
        }
        let result = try ToolProcess.run(program: URL(filePath: "/usr/bin/curl"), arguments)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (object?["data"] as? [String: Any]) ?? object ?? [:]
    }

    /// The broker section of a home's broker_config.yaml pointed at this kite-sim, with limits a
    /// replay at full speed does not wait on.
    func configure(_ home: TestHome) throws {
        try home.edit("config/broker_config.yaml", replacing: "active_broker: paper", with: "active_broker: kite")
        try home.edit("config/broker_config.yaml", replacing: "base_url: https://api.kite.trade", with: "base_url: \(baseURL)")
        for (old, new) in [("requests_per_second: 10 ", "requests_per_second: 2000 "), ("quote_requests_per_second: 1\n", "quote_requests_per_second: 100\n"),
                           ("historical_requests_per_second: 3\n", "historical_requests_per_second: 100\n"),
                           ("orders_per_second: 10\n", "orders_per_second: 1000\n"), ("orders_per_minute: 400\n", "orders_per_minute: 60000\n"),
                           ("orders_per_day: 5000 ", "orders_per_day: 100000 ")] {
            try home.edit("config/broker_config.yaml", replacing: old, with: new)
        }
    }

    /// `.env` of a live home for this kite-sim (all gates open: the test stands in for the trader).
    static let liveEnv = """
        ENVIRONMENT=production
        ENABLE_REAL_TRADING=true
        KITE_API_KEY=\(apiKey)
        KITE_API_SECRET=\(apiSecret)
        KITE_ACCESS_TOKEN=\(accessToken)

        """
}
