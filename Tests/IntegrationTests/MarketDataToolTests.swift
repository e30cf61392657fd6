import Foundation
import Testing

/// The built `market-data` tool: reports, exit codes, JSON.
@Suite struct MarketDataToolTests {
    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func temporaryHome() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-md-\(UUID().uuidString)", directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func theCommittedSampleVerifies() throws {
        let files = ["NIFTY50", "BANKNIFTY"].map { Self.repository.appending(path: "data/market_data/\($0)/1m/2021.csv").path }
        let home = try temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try ToolProcess.run("market-data", ["verify", "--home", home.path] + files)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("NIFTY50 1m, 3428 rows, 3428 bars pass; 2021-02-15 09:15 IST … 2021-02-26 15:29 IST"))
        #expect(result.stdout.hasSuffix("passed\n"))
    }

    @Test func badRowsAreListedWithFileAndLineAndExit65() throws {
        let home = try temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appending(path: "bars.csv")
        try Data("""
            timestamp,open,high,low,close,volume
            2021-02-23T03:45:00Z,100.00,101.00,99.00,100.50,10
            2021-02-23T03:46:00Z,100.00,98.00,99.00,100.50,10
            2021-02-23T03:46:00Z,100.00,101.00,99.00,100.50,10

            """.utf8).write(to: file)
        let text = try ToolProcess.run("market-data", ["verify", "--home", home.path, file.path])
        #expect(text.status == 65)
        // The problems and the verdict go to standard error, the report to standard output.
        #expect(text.stderr.contains("\(file.path):3: high_below_low: high 98.00 is below low 99.00"))
        #expect(text.stderr.contains("market-data verify: FAILED"))
        #expect(text.stdout.contains("verify 1 file") && !text.stdout.contains("FAILED"))

        let skip = try ToolProcess.run("market-data", ["verify", "--policy", "skip", "--home", home.path, file.path])
        #expect(skip.status == 0)

        let json = try ToolProcess.run("market-data", ["verify", "--json", "--home", home.path, file.path])
        #expect(json.status == 65)
        #expect(json.stderr.contains("market-data verify: FAILED"))
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(doc["passed"] as? Bool == false)
        let summary = try #require(doc["summary"] as? [String: Any])
        #expect(summary["errors"] as? Int == 1)
        let problems = try #require(doc["problems"] as? [[String: Any]])
        #expect(problems.first?["line"] as? Int == 3)
        #expect(problems.first?["kind"] as? String == "high_below_low")
    }

    @Test func aMissingFileIs66() throws {
        let result = try ToolProcess.run("market-data", ["verify", "/nonexistent/bars.csv"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("/nonexistent/bars.csv"))
    }

    @Test func badFlagsNameWhatWasExpected() throws {
        let format = try ToolProcess.run("market-data", ["import", "--format", "excel", "--symbol", "X", "f.csv"])
        #expect(format.status == 64)
        #expect(format.stderr.contains("'headerless'"))
        let to = try ToolProcess.run("market-data", ["resample", "--to", "7x", "--out", "b.csv", "a.csv"])
        #expect(to.status == 64)
        #expect(to.stderr.contains("1m"))
        let symbol = try ToolProcess.run("market-data", ["import", "--format", "iso", "--symbol", "../x", "f.csv"])
        #expect(symbol.status == 64)
        #expect(symbol.stderr.contains("--symbol"))
        let none = try ToolProcess.run("market-data", ["verify"])
        #expect(none.status == 64)
    }

    /// Import with the home's trading calendar: real headerless rows (end-labelled, with the pre-open
    /// and closing rows) become canonical start-labelled bars under data/market_data/.
    @Test func importWritesCanonicalBarsUsingTheHomeCalendar() throws {
        let home = try TestHome()
        defer { home.remove() }
        let source = Self.repository.appending(path: "Tests/AlphaPrimeTests/Fixtures/market/NIFTY50_2021-02-23_24.txt")
        let result = try ToolProcess.run("market-data", ["import", "--format", "headerless", "--symbol", "NIFTY50", source.path],
                                         environment: home.environment())
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let saved = home.path("data/market_data/NIFTY50/1m/2021.csv")
        let text = try String(contentsOf: saved, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "timestamp,open,high,low,close,volume")
        #expect(lines.dropFirst().first?.hasPrefix("2021-02-23T03:45:00Z,") == true)
        let verify = try ToolProcess.run("market-data", ["verify", saved.path], environment: home.environment())
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    /// A BANKNIFTY file imported with `--symbol NIFTY50` fails (exit 65) and leaves the stored
    /// NIFTY50 bars as they were; `--allow-symbol-mismatch` is the explicit way through.
    @Test func aFileOfAnotherSymbolNeverReplacesStoredBars() throws {
        let home = try TestHome()
        defer { home.remove() }
        let source = Self.repository.appending(path: "Tests/AlphaPrimeTests/Fixtures/market/NIFTY50_2021-02-23_24.txt")
        let first = try ToolProcess.run("market-data", ["import", "--format", "headerless", "--symbol", "NIFTY50", source.path],
                                        environment: home.environment())
        #expect(first.status == 0, "\(first.output)")
        let saved = home.path("data/market_data/NIFTY50/1m/2021.csv")
        let before = try Data(contentsOf: saved)
        let bank = home.path("bank.txt")
        try String(contentsOf: source, encoding: .utf8).replacingOccurrences(of: "NIFTY,", with: "BANKNIFTY,")
            .write(to: bank, atomically: true, encoding: .utf8)
        let refused = try ToolProcess.run("market-data", ["import", "--format", "headerless", "--symbol", "NIFTY50", bank.path],
                                          environment: home.environment())
        #expect(refused.status == 65, "\(refused.output)")
        #expect(refused.stderr.contains("the rows name 'BANKNIFTY', not NIFTY50 (--symbol): nothing imported"), "\(refused.stderr)")
        #expect(try Data(contentsOf: saved) == before, "the stored NIFTY50 bars are untouched")
        let forced = try ToolProcess.run("market-data", ["import", "--format", "headerless", "--symbol", "NIFTY50", "--allow-symbol-mismatch",
                                                         "--dry-run", bank.path], environment: home.environment())
        #expect(forced.status == 0, "\(forced.output)")
        #expect(forced.stdout.contains("kept as NIFTY50 (--allow-symbol-mismatch)"))
        let empty = home.path("empty.txt")
        try Data().write(to: empty)
        let nothing = try ToolProcess.run("market-data", ["import", "--format", "headerless", "--symbol", "NIFTY50", empty.path],
                                          environment: home.environment())
        #expect(nothing.status == 65, "\(nothing.output)")
        #expect(nothing.stderr.contains("no data rows"))
    }

    /// Raw control bytes of a garbage file (NUL included) never reach a message; a folder the tool
    /// may not write into is an environment problem (73), not a bug (70).
    @Test func garbageBytesAreShownEscapedAndAReadOnlyFolderIs73() throws {
        let home = try TestHome()
        defer { home.remove() }
        let garbage = home.path("garbage.txt")
        try Data([0x4E, 0x49, 0x46, 0x54, 0x59, 0x00, 0x07, 0x1B, 0x2C, 0x0A]).write(to: garbage)  // NIFTY\0\a\e,
        let result = try home.run("market-data", ["import", "--format", "headerless", "--symbol", "NIFTY50", garbage.path])
        #expect(result.status == 65, "\(result.output)")
        #expect(!result.output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }, "a control byte was echoed")
        #expect(result.stderr.contains("\\u{0}"), "\(result.stderr)")

        if getuid() != 0 {
            let folder = home.path("data/market_data")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
            let source = Self.repository.appending(path: "Tests/AlphaPrimeTests/Fixtures/market/NIFTY50_2021-02-23_24.txt")
            let denied = try home.run("market-data", ["import", "--format", "headerless", "--symbol", "NIFTY50", source.path])
            #expect(denied.status == 73, "\(denied.output)")
            #expect(denied.stderr.contains("cannot write"))
        }
    }
}
