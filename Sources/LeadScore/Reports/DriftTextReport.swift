import Foundation

/// The drift report as terminal tables: the score's PSI, the columns by
/// PSI (largest first), then the bins of every column at watch or act.
/// The same numbers as its JSON and HTML.
public enum DriftTextReport {
    public static func render(_ r: DriftReport) -> String {
        var out = [heading(r), ""]
        out.append("Score (\(r.score.name)): PSI \(psi(r.score.psi)), \(r.score.verdict.rawValue).")
        out.append("")
        out.append(
            TextTable.render(
                ["column", "kind", "PSI", "verdict", "missing: training → new", "change", "unseen"],
                r.columns.map { c in
                    [
                        c.name, c.kind, psi(c.psi), c.verdict.rawValue,
                        "\(ModelNumber.percent(c.trainingMissingShare)) → \(ModelNumber.percent(c.newMissingShare))", points(c.missingShareChange),
                        c.unseenShare.map(DriftReport.percent) ?? "",
                    ]
                }, rightAligned: [2, 4, 5, 6]))
        out.append("")
        out.append(legend(r))
        for c in [r.score] + r.columns where c.verdict > .stable {
            out.append("")
            out.append("\(c.kind == "score" ? "Score (\(c.name))" : "\"\(c.name)\""): PSI \(psi(c.psi)), \(c.verdict.rawValue).")
            out.append(binTable(c))
        }
        if !r.notes.isEmpty { out.append("") }
        for note in r.notes { out.append("note: " + note) }
        return out.joined(separator: "\n")
    }

    /// What was compared with what.
    static func heading(_ r: DriftReport) -> String {
        "Drift of \(r.file) (\(ModelNumber.grouped(r.rows)) leads) from the \(ModelNumber.grouped(r.trainingRows)) training rows of \(r.trainingFile) "
            + "(model \(r.model), trained \(r.trainingDate))" + (r.asOf.map { ", read as of \($0)" } ?? "") + "."
    }

    /// The thresholds and the binning, in one line.
    static func legend(_ r: DriftReport) -> String {
        "PSI below \(ModelNumber.text(r.thresholds.watch)) stable, \(ModelNumber.text(r.thresholds.watch)) to \(ModelNumber.text(r.thresholds.act)) watch, "
            + "\(ModelNumber.text(r.thresholds.act)) and above act; numbers are binned at their training deciles, categories by level, "
            + "each with a missing bin; shares below \(ModelNumber.text(r.shareFloor)) count as \(ModelNumber.text(r.shareFloor))."
    }

    /// A column's bins: training and new shares, and each bin's PSI term.
    static func binTable(_ c: DriftReport.Column) -> String {
        let (header, rows) = binColumns(c)
        return TextTable.render(header, rows, rightAligned: [1, 2, 3, 4])
    }

    /// The header and rows of `binTable`, which the HTML page shows too.
    static func binColumns(_ c: DriftReport.Column) -> (header: [String], rows: [[String]]) {
        (
            ["bin", "training", "new", "change", "PSI term"],
            c.bins.map { [$0.label, ModelNumber.percent($0.training), ModelNumber.percent($0.new), points($0.new - $0.training), ModelNumber.fixed($0.term, 4)] }
        )
    }

    /// A PSI with four decimals.
    static func psi(_ v: Double) -> String { ModelNumber.fixed(v, 4) }

    /// A change of shares in percentage points: `+2.1 pp`.
    static func points(_ v: Double) -> String { ModelNumber.signed(100 * v, 1) + " pp" }
}
