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
        var header = idNames.isEmpty ? ["row"] : idNames
        header += ["probability", "score", "tier"]
        if options.reasons > 0 {
            header += (1...options.reasons).map { "positive_reason_\($0)" } + (1...options.reasons).map { "negative_reason_\($0)" }
        }
        writer.writeRow(header)
        var summary = ScoringSummary(rows: 0, tierCounts: [:], unseenValues: [:], seconds: 0)
        let columns = model.schema.encoders.columns
        var fields: [String] = []
        while let eta = try runner.next() {
            summary.rows += 1
            let p = sigmoid(eta)
            let score = Int((p * 100).rounded())
            let tier = options.tiers.tier(score: score)
            summary.tierCounts[tier, default: 0] += 1
            fields.removeAll(keepingCapacity: true)
            if idIndices.isEmpty { fields.append(String(summary.rows)) } else { for i in idIndices { fields.append(runner.reader.field(i)) } }
            fields.append(p.description)
            fields.append(String(score))
            fields.append(tier)
            for (k, c) in columns.enumerated() where c.kind == .categorical {
                let v = runner.encoder.parser.present(runner.reader.field(runner.encoder.fieldIndex[k]))
                if v != nil, runner.encoder.isUnseen(column: k, value: v) { summary.unseenValues[c.column, default: 0] += 1 }
            }
            if options.reasons > 0 {
                let contributions = runner.contributions()
                let order = contributions.indices.sorted { contributions[$0] != contributions[$1] ? contributions[$0] > contributions[$1] : $0 < $1 }
                let up = order.filter { contributions[$0] >= minimumReason }.prefix(options.reasons)
                let down = order.reversed().filter { contributions[$0] <= -minimumReason }.prefix(options.reasons)
                for list in [Array(up), Array(down)] {
                    for r in 0..<options.reasons {
                        fields.append(r < list.count ? reason(column: list[r], contribution: contributions[list[r]], runner: runner) : "")
                    }
                }
            }
            writer.writeRow(fields)
            if let progress, summary.rows % 65536 == 0 { progress(summary.rows, runner.reader.bytesConsumed) }
        }
        try output.commit()
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// `Column = value (+1.2)` in words a user understands.
    static func reason(column k: Int, contribution: Double, runner: ModelRunner) -> String {
        let encoderColumn = runner.model.schema.encoders.columns[k]
        let raw = runner.reader.field(runner.encoder.fieldIndex[k])
        let value = runner.encoder.parser.present(raw)
        let amount = "(\(ModelNumber.signed(contribution)))"
        guard let value else { return "\(encoderColumn.column) is missing \(amount)" }
        if case .categorical(let e) = encoderColumn, runner.encoder.isUnseen(column: k, value: value) || e.pooled.contains(value) {
            return "\(encoderColumn.column) = \(value) [rare] \(amount)"
        }
        return "\(encoderColumn.column) = \(value) \(amount)"
    }
}
