/// A magnitude as messages print it: absolute value, rounded to two decimals (`2.5`, `0.33`).
/// Used wherever a rule or a limit is named in a sentence; signs are written by the caller.
package func format(_ x: Double) -> String {
    let r = (abs(x) * 100).rounded() / 100
    return String(r)
}
