import Foundation

/// The result of evaluating a model on a labelled file.
public struct EvaluationReport: Codable, Sendable {
    public var file: String
    public var metrics: BinaryMetrics
    /// Rows left out because their outcome is missing or open.
    public var excludedRows: Int
}

/// Evaluates one model on a CSV that has the model's outcome column: the
/// leads are read, scored and labelled by `LabelledLeads`, the road of
/// `leadscore evaluate`, then compared with their outcomes
/// (`BinaryMetrics`). `train --validation` measures its validation file
/// with it.
public enum Evaluator {
    /// `predictionsPath`, if given, receives one line per evaluated lead
    /// (`PredictionsWriter`).
    public static func evaluate(
        model: ModelCard, dataPath: String, options: ScoringOptions, predictionsPath: String? = nil
    ) throws(InputError) -> EvaluationReport {
        let target = model.schema.target
        let predictions = try predictionsPath.map { (path) throws(InputError) in try PredictionsWriter(path: path, model: model, dataPath: dataPath) }
        let leads = try LabelledLeads.read(
            path: dataPath, outcome: .known(target), scorers: [.model(path: dataPath, model)], options: options,
            requiringIds: predictions != nil, lead: predictions?.write)
        let positives = leads.positives
        guard positives > 0, positives < leads.labels.count else {
            throw InputError(
                .singleClass, at: InputLocation(file: dataPath, column: target.column),
                "the file has \(leads.labels.count) rows with an outcome, \(positives) of them won; evaluation needs both won and lost leads.",
                remedy: "Evaluate on closed deals with both outcomes.")
        }
        try predictions?.commit()
        return EvaluationReport(
            file: (dataPath as NSString).lastPathComponent,
            metrics: BinaryMetrics.compute(
                labels: leads.labels, probabilities: leads.probabilities[0], logOdds: leads.logOdds[0].map(model.probabilityMap.logOdds)),
            excludedRows: leads.excluded)
    }
}

/// Each evaluated lead's id, label and probability, as a CSV: the model's id
/// columns, which must be in the file (`LabelledLeads.read` with
/// `requiringIds`, the check of `score`), or `row`, the 1-based data row
/// number, when the model has none (`Scorer.rowNumbersNote`); `label` (1
/// won, 0 lost) and `probability` (shortest round-trip decimal); and last,
/// for a card changed after training and used anyway, `model_edited`,
/// `true` on every row, as in the scores file (`Scorer.editedColumn`).
/// Written atomically; nothing is left at the path unless `commit` is
/// called.
final class PredictionsWriter {
    private let output: AtomicOutput
    private let writer: CSVWriter<AtomicOutput>
    private let idColumns: [String]
    private let edited: Bool
    /// The header indices of the id columns, once the first lead is written.
    private var idIndices: [Int]? = nil
    private var fields: [String] = []

    init(path: String, model: ModelCard, dataPath: String) throws(InputError) {
        idColumns = model.schema.idColumns
        edited = Scorer.marksEdited(model)
        output = try AtomicOutput(path: path, inputs: [dataPath])
        writer = CSVWriter(output: output)
    }

    /// Writes `reader`'s current record (and, before the first, the header)
    /// with its label and the one model's probability, `probabilities[0]`:
    /// the `lead` step of `LabelledLeads.read`.
    func write(_ reader: CSVReader, label: Double, probabilities: [Double]) {
        let probability = probabilities[0]
        let ids: [Int]
        if let idIndices {
            ids = idIndices
        } else {
            // Every id column is in the header: the scorer was bound
            // requiring them.
            ids = idColumns.compactMap { reader.header.firstIndex(of: $0) }
            idIndices = ids
            writer.writeRow((ids.isEmpty ? ["row"] : ids.map { reader.header[$0] }) + ["label", "probability"] + (edited ? [Scorer.editedColumn] : []))
        }
        fields.removeAll(keepingCapacity: true)
        if ids.isEmpty { fields.append(String(reader.recordNumber)) } else { for i in ids { fields.append(reader.field(i)) } }
        fields.append(label == 1 ? "1" : "0")
        fields.append(probability.description)
        if edited { fields.append("true") }
        writer.writeRow(fields)
    }

    func commit() throws(InputError) { try output.commit() }
}
