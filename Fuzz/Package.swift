// swift-tools-version: 6.0
import PackageDescription

/// libFuzzer targets over ALPHA-PRIME's decoders of untrusted input (docs/fuzzing.md). Built only with
/// `swift build --sanitize=fuzzer` (libFuzzer supplies `main`), by `bin/fuzz`; the repository's own
/// package knows nothing of it.
///
/// The repository is a dependency by path; its package identity is the name of its directory.
let repository = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "AlphaPrime"

/// One executable per fuzz target: `Sources/<target>/`, an `LLVMFuzzerTestOneInput` each.
let fuzzTargets: [(name: String, product: String)] = [
    ("kite-ticker", "AlphaPrimeKite"),
    ("kite-api", "AlphaPrimeKite"),
    ("config-yaml", "AlphaPrimeConfig"),
    ("dotenv", "AlphaPrimeConfig"),
    ("database-url", "AlphaPrimeStore"),
    ("market-data-files", "AlphaPrimeCore"),
]

let package = Package(
    name: "AlphaPrimeFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: fuzzTargets.map { target in
        .executableTarget(
            name: target.name,
            dependencies: [.product(name: target.product, package: repository)],
            path: "Sources/\(target.name)",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
)
