/// Text from outside (a file, a variable, a broker) as a message may show it.
public enum PrintableText {
    /// Control characters (NUL included; a tab kept) shown as `\u{XX}`, and at most `limit`
    /// characters, then `…`: a garbage input never writes raw bytes to a terminal or a log.
    public static func escaped(_ text: String, limit: Int = 500) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit { out += "…"; break }
            if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }
}
