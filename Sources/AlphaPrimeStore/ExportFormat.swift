import AlphaPrimeSupport

/// The portable text format of a state export: one file per table, `<table>.tsv`, the same for
/// both backends and read back by either.
///
/// A file is UTF-8, lines end with `\n` (the last one too):
/// - line 1 names the columns, separated by a tab, in the order the database reports them;
/// - every further line is one row, its fields separated by a tab, rows in primary-key order.
///
/// A field is exactly one of:
/// - `\N`: NULL;
/// - an integer: `-?[0-9]+`, as Swift prints an `Int64` (no `+`, no leading zeros, no `-0`);
/// - a real: as Swift prints a `Double`, the shortest text that reads back to the same value
///   (`2.5`, `100.0`, `1e-05`, `inf`, `nan`): never a bare run of digits, so never an integer;
/// - text: `"`, the text's UTF-8 bytes, `"`. Inside, a backslash is `\\`, a tab `\t`, a line feed
///   `\n`, a carriage return `\r`, and any other byte below 0x20 or 0x7F `\xHH` (lowercase hex);
///   every other byte, quotes and non-ASCII included, stands for itself. `""` is the empty text,
///   distinct from `\N`.
///
/// Each value has one spelling, and a reader refuses any other, so a file is the canonical encoding
/// of its rows: its SHA-256 (header line included) is the table's checksum, the same whichever
/// backend the rows came from or go to (`sha256sum orders.tsv` shows it).
public enum ExportFormat {
    /// The version of this format, recorded in every manifest.
    public static let version = 1

    static let tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n"), backslash = UInt8(ascii: "\\")
    static let quote = UInt8(ascii: "\"")
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The file holding a table's rows.
    public static func fileName(_ table: String) -> String { "\(table).tsv" }

    /// Whether a column or table name can be written in a header (and quoted in SQL) as it is.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    static func appendHeader(_ columns: [String], to out: inout [UInt8]) {
        for (index, column) in columns.enumerated() {
            if index > 0 { out.append(tab) }
            out.append(contentsOf: column.utf8)
        }
        out.append(newline)
    }

    static func appendRow(_ values: [SQLValue], to out: inout [UInt8]) {
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(tab) }
            appendField(value, to: &out)
        }
        out.append(newline)
    }

    static func appendField(_ value: SQLValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(backslash); out.append(UInt8(ascii: "N"))
        case .integer(let v): out.append(contentsOf: String(v).utf8)
        case .real(let v): out.append(contentsOf: String(v).utf8)
        case .text(let text):
            out.append(quote)
            for byte in text.utf8 {
                switch byte {
                case backslash: out.append(backslash); out.append(backslash)
                case tab: out.append(backslash); out.append(UInt8(ascii: "t"))
                case newline: out.append(backslash); out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): out.append(backslash); out.append(UInt8(ascii: "r"))
                case 0..<0x20, 0x7f:
                    out.append(backslash); out.append(UInt8(ascii: "x"))
                    out.append(hexDigits[Int(byte >> 4)]); out.append(hexDigits[Int(byte & 0xf)])
                default: out.append(byte)
                }
            }
            out.append(quote)
        }
    }

    /// The header's column names, or nil when it is not a tab-separated list of identifiers.
    static func parseHeader(_ line: ArraySlice<UInt8>) -> [String]? {
        let names = line.split(separator: tab, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        return names.allSatisfy(isIdentifier) ? names : nil
    }

    /// The values of one row line, or why it is not one (never quoting the line: it may hold anything).
    static func parseRow(_ line: ArraySlice<UInt8>, columnCount: Int) -> Result<[SQLValue], ParseFailure> {
        var values: [SQLValue] = []
        values.reserveCapacity(columnCount)
        for field in line.split(separator: tab, omittingEmptySubsequences: false) {
            guard values.count < columnCount else {
                return .failure(ParseFailure("more than the \(columnCount) fields the header names"))
            }
            switch parseField(field) {
            case .success(let value): values.append(value)
            case .failure(let failure): return .failure(ParseFailure("field \(values.count + 1): \(failure.reason)"))
            }
        }
        guard values.count == columnCount else {
            return .failure(ParseFailure("\(values.count) fields where the header names \(columnCount)"))
        }
        return .success(values)
    }

    struct ParseFailure: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    static func parseField(_ field: ArraySlice<UInt8>) -> Result<SQLValue, ParseFailure> {
        guard let first = field.first else { return .failure(ParseFailure("empty (NULL is \\N, empty text \"\")")) }
        if first == quote { return parseText(field) }
        if field.elementsEqual([backslash, UInt8(ascii: "N")]) { return .success(.null) }
        let text = String(decoding: field, as: UTF8.self)
        if let integer = Int64(text), String(integer) == text { return .success(.integer(integer)) }
        // Swift never prints a Double as a bare run of digits ("12.0"), so this cannot take an integer.
        if let real = Double(text), String(real) == text { return .success(.real(real)) }
        return .failure(ParseFailure("neither \\N, a number as this format writes one, nor quoted text"))
    }

    private static func parseText(_ field: ArraySlice<UInt8>) -> Result<SQLValue, ParseFailure> {
        guard field.count >= 2, field.last == quote else { return .failure(ParseFailure("text without its closing quote")) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(field.count - 2)
        var index = field.startIndex + 1
        let end = field.endIndex - 1
        while index < end {
            let byte = field[index]
            index += 1
            if byte < 0x20 || byte == 0x7f { return .failure(ParseFailure("a raw control byte in text (it must be escaped)")) }
            guard byte == backslash else { bytes.append(byte); continue }
            guard index < end else { return .failure(ParseFailure("text ends in a lone backslash")) }
            let escape = field[index]
            index += 1
            switch escape {
            case backslash: bytes.append(backslash)
            case UInt8(ascii: "t"): bytes.append(tab)
            case UInt8(ascii: "n"): bytes.append(newline)
            case UInt8(ascii: "r"): bytes.append(UInt8(ascii: "\r"))
            case UInt8(ascii: "x"):
                guard index + 2 <= end,
                      let high = hexDigits.firstIndex(of: field[index]), let low = hexDigits.firstIndex(of: field[index + 1])
                else { return .failure(ParseFailure("\\x not followed by two lowercase hex digits")) }
                let value = UInt8(high << 4 | low)
                guard value < 0x20 || value == 0x7f, value != tab, value != newline, value != UInt8(ascii: "\r") else {
                    return .failure(ParseFailure("\\x used for a byte that is written otherwise"))
                }
                bytes.append(value)
                index += 2
            default: return .failure(ParseFailure("unknown escape in text"))
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(ParseFailure("text that is not UTF-8")) }
        return .success(.text(text))
    }
}
