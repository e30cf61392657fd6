// swift-tools-version: 6.0
import PackageDescription

/// The command-line tools of ALPHA-PRIME. Each is one thin `@main` file in `Sources/<tool>/`
/// that runs a command type defined in the library (`Sources/AlphaPrime/Commands/`).
let tools = [
    "health-check", "engine", "report", "backup", "reset-portfolio", "archive",
    "analyze-logs", "db-maintenance", "backtest", "optimize", "stress-test", "cleanup-logs",
    "trading-calendar", "config-check",
    "alpha-prime-bench", "market-data",
]

let package = Package(
    name: "AlphaPrime",
    platforms: [.macOS(.v15)],
    products: [.library(name: "AlphaPrime", targets: ["AlphaPrime"])]
        + tools.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
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
            name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(
            name: "AlphaPrime",
            dependencies: [
                "CSQLite", "CLibPQ", "CZstd", "CCurl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "AlphaPrimeTests",
            dependencies: [
                "AlphaPrime", .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SmokeTests", dependencies: ["AlphaPrime"] + tools.map { .target(name: $0) }),
        .testTarget(
            name: "IntegrationTests", dependencies: ["AlphaPrime"] + tools.map { .target(name: $0) }),
    ] + tools.map { .executableTarget(name: $0, dependencies: ["AlphaPrime"], path: "Sources/\($0)") }
)
