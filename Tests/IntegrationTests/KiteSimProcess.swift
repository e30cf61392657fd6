import AlphaPrimeCore
import AlphaPrimeDomain
import AlphaPrimeKite
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A built `kite-sim serve` on a free port, with a small HTTP client for it.
final class KiteSimProcess: @unchecked Sendable {
    static let apiKey = "rehearsalkey"
    static let apiSecret = "rehearsalsecret"
    static let accessToken = "rehearsaltoken"
    static var dataFolder: URL { TestHome.repositoryRoot.appending(path: "data/market_data") }

    let tool: BackgroundTool
    let directory: URL
    let port: Int
    /// The ticker WebSocket's port.
    let tickerPort: Int
    private let session: URLSession

    /// Starts the server (`--access-token` preloaded unless told otherwise) and waits for its
    /// `kite-sim listening on http://127.0.0.1:PORT` and `kite-sim ticker on ws://127.0.0.1:PORT` lines.
    init(_ arguments: [String] = [], preloadToken: Bool = true, data: URL = KiteSimProcess.dataFolder) throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "kite-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var all = ["serve", "--port", "0", "--api-key", Self.apiKey, "--api-secret", Self.apiSecret,
                   "--data", data.path, "--redirect-url", "http://127.0.0.1/after-login"]
        if preloadToken { all += ["--access-token", Self.accessToken] }
        let tool = try BackgroundTool(tool: "kite-sim", arguments: all + arguments, environment: ToolProcess.cleanEnvironment, directory: directory)
        self.tool = tool
        var found: (Int, Int)?
        _ = BackgroundTool.waitUntil(seconds: 30) {
            let out = (try? String(contentsOf: tool.stdoutURL, encoding: .utf8)) ?? ""
            let lines = out.split(separator: "\n")
            if lines.count >= 2, lines[0].hasPrefix("kite-sim listening on http://127.0.0.1:"),
               lines[1].hasPrefix("kite-sim ticker on ws://127.0.0.1:"),
               let api = Int(lines[0].dropFirst("kite-sim listening on http://127.0.0.1:".count)),
               let ticker = Int(lines[1].dropFirst("kite-sim ticker on ws://127.0.0.1:".count)) {
                found = (api, ticker)
            }
            return found != nil || !tool.isRunning
        }
        guard let found else {
            tool.kill()
            let err = (try? String(contentsOf: tool.stderrURL, encoding: .utf8)) ?? ""
            throw StartFailed(stderr: err)
        }
        (port, tickerPort) = found
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 8
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    struct StartFailed: Error, CustomStringConvertible {
        var stderr: String
        var description: String { "kite-sim did not start: \(stderr)" }
    }

    deinit {
        if tool.isRunning { tool.kill() }
        session.invalidateAndCancel()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops the server with `signal` and returns how it ended.
    func stop(_ signal: Int32 = SIGTERM) -> (status: Int32, stdout: String, stderr: String) {
        tool.kill(signal)
        let result = tool.wait()
        return (result.status, result.stdout, result.stderr)
    }

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }

        /// The envelope's data, or the `KiteError` it carries.
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try KiteResponse.decode(body, as: type, httpStatus: status)
        }

        /// The `KiteError` of an error answer (a test failure when the answer is a success).
        func kiteError() throws -> KiteError {
            do {
                _ = try KiteResponse.decode(body, as: KiteNothing?.self, httpStatus: status)
            } catch let error as KiteError {
                return error
            }
            throw NotAnError(status: status, body: text)
        }
    }

    struct NotAnError: Error { var status: Int; var body: String }

    /// The `Authorization` and `X-Kite-Version` headers of a session.
    static func auth(_ token: String = accessToken) -> [String: String] {
        ["Authorization": "token \(apiKey):\(token)", "X-Kite-Version": "3"]
    }

    /// One request; `form` goes in the query for GET and DELETE, in a form-encoded body otherwise.
    func call(_ method: String, _ path: String, _ form: [(String, String)] = [], headers: [String: String] = auth(),
              timeout: Double = 30) async throws -> Answer {
        let encoded = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let inQuery = method == "GET" || method == "DELETE"
        var url = "http://127.0.0.1:\(port)\(path)"
        if inQuery && !encoded.isEmpty { url += (path.contains("?") ? "&" : "?") + encoded }
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: timeout)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if !inQuery {
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(encoded.utf8)
        }
        // FoundationNetworking takes the session's timeout, not the request's: a shorter one gets a
        // session of its own.
        var session = self.session
        if timeout < session.configuration.timeoutIntervalForRequest {
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = timeout
            session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
        }
        defer { if session !== self.session { session.finishTasksAndInvalidate() } }
        return try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                let http = response as! HTTPURLResponse
                var fields: [String: String] = [:]
                for (key, value) in http.allHeaderFields { fields["\(key)".lowercased()] = "\(value)" }
                continuation.resume(returning: Answer(status: http.statusCode, headers: fields, body: data ?? Data()))
            }.resume()
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed)!
    }

    // MARK: The market and orders

    /// Posts a bar of `NSE:<symbol>` (`phase` bar, rest or last).
    @discardableResult
    func post(_ bar: Bar, symbol: String = "NIFTY", phase: String = "bar") async throws -> Int {
        let answer = try await call("POST", "/sim/market/bar", [
            ("exchange", "NSE"), ("tradingsymbol", symbol), ("time", "\(bar.time)"), ("open_paise", "\(bar.open)"),
            ("high_paise", "\(bar.high)"), ("low_paise", "\(bar.low)"), ("close_paise", "\(bar.close)"), ("phase", phase),
        ], headers: [:])
        struct Posted: Decodable { var fills: Int; var time: Int64 }
        let posted = try answer.decode(Posted.self)
        precondition(posted.time == bar.time)
        return posted.fills
    }

    /// Places a regular order and returns its id (throws the `KiteError` of a refusal).
    func place(_ side: String, _ type: String, quantity: Int64, symbol: String = "NIFTY", price: Int64? = nil,
               trigger: Int64? = nil, product: String = "MIS", tag: String? = nil) async throws -> String {
        var form = [("exchange", "NSE"), ("tradingsymbol", symbol), ("transaction_type", side), ("order_type", type),
                    ("quantity", "\(quantity)"), ("product", product), ("validity", "DAY")]
        if let price { form.append(("price", Paise(price).description)) }
        if let trigger { form.append(("trigger_price", Paise(trigger).description)) }
        if let tag { form.append(("tag", tag)) }
        return try await call("POST", "/orders/regular", form).decode(KiteOrderReference.self).orderID
    }

    func orders() async throws -> [KiteOrder] { try await call("GET", "/orders").decode([KiteOrder].self) }
    func trades() async throws -> [KiteTrade] { try await call("GET", "/trades").decode([KiteTrade].self) }
    func positions() async throws -> KitePositions { try await call("GET", "/portfolio/positions").decode(KitePositions.self) }

    /// `GET /sim/stats` as numbers (faults under `faults.<kind>`).
    func stats() async throws -> [String: Int] {
        let answer = try await call("GET", "/sim/stats", headers: [:])
        let object = try JSONSerialization.jsonObject(with: answer.body) as! [String: Any]
        let data = object["data"] as! [String: Any]
        var out: [String: Int] = [:]
        for (key, value) in data {
            if let n = value as? Int { out[key] = n }
            if let faults = value as? [String: Int] { for (kind, n) in faults { out["faults.\(kind)"] = n } }
        }
        return out
    }
}

/// Keeps a 302 as the answer instead of following it.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

/// The bundled 1-minute bars of a symbol (read by the platform's own canonical reader).
enum BundledBars {
    static func day(_ symbol: String, _ date: String) throws -> [Bar] {
        let series = try CanonicalCSV.read(url: KiteSimProcess.dataFolder.appending(path: "\(symbol)/1m/2021.csv"))
        let day = LocalDate(date)!
        return (0..<series.count).map { series[$0] }.filter { IST.dateTime(epochSeconds: $0.time).date == day }
    }
}
