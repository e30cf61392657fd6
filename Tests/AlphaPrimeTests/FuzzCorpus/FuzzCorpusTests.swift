import Foundation
import Testing

/// Every input the fuzzers kept (`Fuzz/corpus/<target>/`) and every seed (`Fuzz/seeds/<target>/`),
/// replayed through the same checks the fuzz targets run (their `…FuzzCheck.swift` files, linked
/// here from `Fuzz/Sources/`), so an ordinary test run catches a regression on any input a fuzzer
/// once found interesting, without the fuzzer (docs/fuzzing.md).
@Suite struct FuzzCorpusTests {
    /// `Fuzz/` of the repository, found from this file's own path so the test runs from any checkout.
    static var fuzzFolder: URL {
        URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "Fuzz", directoryHint: .isDirectory)
    }

    /// Each target's inputs: corpus, then seeds, named `corpus/<target>/<file>`.
    static func inputs(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        var inputs: [(String, [UInt8])] = []
        for folder in ["corpus", "seeds"] {
            let url = fuzzFolder.appending(path: "\(folder)/\(target)", directoryHint: .isDirectory)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") {
                inputs.append(("\(folder)/\(target)/\(name)", [UInt8](try Data(contentsOf: url.appending(path: name)))))
            }
        }
        return inputs
    }

    static let targets: [String: @Sendable ([UInt8]) -> [String]] = [
        "config-yaml": ConfigYAMLFuzzCheck.findings,
        "dotenv": DotEnvFuzzCheck.findings,
        "database-url": DatabaseURLFuzzCheck.findings,
        "market-data-files": MarketDataFuzzCheck.findings,
        "kite-api": KiteAPIFuzzCheck.findings,
        "kite-ticker": KiteTickerFuzzCheck.findings,
    ]

    @Test func everyTargetOfTheFuzzPackageIsReplayed() throws {
        let sources = try FileManager.default.contentsOfDirectory(atPath: Self.fuzzFolder.appending(path: "Sources").path)
        #expect(Set(sources.filter { !$0.hasPrefix(".") }) == Set(Self.targets.keys))
    }

    @Test(arguments: ["config-yaml", "dotenv", "database-url", "market-data-files", "kite-api", "kite-ticker"])
    func theCorpusAndSeedsPassTheTargetsChecks(target: String) throws {
        let inputs = try Self.inputs(target)
        #expect(inputs.count >= 2, "Fuzz/corpus/\(target) and Fuzz/seeds/\(target) hold \(inputs.count) inputs")
        let check = try #require(Self.targets[target])
        for input in inputs {
            let findings = check(input.bytes)
            #expect(findings.isEmpty, "\(input.name): \(findings.joined(separator: "; "))")
        }
    }

    /// The ticker's corpus reaches both decoders' success paths, not only their errors.
    @Test func theTickerCorpusDecodesAsBinaryAndAsText() throws {
        let outcomes = try Self.inputs("kite-ticker").map { KiteTickerFuzzCheck.outcome($0.bytes) }
        #expect(outcomes.contains(where: \.decodedBinary) && outcomes.contains(where: \.decodedText))
    }
}
