import Foundation
import Testing

/// `market-data instruments` and `market-data fetch`, the built tool against a built kite-sim that
/// serves the bundled bars (data/market_data/) as Kite's historical candles.
@Suite struct MarketDataFetchToolTests {
    /// A home whose `kite` section points at the running kite-sim, with its key and token in `.env`.
    static func home(for sim: KiteSimProcess, token: String = KiteSimProcess.accessToken, databaseURL: String? = nil) throws -> TestHome {
        let home = try TestHome()
        try home.edit("config/broker_config.yaml", replacing: "base_url: https://api.kite.trade",
                      with: "base_url: http://127.0.0.1:\(sim.port)")
        var env = "KITE_API_KEY=\(KiteSimProcess.apiKey)\nKITE_ACCESS_TOKEN=\(token)\n"
        if let databaseURL { env += "DATABASE_URL=\(databaseURL)\n" }
        try home.writeDotEnv(env)
        return home
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func bundled(_ symbol: String) -> URL {
        KiteSimProcess.dataFolder.appending(path: "\(symbol)/1m/2021.csv")
    }

    /// Historical requests kite-sim received (it logs each request's path at debug level).
    static func historicalRequests(_ sim: KiteSimProcess) -> Int {
        let log = (try? String(contentsOf: sim.tool.stderrURL, encoding: .utf8)) ?? ""
        return log.split(separator: "\n").filter { $0.contains("/instruments/historical/") }.count
    }

    @Test func theInstrumentMasterIsDownloadedAndReplacedPerExchange() throws {
        let sim = try KiteSimProcess()
        let home = try Self.home(for: sim)
        defer { try? FileManager.default.removeItem(at: home.root) }

        let all = try home.run("market-data", ["instruments", "--json"])
        #expect(all.status == 0, "\(all.stdout)\(all.stderr)")
        let doc = try Self.json(all.stdout)
        let segments = try #require(doc["segments"] as? [[String: Any]])
        let counts = Dictionary(uniqueKeysWithValues: segments.map { ("\($0["exchange"]!)/\($0["segment"]!)", $0["count"] as! Int) })
        // The 99 rows of Kite's mock and kite-sim's five: NIFTY 50, NIFTY BANK and INDIA VIX (INDICES), NIFTY and BANKNIFTY.
        #expect(counts == ["BSE/BSE": 19, "NFO/NFO-OPT": 25, "NSE/INDICES": 3, "NSE/NSE": 57])
        #expect(doc["instruments"] as? Int == 104 && doc["replaced"] as? Int == 0)

        // One exchange again: only its rows are replaced.
        let nse = try home.run("market-data", ["instruments", "--exchange", "nse"])
        #expect(nse.status == 0, "\(nse.stdout)\(nse.stderr)")
        #expect(nse.stdout.contains("instrument master: 60 instruments of NSE downloaded"))
        #expect(nse.stdout.contains("(replacing 60)"))
        #expect(nse.stdout.contains("NSE INDICES  3"))

        // health-check finds the configured indices in it.
        let health = try home.run("health-check", ["--json"])
        let findings = try #require(try Self.json(health.stdout)["findings"] as? [[String: Any]])
        let lines = findings.filter { $0["check"] as? String == "instruments" }
        #expect(lines.count == 2 && lines.allSatisfy { $0["status"] as? String == "info" }, "\(lines)")
        #expect(lines.contains { ($0["detail"] as? String)?.contains("NIFTY 50: lot and tick not checked: no monthly NIFTY future") == true })
    }

    @Test func aFetchedFortnightIsTheBundledFileAndASecondRunFetchesNothing() throws {
        let sim = try KiteSimProcess(["--log-level", "debug"])
        let home = try Self.home(for: sim)
        defer { try? FileManager.default.removeItem(at: home.root) }
        #expect(try home.run("market-data", ["instruments"]).status == 0)

        for (symbol, folder) in [("NIFTY 50", "NIFTY50"), ("BANKNIFTY", "BANKNIFTY")] {
            let first = try home.run("market-data", ["fetch", "--symbol", symbol, "--from", "2021-02-15", "--to", "2021-02-26"])
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect(first.stdout.contains("10 trading days, 0 already stored, 10 to fetch in 1 request"))
            // Not a terminal: one plain progress line per request.
            #expect(first.stderr.contains("market-data fetch: 1/1 2021-02-15 … 2021-02-26: 34"))
            let written = home.path("data/market_data/\(folder)/1m/2021.csv")
            #expect(try Data(contentsOf: written) == Data(contentsOf: Self.bundled(folder)), "\(folder)")
        }
        #expect(Self.historicalRequests(sim) == 2)

        let written = home.path("data/market_data/NIFTY50/1m/2021.csv")
        let stamp = try FileManager.default.attributesOfItem(atPath: written.path)[.modificationDate] as? Date
        let again = try home.run("market-data", ["fetch", "--symbol", "NIFTY", "--from", "2021-02-15", "--to", "2021-02-26", "--json"])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        let doc = try Self.json(again.stdout)
        #expect(doc["already_stored"] as? Int == 10 && (doc["planned"] as? [Any])?.isEmpty == true)
        #expect(doc["bars_written"] as? Int == 0 && doc["passed"] as? Bool == true)
        #expect(Self.historicalRequests(sim) == 2)
        #expect(try FileManager.default.attributesOfItem(atPath: written.path)[.modificationDate] as? Date == stamp)

        // One day removed from the store: only that day is asked for.
        let partial = try home.run("market-data", ["fetch", "--symbol", "NIFTY 50", "--from", "2021-02-15", "--to", "2021-02-26",
                                                   "--refetch", "--dry-run"])
        #expect(partial.stdout.contains("0 already stored, 10 to fetch in 1 request"))
    }

    @Test func aRangeBeyondOneRequestsLimitIsSplit() throws {
        let sim = try KiteSimProcess(["--log-level", "debug"])
        let home = try Self.home(for: sim)
        defer { try? FileManager.default.removeItem(at: home.root) }
        #expect(try home.run("market-data", ["instruments", "--exchange", "NSE"]).status == 0)

        // 2020-12-01 … 2021-02-26 spans 88 calendar days: more than one minute request may (60).
        let result = try home.run("market-data", ["fetch", "--symbol", "NIFTY BANK", "--from", "2020-12-01", "--to", "2021-02-26", "--json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let doc = try Self.json(result.stdout)
        let requests = try #require(doc["requests"] as? [[String: Any]])
        #expect(requests.map { "\($0["first"]!) … \($0["last"]!)" } == ["2020-12-01 … 2021-01-29", "2021-02-01 … 2021-02-26"])
        #expect(requests.map { $0["bars"] as? Int } == [0, 3_429])
        #expect(doc["bars_written"] as? Int == 3_429 && doc["days_fetched"] as? Int == 10)
        #expect(Self.historicalRequests(sim) == 2)
        #expect(try Data(contentsOf: home.path("data/market_data/BANKNIFTY/1m/2021.csv")) == Data(contentsOf: Self.bundled("BANKNIFTY")))

        // 5-minute candles: one request (limit 100 days), on the session grid.
        let five = try home.run("market-data", ["fetch", "--symbol", "BANKNIFTY", "--from", "2020-12-01", "--to", "2021-02-26",
                                                "--interval", "5minute"])
        #expect(five.status == 0, "\(five.stdout)\(five.stderr)")
        #expect(five.stdout.contains("in 1 request"))
        #expect(FileManager.default.fileExists(atPath: home.path("data/market_data/BANKNIFTY/5m/2021.csv").path))
    }

    @Test func kiteErrorsEndWithTheirExitCodes() throws {
        let sim = try KiteSimProcess()
        let home = try Self.home(for: sim)
        defer { try? FileManager.default.removeItem(at: home.root) }
        #expect(try home.run("market-data", ["instruments"]).status == 0)

        // A symbol the master does not have: 66, saying what to run.
        let unknown = try home.run("market-data", ["fetch", "--symbol", "NOSUCH", "--from", "2021-02-15", "--to", "2021-02-16"])
        #expect(unknown.status == 66)
        #expect(unknown.stderr.contains("download the list with: market-data instruments"))
        // Bad dates: 64.
        let dates = try home.run("market-data", ["fetch", "--symbol", "NIFTY 50", "--from", "2021-02-30", "--to", "2021-03-01"])
        #expect(dates.status == 64 && dates.stderr.contains("--from '2021-02-30' is not a date"))

        // A token Kite refuses: 78, to log in again.
        let refused = try Self.home(for: sim, token: "not-the-token")
        defer { try? FileManager.default.removeItem(at: refused.root) }
        // The list needs no session, as at Kite.
        #expect(try refused.run("market-data", ["instruments"]).status == 0)
        let token = try refused.run("market-data", ["fetch", "--symbol", "NIFTY 50", "--from", "2021-02-15", "--to", "2021-02-16"])
        #expect(token.status == 78, "\(token.stdout)\(token.stderr)")
        #expect(token.stderr.contains("TokenException") && token.stderr.contains("broker login"))
        #expect(!token.stderr.contains("not-the-token"))

        // Kite gone: 69, and nothing written.
        _ = sim.stop()
        let gone = try home.run("market-data", ["fetch", "--symbol", "NIFTY 50", "--from", "2021-02-15", "--to", "2021-02-16"])
        #expect(gone.status == 69, "\(gone.stdout)\(gone.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.path("data/market_data/NIFTY50").path))
        #expect(try home.run("market-data", ["instruments"]).status == 69)
    }

    @Test(.enabled(if: TestPostgres.enabled, TestPostgres.skipNote))
    func theMasterIsStoredInPostgreSQLToo() throws {
        let schema = try TestPostgres.makeSchema()
        defer { schema.drop() }
        let sim = try KiteSimProcess()
        let home = try Self.home(for: sim, databaseURL: schema.url())
        defer { try? FileManager.default.removeItem(at: home.root) }
        let result = try home.run("market-data", ["instruments"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("stored in postgres"))
        let fetched = try home.run("market-data", ["fetch", "--symbol", "NIFTY 50", "--from", "2021-02-22", "--to", "2021-02-22"])
        #expect(fetched.status == 0, "\(fetched.stdout)\(fetched.stderr)")
        #expect(fetched.stdout.contains("375 bars of 1 trading day"))
    }
}
