import Foundation

/// What a scoring run did.
public struct ScoringSummary: Sendable {
    public var rows: Int
    public var tierCounts: [String: Int]
    /// Category values not seen in training, per column (encoded as
    /// "(other)" or as the reference level).
    public var unseenValues: [String: Int]
    public var seconds: Double
}

/// Batch scoring: a CSV of new leads in, a CSV of scores out.
///
/// Output columns: the model's id columns (or `row`, the 1-based data row
/// number, when it has none), `probability` (of winning, shortest
/// round-trip decimal), `score` (round(100 · probability), 0–100), `tier`,
/// then `positive_reason_1…k` and `negative_reason_1…k`.
///
/// A reason is a column's contribution to the lead's log-odds, Σ β_j x_j
/// over the column's features: for a category, its level's coefficient
/// (relative to the reference level); for a number, relative to the average
/// training lead. Reasons with |contribution| < 0.05 are not shown. Text:
/// `Lead Origin = Lead Add Form (+1.9)`, `TotalVisits is missing (-0.3)`.
public enum Scorer {
    public static let minimumReason = 0.05

    /// The scores file's header (see above).
    static func outputHeader(idNames: [String], reasons: Int) -> [String] {
        var header = idNames.isEmpty ? ["row"] : idNames
        header += ["probability", "score", "tier"]
        if reasons > 0 {
            header += (1...reasons).map { "positive_reason_\($0)" } + (1...reasons).map { "negative_reason_\($0)" }
        }
        return header
    }

    public static func score(
        model: ModelCard, inputPath: String, outputPath: String, options: ScoringOptions = ScoringOptions(),
        progress: ProgressHandler? = nil
    ) throws(InputError) -> ScoringSummary {
        let start = Date()
        var runner = try ModelRunner(model: model, path: inputPath, options: options)
        let idIndices = model.schema.idColumns.compactMap { runner.fieldIndex($0) }
        let idNames = model.schema.idColumns.filter { runner.fieldIndex($0) != nil }
        let output = try AtomicOutput(path: outputPath, inputs: [inputPath])
        let writer = CSVWriter(output: output)
        writer.writeRow(outputHeader(idNames: idNames, reasons: options.reasons))

        // Rows are written field by field from bytes: the id fields as read,
        // the numbers by `NumberBytes`, which writes the text of
        // `description` / `String(_:)` / `ModelNumber.signed`.
        let reader = runner.reader
        let bytes = runner.scorer.byteEncoder
        let columns = model.schema.encoders.columns
        let categorical = columns.indices.filter { columns[$0].kind == .categorical }
        let tiers = TierLabels(options.tiers)
        var tierCounts = [Int](repeating: 0, count: tiers.count)
        var unseenCounts = [Int](repeating: 0, count: columns.count)
        let reasons = options.reasons > 0 ? ReasonWriter(model: model, encoder: bytes, count: options.reasons) : nil
        var rows = 0
        while let eta = try runner.next() {
            rows += 1
            let p = sigmoid(eta)
            let score = Int((p * 100).rounded())
            let tier = tiers.index(score: score)
            tierCounts[tier] += 1
            if idIndices.isEmpty {
                output.withSpace(NumberBytes.maximumLength) { NumberBytes.integer(Int64(rows), into: $0) }
            } else {
                for (n, i) in idIndices.enumerated() { reader.withFieldBytes(i) { writer.writeField($0, separated: n > 0) } }
            }
            writer.writeUnquotedField(reserve: NumberBytes.maximumLength) { NumberBytes.shortest(p, into: $0) }
            writer.writeUnquotedField(reserve: NumberBytes.maximumLength) { NumberBytes.integer(Int64(score), into: $0) }
            tiers.write(tier, to: writer)
            for k in categorical where bytes.state(column: k).contains(.unseen) { unseenCounts[k] += 1 }
            if let reasons {
                runner.scorer.withFeatures { reasons.write(features: $0, reader: reader, to: writer) }
            }
            writer.endRow()
            if let progress, rows % 65536 == 0 { progress(rows, reader.bytesConsumed) }
        }
        try output.commit()
        var summary = ScoringSummary(rows: rows, tierCounts: [:], unseenValues: [:], seconds: 0)
        for (t, n) in tierCounts.enumerated() where n > 0 { summary.tierCounts[tiers.labels[t], default: 0] += n }
        for (k, n) in unseenCounts.enumerated() where n > 0 { summary.unseenValues[columns[k].column, default: 0] += n }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }
}
