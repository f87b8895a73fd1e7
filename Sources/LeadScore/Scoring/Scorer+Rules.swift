import Foundation

extension Scorer {
    /// Batch scoring with a rules file instead of a model.
    ///
    /// Output columns: `idColumns` (or `row`, the 1-based data row number),
    /// `points`, `fit_points`, `engagement_points`, `tier`, `disqualified_by`
    /// (the disqualify entry that set the tier, if any), `grid` (the cell
    /// `A1`…`D4` of the fit and engagement points, `GridCuts`) when the
    /// rules file has a `grid`, and `reasons`: the rules that fired, in
    /// file order, as `Demo requested (+20)` joined by "; ". Streams in
    /// constant memory (but for the account roll-up, with
    /// `options.accounts`, written to `accountsPath`); written atomically.
    public static func score(
        rules: RuleSet, inputPath: String, outputPath: String, idColumns: [String] = [], options: ScoringOptions = ScoringOptions(),
        accountsPath: String? = nil, progress: ProgressHandler? = nil
    ) throws(InputError) -> ScoringSummary {
        let start = Date()
        let reader = try CSVReader(path: inputPath)
        let scorer = try RuleScorer(rules: rules, header: reader.header, file: inputPath, parser: options.rulesParser, asOfDays: options.asOfDays,
            exportedOnDays: options.exportedOnDays)
        var idIndices: [Int] = []
        for id in idColumns {
            guard let i = reader.header.firstIndex(of: id) else {
                throw InputError(
                    .missingColumn, at: InputLocation(file: inputPath, line: 1, column: id), "the id column is not in the file.",
                    remedy: "Check the id columns (\(OptionKey.idColumns.mention)); names must match the header exactly.")
            }
            idIndices.append(i)
        }
        let account = try options.accounts.map { a throws(InputError) in try AccountColumn(a, header: reader.header, file: inputPath) }
        var accountLeads = AccountLeads()
        let output = try AtomicOutput(path: outputPath, inputs: [inputPath])
        let writer = CSVWriter(output: output)
        writer.writeRow(
            (idColumns.isEmpty ? ["row"] : idColumns) + ["points", "fit_points", "engagement_points", "tier", "disqualified_by"]
                + (rules.grid == nil ? [] : ["grid"]) + ["reasons"])
        var summary = ScoringSummary(rows: 0, tierCounts: [:], unseenValues: [:], seconds: 0)
        while try reader.nextRecord() {
            summary.rows += 1
            let s = try scorer.score(field: { reader.field($0) }, line: reader.recordLine)
            summary.tierCounts[s.tier, default: 0] += 1
            let ids = idIndices.isEmpty ? [String(summary.rows)] : idIndices.map { reader.field($0) }
            writer.writeRow(
                ids + [
                    ModelNumber.text(s.total), ModelNumber.text(s.fit), ModelNumber.text(s.engagement), s.tier, s.disqualifiedBy ?? "",
                ] + (s.cell.map { [$0.label] } ?? []) + [s.fired.map(\.description).joined(separator: "; ")])
            if let account {
                accountLeads.append(
                    account: account.account(reader, parser: scorer.parser), id: idIndices.first.map { reader.field($0) }, value: s.total,
                    disqualifiedTier: s.disqualifiedBy == nil ? nil : s.tier)
            }
            if let progress, summary.rows % 65536 == 0 { progress(summary.rows, reader.bytesConsumed) }
        }
        if let accountsPath, let accounts = options.accounts {
            let (count, note) = try AccountRollup.write(accountLeads, to: accountsPath, inputs: [inputPath], model: nil, rules: (rules, accounts.points))
            summary.accounts = count
            if let note { summary.notes.append(note) }
        }
        try output.commit()
        summary.seconds = Date().timeIntervalSince(start)
        if idColumns.isEmpty {
            summary.notes.append(
                "no id column was given, so each lead is written with \"row\", its 1-based row number in the file (the header not counted); name the id column with \(OptionKey.idColumns.mention) to carry it to the scores.")
        }
        return summary
    }
}
