import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeCore

/// The two-thread read of a large canonical CSV gives what the one-thread read gives: the same
/// bars, and the same first error (file, line and message) wherever the problems sit.
@Suite struct CanonicalCSVTwoPartTests {
    func at(_ d: String, _ t: String) -> Int64 { MarketDataFixtures.at(d, t) }

    /// Rows one minute apart from 2021-02-23 09:15 IST; `edit` may change row k's text.
    func text(rows: Int, bom: Bool = false, crlf: Bool = false, edit: (Int, String) -> String = { $1 }) -> String {
        let end = crlf ? "\r\n" : "\n"
        var out = (bom ? "\u{FEFF}" : "") + "timestamp,open,high,low,close,volume" + end
        let start = at("2021-02-23", "09:15")
        for k in 0..<rows {
            let price = 10_000 + k % 500
            let row = "\(UTCText.iso(start + Int64(k) * 60)),\(price).25,\(price + 1).50,\(price - 1).05,\(price).75,\(k % 977)"
            out += edit(k, row) + end
        }
        return out
    }

    func oneThread(_ url: URL) -> Result<BarSeries, MarketDataError> {
        Result { try CanonicalCSV.scan(path: url.path, options: .init(), strict: true).bars.series }
            .mapError { $0 as! MarketDataError }
    }

    func twoParts(_ url: URL) -> Result<BarSeries?, MarketDataError> {
        Result { try CanonicalCSV.readInTwoParts(path: url.path, options: .init(), minimumSize: 0) }
            .mapError { $0 as! MarketDataError }
    }

    @Test(arguments: [(7, false, false), (2_000, true, true), (2_001, false, true), (5_003, true, false)])
    func theSameBarsAsOneThread(rows: Int, bom: Bool, crlf: Bool) throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Blank lines around the middle, and a last line without its line feed.
        var body = text(rows: rows, bom: bom, crlf: crlf) { k, row in k == rows / 2 ? "\n  \n" + row : row }
        body.removeLast(crlf ? 2 : 1)
        let url = try MarketDataFixtures.write(body, "bars.csv", in: dir)
        let expected = try oneThread(url).get()
        let got = try #require(try twoParts(url).get())
        #expect(got == expected)
        #expect(got.count == rows)
        #expect(got.timeframeSeconds == 60)
    }

    @Test func theFirstErrorInFileOrderWins() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = 3_000
        let cases: [(String, (Int, String) -> String)] = [
            ("a bad price in the second half", { k, row in k == 2_500 ? row.replacingOccurrences(of: ".25,", with: ".2x,") : row }),
            ("bad rows in both halves", { k, row in k == 100 || k == 2_800 ? row + ",extra" : row }),
            ("high below low in the first half", { k, row in k == 1_000 ? "2021-02-23T20:25:00Z,100.00,90.00,95.00,96.00,1" : row }),
        ]
        for (name, edit) in cases {
            let url = try MarketDataFixtures.write(text(rows: rows, edit: edit), "bars.csv", in: dir)
            guard case .failure(let expected) = oneThread(url) else { Issue.record("\(name): one thread read it"); continue }
            guard case .failure(let got) = twoParts(url) else { Issue.record("\(name): two parts read it"); continue }
            #expect("\(got)" == "\(expected)", "\(name)")
        }
    }

    @Test func rowsOutOfOrderAcrossTheCutAreCaught() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = 2_000
        let plain = text(rows: rows)
        let url = try MarketDataFixtures.write(plain, "bars.csv", in: dir)
        // Find the row the second part starts with, and make it repeat the row before it.
        let file = try OpenedFile(path: url.path)
        let cut = try file.lineStart(atOrAfter: file.size / 2)
        let firstSecondRow = try file.lineFeeds(from: 0, to: cut) - 1  // rows before the cut (header excluded)
        file.close()
        for (label, shift) in [("repeats", 60), ("is earlier", 120)] {
            let broken = text(rows: rows) { k, row in
                guard k == firstSecondRow else { return row }
                let time = at("2021-02-23", "09:15") + Int64(k) * 60 - Int64(shift)
                return UTCText.iso(time) + row.drop(while: { $0 != "," })
            }
            let brokenURL = try MarketDataFixtures.write(broken, "broken.csv", in: dir)
            guard case .failure(let expected) = oneThread(brokenURL), case .failure(let got) = twoParts(brokenURL) else {
                Issue.record("\(label): read without an error"); continue
            }
            #expect("\(got)" == "\(expected)", "\(label)")
            #expect("\(got)".contains(label == "repeats" ? "repeats the row before" : "earlier than the row before"))
        }
    }

    @Test func aFileWithoutAReadableHeaderIsLeftToTheOneThreadRead() throws {
        let dir = try MarketDataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try MarketDataFixtures.write("time,o,h,l,c\n" + text(rows: 100), "bars.csv", in: dir)
        #expect(try twoParts(url).get() == nil)
        let empty = try MarketDataFixtures.write("", "empty.csv", in: dir)
        #expect(try twoParts(empty).get() == nil)
    }
}
