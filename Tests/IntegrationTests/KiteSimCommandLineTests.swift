import Foundation
import Testing

/// `kite-sim` on the command line: its usage errors, its version, its stop.
@Suite struct KiteSimCommandLineTests {
    @Test(arguments: [
        ["serve", "--api-key", "k"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--market", "sideways"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--market", "replay"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--market", "replay", "--date", "15-02-2021"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--place-504-rate", "2"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--place-503-rate", "0.7", "--place-drop-rate", "0.7"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--token-expires-at", "soon"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--cash", "lots"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--port", "70000"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--no-such-flag"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--ticker-speed", "60"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--ticker-date", "2021-02-16", "--ticker-speed", "0.5"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--ticker-date", "16-02-2021"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--ticker-date", "2021-02-16", "--ticker-start", "9:15"],
        ["serve", "--api-key", "k", "--api-secret", "s", "--ticker-port", "-1"],
    ])
    func badFlagsAreUsageErrors(arguments: [String]) throws {
        let result = try ToolProcess.run("kite-sim", arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("Error:") && result.stdout.isEmpty)
    }

    @Test func answersHelpAndVersion() throws {
        let help = try ToolProcess.run("kite-sim", ["serve", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: kite-sim serve") && help.stdout.contains("--place-timeout400-rate"))
        let version = try ToolProcess.run("kite-sim", ["--version"])
        #expect(version.status == 0 && version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    @Test func aReplayDayWithoutBarsAndAMissingFolderSaySo() throws {
        let noDay = try ToolProcess.run("kite-sim", ["serve", "--api-key", "k", "--api-secret", "s", "--market", "replay",
                                                     "--date", "2021-02-13", "--data", KiteSimProcess.dataFolder.path])
        #expect(noDay.status == 66 && noDay.stderr.contains("2021-02-13"))
        let noFolder = try ToolProcess.run("kite-sim", ["serve", "--api-key", "k", "--api-secret", "s", "--data", "/nonexistent/bars"])
        #expect(noFolder.status == 66 && noFolder.stderr.contains("/nonexistent/bars"))
        let noTickerDay = try ToolProcess.run("kite-sim", ["serve", "--api-key", "k", "--api-secret", "s", "--ticker-date", "2021-02-13",
                                                           "--data", KiteSimProcess.dataFolder.path])
        #expect(noTickerDay.status == 66 && noTickerDay.stderr.contains("ticker date 2021-02-13"))
        let badList = FileManager.default.temporaryDirectory.appending(path: "kite-sim-bad-\(UUID().uuidString).csv")
        try "instrument_token,tradingsymbol\n1,X\n".write(to: badList, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: badList) }
        let bad = try ToolProcess.run("kite-sim", ["serve", "--api-key", "k", "--api-secret", "s", "--instruments", badList.path])
        #expect(bad.status == 65 && bad.stderr.contains("\(badList.path):1:"))
    }

    @Test func aTakenPortIsAServiceProblem() throws {
        let sim = try KiteSimProcess()
        let second = try ToolProcess.run("kite-sim", ["serve", "--api-key", "k", "--api-secret", "s", "--port", "\(sim.port)",
                                                      "--data", KiteSimProcess.dataFolder.path])
        #expect(second.status == 69 && second.stderr.contains("cannot listen on 127.0.0.1:\(sim.port)"))
        let ticker = try ToolProcess.run("kite-sim", ["serve", "--api-key", "k", "--api-secret", "s", "--ticker-port", "\(sim.tickerPort)",
                                                      "--data", KiteSimProcess.dataFolder.path])
        #expect(ticker.status == 69 && ticker.stderr.contains("cannot listen on 127.0.0.1:\(sim.tickerPort)"))
    }

    @Test func aTermSignalStopsItCleanly() async throws {
        let sim = try KiteSimProcess()
        #expect(try await sim.call("GET", "/user/profile").status == 200)
        let result = sim.stop(SIGTERM)
        #expect(result.status == 0)
        #expect(result.stdout == "kite-sim listening on http://127.0.0.1:\(sim.port)\nkite-sim ticker on ws://127.0.0.1:\(sim.tickerPort)\n")
        #expect(!result.stderr.contains(KiteSimProcess.accessToken))
    }
}
