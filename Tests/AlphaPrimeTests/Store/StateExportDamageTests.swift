import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeStore

/// Exports that must not be restored: damaged files, a newer schema, rows that do not fit. Each is
/// refused and leaves the target as it was.
@Suite struct StateExportDamageTests {
    static let latest = StateSchema.migrations.last!.version

    /// Damages `file` of a copy of the export and returns the copy.
    static func damaged(_ directory: URL, _ file: String, _ damage: (inout [UInt8]) -> Void) throws -> URL {
        let copy = directory.appending(path: "damaged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".tsv") {
            try FileManager.default.copyItem(at: directory.appending(path: name), to: copy.appending(path: name))
        }
        var bytes = [UInt8](try Data(contentsOf: copy.appending(path: file)))
        damage(&bytes)
        try Data(bytes).write(to: copy.appending(path: file))
        return copy
    }

    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
    }

    static func joined(_ lines: [ArraySlice<UInt8>]) -> [UInt8] { lines.flatMap { Array($0) + [UInt8(ascii: "\n")] } }

    @Test(arguments: TestBackend.enabled)
    func damagedExportIsRefusedNamingTheTableAndTheTargetIsUnchanged(_ backend: TestBackend) throws {
        try withTemporaryDirectory { directory in
            let source = directory.appending(path: "export")
            let manifest = try TestDatabases.withMigrated(.sqlite) { repository in
                try ExportFixture.fill(repository.database)
                return try StateExport.export(database: repository.database, to: source)
            }
            let cases: [(name: String, file: String, kind: StateExportError.Kind, line: Int?, damage: (inout [UInt8]) -> Void)] = [
                ("a changed byte", "fills.tsv", .mismatch, nil, { bytes in
                    let index = bytes.firstRange(of: Array("feed".utf8))!.lowerBound
                    bytes[index] = UInt8(ascii: "F")
                }),
                ("a dropped line", "trades.tsv", .mismatch, nil, { bytes in
                    var lines = Self.lines(bytes); lines.remove(at: 3); bytes = Self.joined(lines)
                }),
                ("an extra line", "engine_marks.tsv", .mismatch, nil, { bytes in
                    var lines = Self.lines(bytes); lines.append(lines[2]); bytes = Self.joined(lines)
                }),
                ("a malformed line", "orders.tsv", .malformed, 3, { bytes in
                    var lines = Self.lines(bytes)
                    lines[2] = ArraySlice(Array(lines[2]).map { $0 == UInt8(ascii: "\t") ? UInt8(ascii: " ") : $0 })
                    bytes = Self.joined(lines)
                }),
                ("a cut last line", "risk_events.tsv", .malformed, nil, { bytes in bytes.removeLast(4) }),
                ("another header", "engine_sessions.tsv", .mismatch, 1, { bytes in
                    let tab = bytes.firstIndex(of: UInt8(ascii: "\t"))!
                    bytes[tab - 1] = UInt8(ascii: "x")
                }),
                ("a missing file", "engine_state.tsv", .unreadable, nil, { bytes in bytes = [] }),
            ]
            try TestDatabases.withMigrated(backend) { target in
                try target.insertOrder(sampleOrder(clientOrderId: "KEEP1"))
                let before = try StateExport.tableChecksums(database: target.database)
                for damage in cases {
                    let copy = try Self.damaged(source, damage.file, damage.damage)
                    if damage.kind == .unreadable { try FileManager.default.removeItem(at: copy.appending(path: damage.file)) }
                    let error = stateExportError {
                        try StateImport.restore(from: copy, manifest: manifest, into: target.database, logger: quietLogger)
                    }
                    #expect(error?.kind == damage.kind, "\(damage.name)")
                    #expect(error?.file == damage.file, "\(damage.name)")
                    #expect(error?.description.contains(damage.file) == true, "\(damage.name): \(error.map(String.init(describing:)) ?? "")")
                    if let line = damage.line { #expect(error?.line == line, "\(damage.name)") }
                    #expect(error?.exitStatus == .dataError)
                    #expect(throws: StateExportError.self) { try StateImport.check(directory: copy, manifest: manifest, logger: quietLogger) }
                    #expect(try StateExport.tableChecksums(database: target.database) == before, "\(damage.name)")
                }
            }
        }
    }

    @Test(arguments: TestBackend.enabled)
    func exportOfANewerSchemaIsRefused(_ backend: TestBackend) throws {
        try withTemporaryDirectory { directory in
            try TestDatabases.withMigrated(backend) { repository in
                try ExportFixture.fill(repository.database)
                let manifest = try StateExport.export(database: repository.database, to: directory)
                let newer = StateExportManifest(format: manifest.format, schemaVersion: Self.latest + 1,
                                                backend: manifest.backend, tables: manifest.tables)
                try repository.insertOrder(sampleOrder(clientOrderId: "AFTER1"))
                let before = try StateExport.tableChecksums(database: repository.database)
                let error = stateExportError {
                    try StateImport.restore(from: directory, manifest: newer, into: repository.database, logger: quietLogger)
                }
                #expect(error?.kind == .newerSchema(backup: Self.latest + 1, build: Self.latest))
                #expect(error?.exitStatus == .dataError)
                #expect(try StateExport.tableChecksums(database: repository.database) == before)
                #expect(throws: StateExportError.self) { try StateImport.check(directory: directory, manifest: newer) }
            }
        }
    }

    @Test(arguments: TestBackend.enabled)
    func aFailureWhileLoadingLeavesTheDatabaseAsItWas(_ backend: TestBackend) throws {
        try withTemporaryDirectory { directory in
            let source = directory.appending(path: "export")
            let manifest = try TestDatabases.withMigrated(.sqlite) { repository in
                try ExportFixture.fill(repository.database)
                return try StateExport.export(database: repository.database, to: source)
            }
            // A whole export (its manifest matches) whose fills and trades name an order it lacks.
            let broken = try Self.damaged(source, "orders.tsv") { bytes in
                var lines = Self.lines(bytes); lines.remove(at: 1); bytes = Self.joined(lines)
            }
            let orders = try #require(manifest.table("orders"))
            let sha256 = SHA256.hex(of: [UInt8](try Data(contentsOf: broken.appending(path: "orders.tsv"))))
            let patched = StateExportManifest(
                format: manifest.format, schemaVersion: manifest.schemaVersion, backend: manifest.backend,
                tables: manifest.tables.map { table in
                    table.name != "orders" ? table
                        : StateTableDigest(name: "orders", columns: orders.columns, rowCount: orders.rowCount - 1, sha256: sha256)
                })
            try TestDatabases.withMigrated(backend) { target in
                try target.insertOrder(sampleOrder(clientOrderId: "KEEP1"))
                let before = try StateExport.tableChecksums(database: target.database)
                let error = storeError {
                    try StateImport.restore(from: broken, manifest: patched, into: target.database, logger: quietLogger)
                }
                #expect(error?.kind == .foreignKeyViolation)
                #expect(error?.exitStatus == .dataError)
                #expect(try StateExport.tableChecksums(database: target.database) == before)
                // The id sequence was not moved either.
                #expect(try target.insertOrder(sampleOrder(clientOrderId: "KEEP2")).id == 2)
            }
            #expect(throws: StoreError.self) { try StateImport.check(directory: broken, manifest: patched, logger: quietLogger) }
        }
    }
}
