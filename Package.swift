// swift-tools-version: 6.0
import PackageDescription

/// The command-line tools of ALPHA-PRIME. Each is one thin `@main` file in `Sources/<tool>/`
/// that runs a command type defined in `AlphaPrimeCommands`.
let tools = [
    "health-check", "report", "backup", "reset-portfolio", "archive",
    "analyze-logs", "db-maintenance", "backtest", "optimize", "stress-test", "cleanup-logs",
    "trading-calendar", "config-check",
    "alpha-prime-bench", "market-data", "broker", "alert", "strategy",
]

/// The engine: like the other tools, plus the WebSocket transport (`AlphaPrimeWebSocket`, SwiftNIO
/// through swift-websocket) its live market feed connects with, which no other tool links.
let engine = "engine"

/// The local Kite Connect v3 server (docs/kite-sim.md). Its `@main` file depends on
/// `AlphaPrimeKiteSim` and ArgumentParser, not on `AlphaPrimeCommands`, so SwiftNIO (through
/// Hummingbird) is linked into this tool alone.
let kiteSim = "kite-sim"

/// The web dashboard: like the other tools, plus the HTTP server (`AlphaPrimeWebServer`, Hummingbird)
/// its pages are served with, which no other tool links.
let dashboard = "dashboard"

/// The library, in layers whose arrows point one way (docs/architecture.md):
///
///     AlphaPrimeSupport → AlphaPrimeDomain (model, settings, records, ports)
///       → AlphaPrimeExecution (fill model, charges, the simulated exchange, the ledger, client order ids)
///       → AlphaPrimeCore (market data, indicators, strategies, risk, engine, backtest)
///     adapters beside the core, never on it or on each other: AlphaPrimeStore, AlphaPrimeConfig,
///     AlphaPrimeLogs, AlphaPrimeOps, AlphaPrimePaper (the paper broker), AlphaPrimeKite (the Kite Connect adapter),
///     AlphaPrimeUpstox (the Upstox API v2 adapter, the secondary broker)
///     AlphaPrimeArchive beside them, on Support alone (with CZstd, CCrypto): archive files, sealed secrets
///     AlphaPrimeHTTP beside them, on Support alone (with CCurl): HTTP and SMTP over libcurl, for the broker
///       adapters and the alerts, and the WebSocket port the Kite ticker uses
///     AlphaPrimeAlerts beside the adapters, on Support, Domain and HTTP: e-mail and Telegram alerts
///     AlphaPrimeRedis beside the adapters, on Support and Domain (with CHiredis): the live-state cache
///     AlphaPrimeWebSocket beside them, on Support and HTTP (with swift-websocket): the WebSocket transport,
///       linked by the engine executable alone
///     AlphaPrimeKiteSim beside the adapters, on Support, Domain and Execution (with Hummingbird, and
///       HummingbirdWebSocket and SwiftNIO's HTTP/1 for its ticker): the local Kite Connect server,
///       matching through the simulated exchange; never on the core, the Kite adapter, the store or
///       the commands. Only it, AlphaPrimeWebSocket (and the tests) may depend on Hummingbird,
///       HummingbirdWebSocket, swift-websocket or SwiftNIO
///     AlphaPrimeWebServer beside them, on Support alone (with Hummingbird): the dashboard's HTTP server,
///       linked by the dashboard executable alone
///     AlphaPrimeCommands composes them (never AlphaPrimeWebSocket or AlphaPrimeWebServer); every tool depends
///     on AlphaPrimeCommands alone, except the engine, which adds AlphaPrimeWebSocket, the dashboard, which adds
///     AlphaPrimeWebServer, and kite-sim, which depends on AlphaPrimeKiteSim (and ArgumentParser) alone.
///
/// `ArchitectureTests` reads this manifest and every import, and fails when a target gains a
/// dependency the rule forbids.
let log = Target.Dependency.product(name: "Logging", package: "swift-log")
let libraries: [Target] = [
    // Checksums (SHA-256 of backups, exports, data files) run optimised in every build: unoptimised
    // they hash about 1.4 MB/s, which makes a debug-built backup of a real database take minutes.
    .target(name: "AlphaPrimeSupport", swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
    .target(name: "AlphaPrimeDomain", dependencies: ["AlphaPrimeSupport", log]),
    .target(name: "AlphaPrimeExecution", dependencies: ["AlphaPrimeSupport", "AlphaPrimeDomain"]),
    .target(name: "AlphaPrimeCore", dependencies: ["AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeExecution", log]),
    .target(name: "AlphaPrimeStore", dependencies: ["AlphaPrimeSupport", "AlphaPrimeDomain", "CSQLite", "CLibPQ", log]),
    .target(name: "AlphaPrimeConfig", dependencies: [
        "AlphaPrimeSupport", "AlphaPrimeDomain", .product(name: "Yams", package: "Yams"),
    ]),
    .target(name: "AlphaPrimeLogs", dependencies: ["AlphaPrimeSupport", "AlphaPrimeDomain", log]),
    .target(name: "AlphaPrimeOps", dependencies: ["AlphaPrimeSupport", "AlphaPrimeDomain"]),
    .target(name: "AlphaPrimePaper", dependencies: ["AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeExecution"]),
    .target(name: "AlphaPrimeArchive", dependencies: ["AlphaPrimeSupport", "CZstd", "CCrypto"]),
    .target(name: "AlphaPrimeHTTP", dependencies: ["AlphaPrimeSupport", "CCurl"]),
    .target(name: "AlphaPrimeWebSocket", dependencies: [
        "AlphaPrimeSupport", "AlphaPrimeHTTP", .product(name: "WSClient", package: "swift-websocket"),
        .product(name: "NIOCore", package: "swift-nio"), log,
    ]),
    .target(name: "AlphaPrimeWebServer", dependencies: ["AlphaPrimeSupport", .product(name: "Hummingbird", package: "hummingbird"), log]),
    .target(name: "AlphaPrimeRedis", dependencies: ["AlphaPrimeSupport", "AlphaPrimeDomain", "CHiredis", log]),
    .target(name: "AlphaPrimeAlerts", dependencies: ["AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeHTTP", log]),
    .target(name: "AlphaPrimeKite", dependencies: ["AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeExecution", "AlphaPrimeHTTP", log]),
    .target(name: "AlphaPrimeUpstox", dependencies: ["AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeExecution", "AlphaPrimeHTTP", log]),
    .target(name: "AlphaPrimeKiteSim", dependencies: [
        "AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeExecution",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), log,
    ]),
    .target(name: "AlphaPrimeCommands", dependencies: [
        "AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeExecution", "AlphaPrimeCore", "AlphaPrimeStore",
        "AlphaPrimeConfig", "AlphaPrimeLogs", "AlphaPrimeOps", "AlphaPrimePaper", "AlphaPrimeArchive",
        "AlphaPrimeHTTP", "AlphaPrimeKite", "AlphaPrimeUpstox", "AlphaPrimeAlerts", "AlphaPrimeRedis", .product(name: "ArgumentParser", package: "swift-argument-parser"), log,
    ]),
]
let libraryNames = libraries.map { Target.Dependency.target(name: $0.name) }

let package = Package(
    name: "AlphaPrime",
    platforms: [.macOS(.v15)],
    // The targets whose parsers are fuzzed are products of their own too, so the fuzz package (Fuzz/,
    // docs/fuzzing.md) links each without building every target.
    products: [.library(name: "AlphaPrime", targets: libraries.map(\.name))]
        + ["AlphaPrimeKite", "AlphaPrimeConfig", "AlphaPrimeStore", "AlphaPrimeCore"].map { .library(name: $0, targets: [$0]) }
        + (tools + [engine, dashboard, kiteSim]).map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(
            name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        // No pkgConfig: hiredis's .pc adds -D_FILE_OFFSET_BITS=64, a flag SwiftPM refuses with a
        // warning; the header is found under /usr/include/hiredis as the shim names it.
        .systemLibrary(name: "CHiredis", path: "Sources/CHiredis", providers: [.apt(["libhiredis-dev"])]),
    ] + libraries + [
        .testTarget(
            name: "AlphaPrimeTests",
            dependencies: libraryNames + [log, .product(name: "Yams", package: "Yams")],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SmokeTests", dependencies: libraryNames + (tools + [engine, dashboard, kiteSim]).map { .target(name: $0) }),
        .testTarget(
            name: "IntegrationTests",
            dependencies: libraryNames + (tools + [engine, dashboard, kiteSim]).map { .target(name: $0) }
                + [.product(name: "Hummingbird", package: "hummingbird"), .product(name: "WSClient", package: "swift-websocket")]),
    ] + tools.map { .executableTarget(name: $0, dependencies: ["AlphaPrimeCommands"], path: "Sources/\($0)") } + [
        .executableTarget(name: engine, dependencies: ["AlphaPrimeCommands", "AlphaPrimeWebSocket"], path: "Sources/\(engine)"),
        .executableTarget(name: dashboard, dependencies: ["AlphaPrimeCommands", "AlphaPrimeWebServer"], path: "Sources/\(dashboard)"),
        .executableTarget(
            name: kiteSim,
            dependencies: ["AlphaPrimeKiteSim", .product(name: "ArgumentParser", package: "swift-argument-parser"), log],
            path: "Sources/\(kiteSim)"),
    ]
)
