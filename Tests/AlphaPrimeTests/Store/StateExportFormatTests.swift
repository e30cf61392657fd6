import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeStore

@Suite struct StateExportFormatTests {
    static func encoded(_ values: [SQLValue]) -> String {
        var bytes: [UInt8] = []
        ExportFormat.appendRow(values, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func parsed(_ line: String, columns: Int) -> [SQLValue]? {
        try? ExportFormat.parseRow(ArraySlice(Array(line.utf8)), columnCount: columns).get()
    }

    @Test func valuesAreWrittenOneWayAndReadBack() throws {
        let values: [SQLValue] = [
            .null, .text(""), .text("\\N"), .integer(0), .integer(.max), .integer(.min), .integer(-1),
            .real(2.5), .real(100), .real(-0.0), .real(1e-5), .real(.infinity), .real(-.infinity),
            .text("tab\tnew\nline\rcr back\\slash \"q\" ₹🚀"), .text("\u{0}\u{1}\u{1f}\u{7f}"), .text("12"), .text("1.5"),
        ]
        let line = Self.encoded(values)
        let fields = [
            #"\N"#, #""""#, #""\\N""#, "0", "9223372036854775807", "-9223372036854775808", "-1", "2.5", "100.0", "-0.0",
            "1e-05", "inf", "-inf", #""tab\tnew\nline\rcr back\\slash "q" ₹🚀""#, #""\x00\x01\x1f\x7f""#, #""12""#, #""1.5""#,
        ]
        #expect(line == fields.joined(separator: "\t") + "\n")
        #expect(line.utf8.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        #expect(Self.parsed(String(line.dropLast()), columns: values.count) == values)
        if case .real(let nan)? = Self.parsed("nan", columns: 1)?.first { #expect(nan.isNaN) } else { Issue.record("nan is a real") }
    }

    @Test(arguments: [
        "", "007", "+5", "-0", "1e5", "1.50", "9223372036854775808", "abc", "\\n", "\\N ", "NULL", "\"open", "\"",
        "\"a\\qb\"", "\"\\x41\"", "\"\\x0A\"", "\"\\x0\"", "\"\\X01\"", "\"raw\u{1}\"", "\"ends\\\"", "\"\u{7f}\"",
    ])
    func anyOtherSpellingIsRefused(_ field: String) {
        #expect(Self.parsed(field, columns: 1) == nil, "\(field.debugDescription)")
    }

    @Test func textThatIsNotUTF8IsRefused() {
        let line: [UInt8] = [UInt8(ascii: "\""), 0xff, 0xfe, UInt8(ascii: "\"")]
        #expect((try? ExportFormat.parseRow(ArraySlice(line), columnCount: 1).get()) == nil)
    }

    @Test func aRowMustHaveAFieldForEveryColumn() {
        #expect(Self.parsed("1\t2", columns: 3) == nil)
        #expect(Self.parsed("1\t2\t3\t4", columns: 3) == nil)
        #expect(Self.parsed("1\t\t3", columns: 3) == nil)
        #expect(Self.parsed("1\t\"\"\t3", columns: 3) == [1, "", 3])
    }

    @Test func headersAreIdentifiers() {
        #expect(ExportFormat.parseHeader(ArraySlice(Array("id\tmode\trisk_state_open".utf8))) == ["id", "mode", "risk_state_open"])
        #expect(ExportFormat.parseHeader(ArraySlice(Array("id\tMode".utf8))) == nil)
        #expect(ExportFormat.parseHeader(ArraySlice(Array("id\t\"x\"".utf8))) == nil)
        #expect(ExportFormat.parseHeader(ArraySlice(Array("id\t".utf8))) == nil)
    }

    @Test func aTableChecksumIsTheSHA256OfItsFile() throws {
        try withTemporaryDirectory { directory in
            try TestDatabases.withMigrated(.sqlite) { repository in
                try ExportFixture.fill(repository.database)
                let manifest = try StateExport.export(database: repository.database, to: directory)
                for table in manifest.tables {
                    let bytes = [UInt8](try Data(contentsOf: directory.appending(path: table.fileName)))
                    #expect(SHA256.hex(of: bytes) == table.sha256, "table \(table.name)")
                    #expect(bytes.filter { $0 == UInt8(ascii: "\n") }.count == table.rowCount + 1)
                }
                let marks = try String(contentsOf: directory.appending(path: "engine_marks.tsv"), encoding: .utf8)
                    .split(separator: "\n").dropFirst().filter { $0.hasPrefix("\"live\"") }
                    .map { $0.split(separator: "\t")[1] }
                #expect(marks == ["\"B\"", "\"Z\"", "\"_x\"", "\"a\"", "\"a b\"", "\"b\"", "\"ä\"", "\"é\"", "\"🚀\""])
            }
        }
    }
}
