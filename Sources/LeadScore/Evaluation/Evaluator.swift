import Foundation

/// The result of evaluating a model on a labelled file.
public struct EvaluationReport: Codable, Sendable {
    public var file: String
    public var metrics: BinaryMetrics
    /// Rows left out because their outcome is missing or open.
    public var excludedRows: Int
}

/// Evaluates a model on a CSV that has the model's outcome column: the
/// leads are encoded and scored exactly as `Scorer` does (same code path),
/// then compared with their outcomes (see `BinaryMetrics`).
public enum Evaluator {
    /// `predictionsPath`, if given, receives one line per evaluated lead:
    /// the id columns (or `row`), `label` and `probability`.
    public static func evaluate(
        model: ModelCard, dataPath: String, options: ScoringOptions, predictionsPath: String? = nil
    ) throws(InputError) -> EvaluationReport {
        var runner = try ModelRunner(model: model, path: dataPath, options: options)
        let target = model.schema.target
        guard let targetIndex = runner.fieldIndex(target.column) else {
            throw InputError(
                .missingColumn, at: InputLocation(file: dataPath, line: 1, column: target.column),
                "the file has no outcome column \"\(target.column)\", which evaluation needs.",
                remedy: "Evaluate on a file of closed deals with the outcome column the model was trained on.")
        }
        let parser = runner.encoder.parser
        let idIndices = model.schema.idColumns.compactMap { runner.fieldIndex($0) }
        var output: AtomicOutput? = nil
        var writer: CSVWriter<AtomicOutput>? = nil
        if let predictionsPath {
            output = try AtomicOutput(path: predictionsPath, inputs: [dataPath])
            writer = CSVWriter(output: output!)
            writer!.writeRow((idIndices.isEmpty ? ["row"] : idIndices.map { runner.reader.header[$0] }) + ["label", "probability"])
        }
        var labels: [Double] = [], probabilities: [Double] = [], logOdds: [Double] = []
        var excluded = 0, row = 0
        while let eta = try runner.next() {
            row += 1
            guard let label = target.label(parser.present(runner.reader.field(targetIndex))) else {
                excluded += 1
                continue
            }
            let p = sigmoid(eta)
            labels.append(label)
            probabilities.append(p)
            logOdds.append(eta)
            if let writer {
                let ids = idIndices.isEmpty ? [String(row)] : idIndices.map { runner.reader.field($0) }
                writer.writeRow(ids + [label == 1 ? "1" : "0", p.description])
            }
        }
        let positives = labels.reduce(0, +)
        guard positives > 0, positives < Double(labels.count) else {
            throw InputError(
                .singleClass, at: InputLocation(file: dataPath, column: target.column),
                "the file has \(labels.count) rows with an outcome, \(Int(positives)) of them won; evaluation needs both won and lost leads.",
                remedy: "Evaluate on closed deals with both outcomes.")
        }
        try output?.commit()
        return EvaluationReport(
            file: (dataPath as NSString).lastPathComponent,
            metrics: BinaryMetrics.compute(labels: labels, probabilities: probabilities, logOdds: logOdds),
            excludedRows: excluded)
    }
}
