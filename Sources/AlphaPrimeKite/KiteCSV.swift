import AlphaPrimeSupport

/// A malformed row of a Kite CSV file (the instrument masters): which file, which line (1-based, the
/// line the record starts on; the header is line 1) and what is wrong. The description reads
/// `instruments.csv:42: …`.
public struct KiteCSVError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    public var file: String
    public var line: Int
    public var reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(reason)" }
    public var exitStatus: ExitStatus { .dataError }
}

/// A small strict CSV reader for Kite's instrument masters.
///
/// Fields are separated by commas and records by LF or CRLF. A field may be quoted (`"A, B"`, with
/// `""` for a quote inside); a quote inside an unquoted field, text after a closing quote, or an
/// unterminated quote is an error. The header must name exactly the expected columns in order, and
/// every record must have as many fields. Blank lines are errors too, except a final line ending.
public enum KiteCSV {
    /// The records of `text` after its header, each with the line it starts on.
    public static func records(_ text: String, file: String, header expected: [String]) throws -> [(line: Int, fields: [String])] {
        var rows: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false, inQuotes = false, afterQuote = false
        var line = 1, recordLine = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        func fail(_ reason: String) -> KiteCSVError { KiteCSVError(file: file, line: line, reason: reason) }
        func endRecord() {
            fields.append(field)
            rows.append((recordLine, fields))
            fields = []; field = ""; quoted = false; afterQuote = false
        }
        while i < chars.count {
            let c = chars[i]
            i += 1
            if inQuotes {
                if c == "\"" {
                    if i < chars.count, chars[i] == "\"" { field.unicodeScalars.append("\""); i += 1 } else { inQuotes = false; afterQuote = true }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case ",":
                fields.append(field); field = ""; quoted = false; afterQuote = false
            case "\r" where i < chars.count && chars[i] == "\n":
                break
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            case "\"":
                guard field.isEmpty, !quoted else { throw fail("a quote inside an unquoted field") }
                quoted = true; inQuotes = true
            default:
                if afterQuote { throw fail("text after a closing quote") }
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw KiteCSVError(file: file, line: recordLine, reason: "an unterminated quoted field (the record starts here)") }
        if !field.isEmpty || !fields.isEmpty || quoted { endRecord() }
        guard let head = rows.first else { throw KiteCSVError(file: file, line: 1, reason: "the file is empty") }
        guard head.fields == expected else {
            throw KiteCSVError(file: file, line: 1, reason: "the header is \(head.fields.joined(separator: ",")), expected \(expected.joined(separator: ","))")
        }
        for row in rows.dropFirst() where row.fields.count != expected.count {
            throw KiteCSVError(file: file, line: row.line, reason: "\(row.fields.count) fields, expected \(expected.count)")
        }
        return Array(rows.dropFirst())
    }

    /// Reads one record's fields by column name, turning a bad value into a `KiteCSVError`.
    struct Row {
        let file: String
        let line: Int
        let columns: [String]
        let fields: [String]

        func text(_ column: String) -> String { fields[columns.firstIndex(of: column)!] }

        func fail(_ column: String, _ what: String) -> KiteCSVError {
            KiteCSVError(file: file, line: line, reason: "\(column) \"\(text(column))\" is not \(what)")
        }

        func int(_ column: String) throws -> Int64 {
            guard let v = Int64(text(column)) else { throw fail(column, "an integer") }
            return v
        }

        func double(_ column: String) throws -> Double {
            guard let v = Double(text(column)), v.isFinite else { throw fail(column, "a number") }
            return v
        }

        func price(_ column: String) throws -> KitePrice {
            guard let v = KitePrice(decimalText: text(column)) else { throw fail(column, "a rupee amount") }
            return v
        }

        func flag(_ column: String) throws -> Bool {
            switch text(column) {
            case "1": return true
            case "0": return false
            default: throw fail(column, "1 or 0")
            }
        }
    }
}
