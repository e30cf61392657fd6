import Foundation

/// Bars of a real-data slice in `Fixtures/indicators/`, as Doubles, with the session of each bar.
struct FixtureBars {
    var high: [Double] = []
    var low: [Double] = []
    var close: [Double] = []
    var volume: [Double] = []
    /// True on the first bar of each session (trading day).
    var startsSession: [Bool] = []

    var count: Int { close.count }

    /// Reads `symbol,YYYYMMDD,HH:MM,o,h,l,c,v,oi` (no header) or `date,open,high,low,close,volume`
    /// (header, ISO timestamps).
    init(fixture name: String) throws {
        let text = try String(contentsOf: fixtureURL(name), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let headered = lines.first?.hasPrefix("date,") ?? false
        if headered { lines.removeFirst() }
        var previousDay: Substring = ""
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            let day: Substring, h: Substring, l: Substring, c: Substring, v: Substring
            if headered {
                (day, h, l, c, v) = (f[0].prefix(10), f[2], f[3], f[4], f[5])
            } else {
                (day, h, l, c, v) = (f[1], f[4], f[5], f[6], f[7])
            }
            guard let hv = Double(h), let lv = Double(l), let cv = Double(c), let vv = Double(v) else {
                throw FixtureError("\(name): unreadable bar \(line)")
            }
            high.append(hv); low.append(lv); close.append(cv); volume.append(vv)
            startsSession.append(day != previousDay)
            previousDay = day
        }
    }
}

/// Reference values written by `scripts/reference/make_indicator_reference.py`: one column per
/// indicator, one row per bar, nil where the reference is not ready.
struct ReferenceTable {
    var columns: [String: [Double?]] = [:]
    var rowCount = 0

    init(fixture name: String) throws {
        let text = try String(contentsOf: fixtureURL(name), encoding: .utf8)
        var names: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            if names.isEmpty {
                names = cells.map(String.init)
                continue
            }
            guard cells.count == names.count else { throw FixtureError("\(name): ragged row \(rowCount + 1)") }
            for (column, cell) in zip(names, cells) {
                if cell.isEmpty {
                    columns[column, default: []].append(nil)
                } else if let value = Double(cell) {
                    columns[column, default: []].append(value)
                } else {
                    throw FixtureError("\(name): unreadable value \(cell) in \(column)")
                }
            }
            rowCount += 1
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func fixtureURL(_ name: String) throws -> URL {
    guard let base = Bundle.module.resourceURL else { throw FixtureError("no resource bundle") }
    return base.appendingPathComponent("Fixtures/indicators/\(name)")
}
