import Foundation
import Testing

/// The dependency rule of the library's targets (docs/architecture.md), checked on the manifest and
/// on every source file: a target declares only the dependencies the rule allows, and imports only
/// what it declares (SwiftPM lets a file import a module it reaches only through another target, so
/// the imports are read too).
@Suite struct ArchitectureTests {
    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// What each library target may depend on. Nothing points back up: the domain knows no adapter
    /// and no core type; execution (fills, charges, the ledger) sits between the domain and both the
    /// core and the paper broker; the core knows the domain's ports and no adapter; the adapters know
    /// the domain (and the paper broker execution) and never the core or each other; only the
    /// commands target composes them. The archive library (compressed, checksummed archive files and
    /// sealed secrets) knows only the support target and its two C libraries. The local Kite
    /// server (kite-sim) sits beside the adapters on the domain and execution (it matches with the
    /// simulated exchange) and its HTTP server, Hummingbird (with HummingbirdWebSocket and SwiftNIO's
    /// HTTP/1 for its ticker WebSocket); it knows neither the core, the Kite adapter it stands in for,
    /// the store nor the commands.
    static let allowed: [String: Set<String>] = [
        "AlphaPrimeSupport": [],
        "AlphaPrimeDomain": ["AlphaPrimeSupport", "Logging"],
        "AlphaPrimeExecution": ["AlphaPrimeSupport", "AlphaPrimeDomain"],
        "AlphaPrimeCore": ["AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeExecution", "Logging"],
        "AlphaPrimeStore": ["AlphaPrimeSupport", "AlphaPrimeDomain", "CSQLite", "CLibPQ", "Logging"],
        "AlphaPrimeConfig": ["AlphaPrimeSupport", "AlphaPrimeDomain", "Yams"],
        "AlphaPrimeLogs": ["AlphaPrimeSupport", "AlphaPrimeDomain", "Logging"],
        "AlphaPrimeOps": ["AlphaPrimeSupport", "AlphaPrimeDomain"],
        "AlphaPrimePaper": ["AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeExecution"],
        "AlphaPrimeArchive": ["AlphaPrimeSupport", "CZstd", "CCrypto"],
        "AlphaPrimeHTTP": ["AlphaPrimeSupport", "CCurl"],
        "AlphaPrimeWebSocket": ["AlphaPrimeSupport", "AlphaPrimeHTTP", "WSClient", "NIOCore", "Logging"],
        "AlphaPrimeKite": ["AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeExecution", "AlphaPrimeHTTP", "Logging"],
        "AlphaPrimeUpstox": ["AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeExecution", "AlphaPrimeHTTP", "Logging"],
        "AlphaPrimeAlerts": ["AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeHTTP", "Logging"],
        "AlphaPrimeWebServer": ["AlphaPrimeSupport", "Hummingbird", "Logging"],
        "AlphaPrimeRedis": ["AlphaPrimeSupport", "AlphaPrimeDomain", "CHiredis", "Logging"],
        "AlphaPrimeKiteSim": [
            "AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeExecution", "Hummingbird", "HummingbirdCore",
            "HummingbirdWebSocket", "NIOCore", "NIOHTTP1", "ServiceLifecycle", "Logging",
        ],
        "AlphaPrimeCommands": [
            "AlphaPrimeSupport", "AlphaPrimeDomain", "AlphaPrimeExecution", "AlphaPrimeCore", "AlphaPrimeStore",
            "AlphaPrimeConfig", "AlphaPrimeLogs", "AlphaPrimeOps", "AlphaPrimePaper", "AlphaPrimeArchive",
            "AlphaPrimeHTTP", "AlphaPrimeKite", "AlphaPrimeUpstox", "AlphaPrimeAlerts", "AlphaPrimeRedis", "ArgumentParser", "Logging",
        ],
    ]

    /// Modules of the toolchain and the operating system any target may import.
    static let system: Set<String> = ["Foundation", "FoundationEssentials", "Glibc", "Musl", "Darwin", "Dispatch", "Synchronization"]

    /// `.target(name: "X", dependencies: [...])` of the manifest's `libraries`, with the products
    /// spelled as their module names.
    static func declaredDependencies() throws -> [String: Set<String>] {
        let manifest = try String(contentsOf: root.appending(path: "Package.swift"), encoding: .utf8)
        let start = try #require(manifest.range(of: "let libraries: [Target] = ["))
        let end = try #require(manifest.range(of: "\n]\n", range: start.upperBound..<manifest.endIndex))
        let block = String(manifest[start.upperBound..<end.lowerBound])
        var result: [String: Set<String>] = [:]
        let quoted = try Regex(#"(package: )?"([^"]+)""#)
        for whole in block.components(separatedBy: ".target(name: ").dropFirst() {
            // Compiler settings are not dependencies.
            let entry = whole.components(separatedBy: "swiftSettings:").first ?? whole
            var words = entry.matches(of: quoted).filter { $0.output[1].substring == nil }
                .compactMap { $0.output[2].substring.map(String.init) }
            guard !words.isEmpty else { continue }
            let name = words.removeFirst()
            var deps = Set(words)
            // `let log = Target.Dependency.product(name: "Logging", package: "swift-log")`
            if entry.firstMatch(of: try Regex(#"[\[ ]log[,\]]"#)) != nil { deps.insert("Logging") }
            result[name] = deps
        }
        return result
    }

    @Test func manifestDeclaresOnlyAllowedDependencies() throws {
        let declared = try Self.declaredDependencies()
        #expect(Set(declared.keys) == Set(Self.allowed.keys), "library targets: \(declared.keys.sorted())")
        for (target, deps) in declared {
            let forbidden = deps.subtracting(Self.allowed[target] ?? [])
            #expect(forbidden.isEmpty, "\(target) depends on \(forbidden.sorted()), which the dependency rule forbids")
        }
    }

    /// The Swift files of a library target, at any depth.
    static func swiftFiles(of target: String) -> [URL] {
        let folder = root.appending(path: "Sources/\(target)")
        return FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
    }

    /// `import X` lines of every file of every library target.
    static func imports() throws -> [(target: String, file: String, module: String)] {
        var found: [(String, String, String)] = []
        for target in allowed.keys {
            let files = swiftFiles(of: target)
            #expect(!files.isEmpty, "no sources for \(target)")
            for file in files {
                let text = try String(contentsOf: file, encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let words = line.split(separator: " ")
                    guard let i = words.firstIndex(of: "import"), i + 1 < words.count,
                          words[..<i].allSatisfy({ $0.hasPrefix("@") || ["public", "package", "internal"].contains($0) })
                    else { continue }
                    let module = words[i + 1].split(separator: ".").first.map(String.init) ?? ""
                    found.append((target, file.lastPathComponent, module))
                }
            }
        }
        return found
    }

    @Test func everyImportIsAnAllowedDependency() throws {
        for (target, file, module) in try Self.imports() where !Self.system.contains(module) && module != target {
            #expect(Self.allowed[target]?.contains(module) == true,
                    "\(target)/\(file) imports \(module), which the dependency rule forbids for \(target)")
        }
    }

    /// Owning files per C library, each the one owner of its handles (the store's connections, the
    /// archive's zstd contexts, the sealed secrets' OpenSSL calls, an HTTP client's and a mail
    /// client's curl handle).
    @Test func theCModulesHaveOneOwner() throws {
        let owners: [String: (target: String, files: Set<String>)] = [
            "CSQLite": ("AlphaPrimeStore", ["SQLiteConnection.swift"]),
            "CLibPQ": ("AlphaPrimeStore", ["PostgresConnection.swift"]),
            "CZstd": ("AlphaPrimeArchive", ["Zstd.swift"]),
            "CCrypto": ("AlphaPrimeArchive", ["SecretBox.swift"]),
            "CCurl": ("AlphaPrimeHTTP", ["HTTPClient.swift", "SMTPClient.swift"]),
            "CHiredis": ("AlphaPrimeRedis", ["RedisConnection.swift"]),
        ]
        for (target, file, module) in try Self.imports() where owners.keys.contains(module) {
            let owner = owners[module]
            #expect(owner?.target == target && owner?.files.contains(file) == true,
                    "\(target)/\(file) imports \(module); only \(owner.map { "\($0.target)/\($0.files.sorted())" } ?? "its owner") may")
        }
    }

    /// The trading core knows the broker only through the `Broker` and `BrokerAccount` ports (no
    /// paper broker type), the state database only through the `StateStore` port (no store type, no
    /// SQL), and time only through the `EngineClock` port (no `Date`, no clock read, no sleep).
    @Test func theCoreNamesNoAdapterTypeAndNoSQL() throws {
        let files = Self.swiftFiles(of: "AlphaPrimeCore")
        let forbidden = ["PaperBroker", "PaperBook", "PaperAccount", "StateRepository", "SQLiteConnection", "PostgresConnection", "SQLDatabase", "SQLValue", "Migrator",
                         "DatabaseURL", "Date()", "Date.now", "ContinuousClock", "SuspendingClock", "Thread.sleep", "usleep(",
                         "UTCTimestamp.now"]
        let implicitNow = try Regex(#"[^A-Za-z0-9_)\]]\.now\(\)"#)  // `at: .now()`; `clock.now()` is the port
        let sql = try Regex(#""[^"\n]*\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE TABLE)\b"#)
        for file in files {
            // The monotonic uptime measures how long something took (latency figures, a sweep's
            // seconds); it decides nothing. Every other reading of time goes through `EngineClock`.
            let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "DispatchTime.now()", with: "")
            for word in forbidden {
                #expect(!text.contains(word), "AlphaPrimeCore/\(file.lastPathComponent) names \(word)")
            }
            #expect(text.firstMatch(of: sql) == nil, "AlphaPrimeCore/\(file.lastPathComponent) contains SQL")
            #expect(text.firstMatch(of: implicitNow) == nil, "AlphaPrimeCore/\(file.lastPathComponent) reads the wall clock")
        }
    }

    /// Every tool is one thin `@main` file over the commands target, except kite-sim, which is one
    /// over its server library, the engine, which adds the WebSocket transport, and the dashboard,
    /// which adds its HTTP server: SwiftNIO is linked into those three alone.
    @Test func executablesDependOnTheCommandsTargetAlone() throws {
        let manifest = try String(contentsOf: Self.root.appending(path: "Package.swift"), encoding: .utf8)
        #expect(manifest.contains(#".executableTarget(name: $0, dependencies: ["AlphaPrimeCommands"], path: "Sources/\($0)")"#))
        #expect(manifest.contains(#"dependencies: ["AlphaPrimeKiteSim", .product(name: "ArgumentParser", package: "swift-argument-parser"), log],"#))
        #expect(manifest.contains(#"let kiteSim = "kite-sim""#))
        #expect(manifest.contains(#".executableTarget(name: engine, dependencies: ["AlphaPrimeCommands", "AlphaPrimeWebSocket"], path: "Sources/\(engine)"),"#))
        #expect(manifest.contains(#".executableTarget(name: dashboard, dependencies: ["AlphaPrimeCommands", "AlphaPrimeWebServer"], path: "Sources/\(dashboard)"),"#))
    }

    /// Only kite-sim's server library and the dashboard's web server name the HTTP server, and only
    /// the WebSocket transport the client; no other library may reach SwiftNIO.
    @Test func onlyTheKiteServerNamesHummingbird() throws {
        let declared = try Self.declaredDependencies()
        for (target, deps) in declared where target != "AlphaPrimeWebSocket" {
            #expect(!deps.contains("WSClient"), "\(target) depends on the WebSocket client")
        }
        for (target, deps) in declared where !["AlphaPrimeKiteSim", "AlphaPrimeWebSocket", "AlphaPrimeWebServer"].contains(target) {
            #expect(deps.isDisjoint(with: ["Hummingbird", "HummingbirdCore", "HummingbirdWebSocket", "NIOCore", "NIOHTTP1", "ServiceLifecycle"]),
                    "\(target) depends on the HTTP server")
        }
        let forbidden: Set<String> = ["AlphaPrimeCore", "AlphaPrimeKite", "AlphaPrimeStore", "AlphaPrimeCommands"]
        #expect(declared["AlphaPrimeKiteSim"]?.isDisjoint(with: forbidden) == true)
        #expect(declared["AlphaPrimeWebServer"] == ["AlphaPrimeSupport", "Hummingbird", "Logging"], "the web server knows nothing of trading")
    }
}
