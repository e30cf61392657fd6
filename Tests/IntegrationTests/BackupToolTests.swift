import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeArchive
import Foundation
import Testing

/// `backup` as the runbooks run it: the built binaries, real databases, an engine writing meanwhile.
@Suite struct BackupToolTests {
    static func backup(_ home: EngineTestHome, _ arguments: [String], _ extra: [String: String] = [:]) throws -> ToolProcess.Result {
        try ToolProcess.run("backup", arguments, environment: home.environment(extra))
    }

    static func created(_ result: ToolProcess.Result) throws -> URL {
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return URL(filePath: try #require(json["file"] as? String))
    }

    /// The per-table counts and checksums the backup's export recorded.
    static func exportManifest(_ file: URL) throws -> StateExportManifest {
        try JSONDecoder().decode(StateExportManifest.self, from: Data(try ArchiveReader.extract(file, member: "database/manifest.json")))
    }

    static func digests(_ tables: [StateTableDigest]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: tables.map { ($0.name, "\($0.rowCount) \($0.sha256)") })
    }

    @Test(arguments: [false, true])
    func aBackupTakenWhileAPacedReplayWritesRestoresIdentically(postgres: Bool) throws {
        guard !postgres || TestPostgres.enabled else { return }
        let home = try EngineTestHome(postgres: postgres)
        let engine = try home.start(["run", "--mode", "paper", "--replay", "2021-02-22", "--speed", "60x"])
        defer { if engine.isRunning { engine.kill() } }
        #expect(try EngineToolTests.waitUntilRunning(home))
        // Until the engine has written some rows, then back up twice while it keeps writing.
        #expect(try BackgroundTool.waitUntil(seconds: 60) {
            (try home.database().queryFirst("SELECT COUNT(*) AS n FROM portfolio_history")?.int64("n") ?? 0) >= 3
        })
        let first = try Self.created(try Self.backup(home, ["create", "--json"]))
        Thread.sleep(forTimeInterval: 1.5)
        let second = try Self.created(try Self.backup(home, ["create", "--json"]))
        #expect(try home.engine(["stop", "--timeout", "60"]).status == 0)
        _ = engine.wait()

        for file in [first, second] {
            let verify = try Self.backup(home, ["verify", file.path])
            #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
            let recorded = try Self.exportManifest(file)
            #expect(recorded.backend.rawValue == (postgres ? "postgresql" : "sqlite"))
            // Into a fresh SQLite database and, with a server, a fresh PostgreSQL schema: either from either.
            var targets = ["sqlite:\(home.home.path("var/restored-\(file.lastPathComponent).db").path)"]
            var schema: TestPostgres.Schema?
            if TestPostgres.enabled {
                schema = try TestPostgres.makeSchema()
                targets.append(schema!.url())
            }
            defer { schema?.drop() }
            for target in targets {
                let restore = try Self.backup(home, ["restore", file.path, "--confirm", "--to", target])
                #expect(restore.status == 0, "\(restore.stderr)")
                let database = try DatabaseURL.parse(target, home: AlphaPrimeHome(root: home.home.root)).open()
                let restored = try StateExport.tableChecksums(database: database)
                #expect(Self.digests(restored) == Self.digests(recorded.tables), "\(target)")
                // Every fill's order is there: a consistent snapshot, not a torn one.
                #expect(try database.queryFirst("SELECT COUNT(*) AS n FROM fills f LEFT JOIN orders o ON o.id = f.order_id WHERE o.id IS NULL")?.int64("n") == 0)
            }
        }
        #expect(try Self.exportManifest(second).rowCount >= (try Self.exportManifest(first).rowCount))
    }

    @Test func aBackupKilledAtAnyMomentNeverLeavesABadFileUnderAFinalName() throws {
        let home = try EngineTestHome()
        #expect(try home.engine(["run", "--mode", "paper", "--replay", "2021-02-22", "--speed", "max"]).status == 0)
        let seed = ProcessInfo.processInfo.environment["ALPHA_PRIME_TEST_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("BackupToolTests: random kill delays seeded with \(seed) (ALPHA_PRIME_TEST_SEED=\(seed) replays them)")
        var random = SplitMix64(seed: seed)
        // How long one whole run takes here, so the kills land anywhere in it.
        let clock = Date()
        _ = try Self.created(try Self.backup(home, ["create", "--json"]))
        let whole = Date().timeIntervalSince(clock)
        var killed = 0
        for _ in 0..<100 {
            let run = try BackgroundTool(tool: "backup", arguments: ["create"], environment: home.environment(), directory: home.home.root)
            Thread.sleep(forTimeInterval: Double(random.next() % 1_000) / 1_000 * whole * 1.2)
            run.kill()
            if run.wait().killed { killed += 1 }
        }
        #expect(killed > 20, "most runs were killed before they ended (\(killed) of 100)")
        let finals = try FileManager.default.contentsOfDirectory(atPath: home.home.path("backups/daily").path).filter { !$0.hasPrefix(".") }
        #expect(finals.count >= 1)
        for name in finals {
            #expect(throws: Never.self, "\(name)") { _ = try ArchiveReader.verify(home.home.path("backups/daily/\(name)")) }
        }
        // The next run clears what the killed ones left behind.
        _ = try Self.created(try Self.backup(home, ["create", "--json"]))
        let left = try FileManager.default.contentsOfDirectory(atPath: home.home.path("backups/daily").path).filter { $0.hasPrefix(".") }
        #expect(left.isEmpty, "\(left)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.home.path("backups").path).filter { $0.hasPrefix(".work-") }.isEmpty)
    }

    @Test func dotEnvIsSealedUnderThePassphraseOrLeftOut() throws {
        let home = try EngineTestHome()
        try "KITE_API_SECRET=s3cr3t-kite-value\n".write(to: home.home.path(".env"), atomically: true, encoding: .utf8)
        chmod(home.home.path(".env").path, 0o600)
        let without = try Self.backup(home, ["create", "--kind", "manual"])
        #expect(without.status == 0, "\(without.stderr)")
        #expect(without.stdout.contains(".env: left out: ALPHA_PRIME_BACKUP_PASSPHRASE is not set"))

        let passphrase = ["ALPHA_PRIME_BACKUP_PASSPHRASE": "correct horse battery staple"]
        let file = try Self.created(try Self.backup(home, ["create", "--kind", "manual", "--json"], passphrase))
        let raw = try Data(contentsOf: file)
        let members = try ArchiveReader.verify(file).members.map(\.name)
        #expect(members.contains("env.enc") && !members.contains(".env"))
        #expect(members.contains("config/general_config.yaml") && members.contains { $0.hasPrefix("config/strategies/") })
        let sealed = try ArchiveReader.extract(file, member: "env.enc")
        #expect(!String(decoding: sealed, as: UTF8.self).contains("s3cr3t") && !String(decoding: raw, as: UTF8.self).contains("s3cr3t"))
        #expect(String(decoding: try SecretBox.open(sealed, passphrase: passphrase.values.first!), as: UTF8.self).contains("s3cr3t-kite-value"))

        let good = try Self.backup(home, ["verify", file.path], passphrase)
        #expect(good.status == 0 && good.stdout.contains("env.enc opens with the passphrase"), "\(good.stdout)")
        let wrong = try Self.backup(home, ["verify", file.path], ["ALPHA_PRIME_BACKUP_PASSPHRASE": "wrong"])
        #expect(wrong.status == 65)
        #expect(wrong.stderr.contains("wrong passphrase"), "\(wrong.stderr)")
    }

    @Test func pruneKeepsTheNewestAndNeverDeletesBehindADamagedOne() throws {
        let home = try EngineTestHome()
        try home.home.edit("config/general_config.yaml", replacing: "keep_daily: 7", with: "keep_daily: 2")
        #expect(try home.engine(["run", "--mode", "paper", "--replay", "2021-02-22", "--speed", "max"]).status == 0)
        var files: [URL] = []
        for _ in 0..<5 {
            files.append(try Self.created(try Self.backup(home, ["create", "--json"])))
            Thread.sleep(forTimeInterval: 1.05)  // one name per second
        }
        // The two newest are damaged: the third is the newest good one; the two oldest go.
        for file in files.suffix(2) {
            let handle = try FileHandle(forUpdating: file)
            try handle.truncate(atOffset: 100)
            try handle.close()
        }
        let pruned = try Self.backup(home, ["prune"])
        #expect(pruned.status == 0, "\(pruned.stderr)")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: home.home.path("backups/daily").path))
        #expect(left == Set(files.suffix(3).map(\.lastPathComponent)), "\(pruned.stdout)")

        // All damaged but one that is older than keep? Nothing without a good newer one is deleted.
        let handle = try FileHandle(forUpdating: files[2])
        try handle.truncate(atOffset: 100)
        try handle.close()
        let none = try Self.backup(home, ["prune"])
        #expect(none.status == 1 && none.stdout.contains("no daily backup verifies"), "\(none.stdout)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: home.home.path("backups/daily").path)) == left)
    }

    @Test func refusalsAndBadInputHaveTheirExitCodes() throws {
        let home = try EngineTestHome()
        #expect(try home.engine(["run", "--mode", "paper", "--replay", "2021-02-22", "--speed", "max"]).status == 0)
        let file = try Self.created(try Self.backup(home, ["create", "--json"]))
        let cases: [([String], Int32, String)] = [
            (["create", "--kind", "hourly"], 64, "--kind expects daily, weekly, monthly or manual"),
            (["verify"], 64, "Missing expected argument"),
            (["verify", home.home.path("backups/none.tar.zst").path], 66, "no such file"),
            (["restore", file.path], 5, "refused without --confirm"),
            (["restore", file.path, "--confirm", "--to", "mysql://x"], 78, ""),
        ]
        for (arguments, status, message) in cases {
            let result = try Self.backup(home, arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            if !message.isEmpty { #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)") }
        }
        // A damaged file is named and refused; nothing is restored from it.
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0xFF
        let damaged = home.home.path("backups/damaged.tar.zst")
        try bytes.write(to: damaged)
        let verify = try Self.backup(home, ["verify", damaged.path])
        #expect(verify.status == 65 && verify.stderr.contains("damaged.tar.zst"), "\(verify.stderr)")
        let restore = try Self.backup(home, ["restore", damaged.path, "--confirm"])
        #expect(restore.status == 65)

        // Restoring over the database an engine is running on is refused.
        let engine = try home.start(["run", "--mode", "paper", "--replay", "2021-02-23", "--speed", "60x"])
        defer { if engine.isRunning { engine.kill() } }
        #expect(try EngineToolTests.waitUntilRunning(home))
        let locked = try Self.backup(home, ["restore", file.path, "--confirm"])
        #expect(locked.status == 4, "\(locked.stderr)")
        engine.kill()
        _ = engine.wait()
    }
}
