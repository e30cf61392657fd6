import AlphaPrimeSupport
import AlphaPrimeDomain

/// The frame every HTML report page shares (backtest, optimisation, walk-forward): the document
/// head with the one stylesheet, the title header, and the footer that closes the page. A page
/// fills in only its own sections.
enum ReportPage {
    /// Styles for tables of ranked parameter sets (optimisation, walk-forward).
    static let rankedTableCSS = """
        table.ranked{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e1e4e8;font-size:13px}
        table.ranked th,table.ranked td{padding:4px 8px;border-top:1px solid #eef0f2;text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        table.ranked th{background:#fafbfc;font-weight:600;color:#444}
        table.ranked td.params{text-align:left;white-space:normal;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
        .card .value.params{font-size:14px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
        .card .value{font-size:18px}
        """

    /// From `<!DOCTYPE html>` to the end of the page header: `<title>` and `<h1>` read
    /// "`kind` `runID`", the subtitle under it; `extraCSS` follows the shared stylesheet.
    static func open(kind: String, runID: String, subtitle: String, extraCSS: String? = nil) -> String {
        let e = ReportFormat.escape
        let style = extraCSS.map { "\(BacktestReportHTML.css)\n\($0)\n" } ?? BacktestReportHTML.css
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(kind)) \(e(runID)) · ALPHA-PRIME</title>
            <style>\(style)</style>
            </head>
            <body>
            <main>
            <header>
            <h1>\(e(kind)) <span class="run">\(e(runID))</span></h1>
            <p class="sub">\(e(subtitle))</p>
            </header>

            """
    }

    /// The footer (HTML, already escaped where needed) after "ALPHA-PRIME <version>. ", and the end of the page.
    static func close(footer: String) -> String {
        """
        <footer>ALPHA-PRIME \(AlphaPrimeVersion.string). \(footer)</footer>
        </main>
        </body>
        </html>

        """
    }
}
