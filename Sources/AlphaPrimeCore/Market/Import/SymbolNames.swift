/// The names one instrument goes by in trader files: `NIFTY` in the headerless 1-minute files,
/// `NIFTY 50` in NSE's exports, `NIFTY50` as the project stores it; `NIFTY BANK` and `BANKNIFTY`.
/// A file whose rows name a symbol the import was not told is refused unless the trader says so.
public enum SymbolNames {
    /// Names of one index, compared after ``key(_:)``.
    static let aliases: [[String]] = [
        ["NIFTY", "NIFTY50"],
        ["BANKNIFTY", "NIFTYBANK"],
        ["FINNIFTY", "NIFTYFINSERVICE", "NIFTYFINANCIALSERVICES"],
        ["MIDCPNIFTY", "NIFTYMIDSELECT", "NIFTYMIDCAPSELECT"],
        ["INDIAVIX", "VIX"],
    ]

    /// Whether `found` (as a file writes it) names the instrument stored as `stored`.
    public static func same(_ found: String, _ stored: String) -> Bool {
        let a = key(found), b = key(stored)
        if a == b { return true }
        return aliases.contains { $0.contains(a) && $0.contains(b) }
    }

    /// Upper case, without spaces, `-`, `_`, `.`, an exchange prefix (`NSE:`) or an equity series
    /// suffix (`-EQ`).
    static func key(_ name: String) -> String {
        var text = name.uppercased()
        if let colon = text.firstIndex(of: ":") { text = String(text[text.index(after: colon)...]) }
        if text.hasSuffix("-EQ") { text = String(text.dropLast(3)) }
        return String(text.filter { !" -_.\t".contains($0) })
    }

    /// The name as it can be printed: quoted, at most 40 characters, control bytes escaped as in
    /// every problem message (``ProblemLog/printable(_:)``).
    public static func printable(_ name: String) -> String {
        let head = String(String.UnicodeScalarView(name.unicodeScalars.prefix(40)))
        return "'\(ProblemLog.printable(head))\(name.unicodeScalars.count > 40 ? "…" : "")'"
    }
}
