import Foundation

extension Scorer {
    /// Batch scoring with a rules file instead of a model.
    ///
    /// Output columns: `idColumns` (or `row`, the 1-based data row number),
    /// `points`, `fit_points`, `engagement_points`, `tier`, `disqualified_by`
    /// (the disqualify entry that set the tier, if any), `grid` (the cell
    /// `A1`…`D4` of the fit and engagement points, `GridCuts`) when the
    /// rules file has a `grid`, and `reasons`: the rules that fired, in
    /// file order, joined by "; ", in words (`Demo requested: +20 points`)
    /// or raw (`Demo requested (+20)`, `ScoringOptions.reasonStyle`); with
    /// `options.provenance`, `model_id` and `scored_at`, the model id being
    /// `rulesID`: the SHA-256 of the rules file (`RuleSet.loadWithDigest`),
    /// or when nil, of the rules written as JSON (`JSONOutput`). In CSV or
    /// JSON Lines (`options.format`); `options.probabilityDecimals` plays no
    /// part (points are written as they are). Streams in
    /// constant memory (but for the account roll-up, with
    /// `options.accounts`, written to `accountsPath`); written atomically.
    public static func score(
        rules: RuleSet, inputPath: String, outputPath: String, idColumns: [String] = [], options: ScoringOptions = ScoringOptions(),
        accountsPath: String? = nil, progress: ProgressHandler? = nil, rulesID: String? = nil
    ) throws(InputError) -> ScoringSummary {
        let start = Date()
        let stamp = try provenanceFields(options) { () throws(InputError) in
            if let rulesID { return rulesID }
            return FileDigest.sha256(data: try JSONOutput.data(rules, nonFiniteAsStrings: false, what: "the rules"))
        }
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
        let writer = ScoresWriter(
            output: output,
            layout: ScoresLayout(
                format: options.format,
                columns: (idColumns.isEmpty ? ["row"] : idColumns) + ["points", "fit_points", "engagement_points", "tier", "disqualified_by"]
                    + (rules.grid == nil ? [] : ["grid"]) + ["reasons"] + (stamp == nil ? [] : provenanceColumns)))
        writer.writeHeader()
        var summary = ScoringSummary(rows: 0, tierCounts: [:], unseenValues: [:], seconds: 0)
        while try reader.nextRecord() {
            summary.rows += 1
            let s = try scorer.score(field: { reader.field($0) }, line: reader.recordLine)
            summary.tierCounts[s.tier, default: 0] += 1
            if idIndices.isEmpty {
                writer.number { NumberBytes.integer(Int64(summary.rows), into: $0) }
            } else {
                for i in idIndices { reader.withFieldBytes(i) { writer.text($0) } }
            }
            for points in [s.total, s.fit, s.engagement] { writer.unquoted(Array(ModelNumber.text(points).utf8)) }
            writer.text(s.tier)
            writer.text(s.disqualifiedBy ?? "")
            if let cell = s.cell { writer.text(cell.label) }
            writer.text(s.fired.map { options.reasonStyle == .words ? $0.words : $0.description }.joined(separator: "; "))
            if let stamp { for field in stamp { field.withUnsafeBufferPointer { writer.text($0) } } }
            writer.endRow()
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
