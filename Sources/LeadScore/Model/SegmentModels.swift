import Foundation

/// One model per segment of the leads (a region, a product line), in one
/// model card: the part `leadscore train --segment COLUMN` adds.
///
/// Partial pooling. The global model (the card's own intercept and
/// coefficients, b_g and β_g) is fitted on every training row. Segment s's
/// model is then fitted on the segment's rows alone, around the global
/// model's log-odds and shrunk toward them:
///
///     minimise over (δ, d)   Σ_{i ∈ s} s_i · ℓ(y_i, o_i + d + x_iᵀδ) + (λ_s/2) · ‖δ‖²
///     o_i = b_g + x_iᵀβ_g          (the global model's log-odds, fixed)
///     β_s = β_g + δ,   b_s = b_g + d
///
/// so the penalty is (λ_s/2)‖β_s − β_g‖²: as λ_s grows, β_s goes to β_g;
/// at λ_s = 0 it is the segment's own unpenalised fit. The intercept shift
/// d is not penalised (a segment keeps its own base rate), as the intercept
/// of every LeadScore fit. ℓ and the sample weights s_i are the global
/// fit's (`LogisticRegression`: with balanced class weights, the weights
/// of the whole training set, so that the segment intercepts are on the
/// scale the prior correction undoes; the correction of the global
/// intercept is added to each segment's). This is the two-stage form of
/// partial pooling: β_g is estimated once, on all rows, rather than jointly
/// with the segments (a random-coefficients model); with a few segments
/// and thousands of rows the difference is small, and each segment's fit
/// is a small penalised logistic regression of its own.
///
/// λ_s is given (`segmentL2`) or chosen by cross-validation: k folds of
/// the training rows (stratified, seeded); in each fold the global model
/// and every segment model are refitted on the other folds, for each λ of
/// `SegmentModels.lambdaGrid`, and the fold's rows scored; the λ with the
/// smallest out-of-fold deviance (Σ s_i ℓ_i over every held-out row, every
/// segment) is chosen. The global model alone (λ = ∞) is measured the same
/// way and recorded for comparison.
///
/// A segment with fewer than `minConversions` won deals (or lost ones) in
/// the training rows has no model of its own: its leads are scored with the
/// global model, as are leads whose segment value is missing or was not
/// seen in training. Values are compared as read (trimmed, case and spaces
/// inside kept), the missing markers of the model meaning "no segment".
public struct SegmentModels: Codable, Sendable, Equatable {
    /// The column whose value picks each lead's model.
    public var column: String
    /// λ_s, the penalty on ‖β_s − β_g‖²/2 (the convention of
    /// `SolverOptions.l2`).
    public var l2: Double
    /// How λ_s was chosen.
    public var selection: Selection
    /// Segments with fewer won (or lost) training deals use the global model.
    public var minConversions: Int
    /// Every segment value of the training rows, in order of their count
    /// (largest first, then by value).
    public var segments: [Segment]

    public struct Segment: Codable, Sendable, Equatable {
        /// The column's value, as read.
        public var value: String
        /// Training rows and won deals of the segment.
        public var rows: Int
        public var conversions: Int
        /// The segment's own intercept b_s and coefficients β_s (encoded
        /// scale, feature order); nil when the segment uses the global
        /// model (too few conversions).
        public var intercept: Double?
        public var coefficients: [Double]?
        /// The segment fit's solver record; nil with no model of its own.
        public var converged: Bool?
        public var iterations: Int?

        public init(value: String, rows: Int, conversions: Int, intercept: Double? = nil, coefficients: [Double]? = nil, converged: Bool? = nil, iterations: Int? = nil) {
            self.value = value
            self.rows = rows
            self.conversions = conversions
            self.intercept = intercept
            self.coefficients = coefficients
            self.converged = converged
            self.iterations = iterations
        }

        /// Whether the segment has a model of its own.
        public var hasModel: Bool { coefficients != nil }
    }

    /// How λ_s was chosen: given, or by cross-validation over `lambdaGrid`.
    public struct Selection: Codable, Sendable, Equatable {
        /// "given" or "cross-validation".
        public var method: String
        /// Folds and seed of the cross-validation; nil when given.
        public var folds: Int?
        public var seed: UInt64?
        /// Out-of-fold deviance (Σ s_i ℓ_i, every training row) per λ of
        /// the grid, and of the global model alone; nil when given.
        public var deviances: [Candidate]?
        public var globalDeviance: Double?

        public struct Candidate: Codable, Sendable, Equatable {
            public var l2: Double
            public var deviance: Double
        }

        public static let given = "given"
        public static let crossValidation = "cross-validation"
    }

    /// The λ_s tried by cross-validation: from a segment nearly on its own
    /// (0.1) to nearly the global model (10⁴), three to a decade.
    public static let lambdaGrid: [Double] = [0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000]
    /// Folds of the cross-validation of λ_s.
    public static let defaultFolds = 5
    /// The name that picks the global model where a segment is named.
    public static let globalName = "(global)"

    public init(column: String, l2: Double, selection: Selection, minConversions: Int, segments: [Segment]) {
        self.column = column
        self.l2 = l2
        self.selection = selection
        self.minConversions = minConversions
        self.segments = segments
    }

    /// The segments with a model of their own.
    public var modelled: [Segment] { segments.filter(\.hasModel) }
}

extension ModelCard {
    /// The global model's linear predictor, then one per segment with a
    /// model of its own (in `segments.modelled` order): what `RowEncoder`
    /// chooses among, lead by lead.
    public var predictors: [LinearPredictor] {
        [LinearPredictor(model: self)]
            + (segments?.modelled ?? []).map { LinearPredictor(intercept: $0.intercept!, coefficients: $0.coefficients!) }
    }

    /// A copy of the card without its segment models: the global model,
    /// which `evaluate` compares the segment models with on the same
    /// leads.
    public var globalModel: ModelCard {
        var card = self
        card.segments = nil
        return card
    }

    /// The model of the leads of segment `value` as a card of its own,
    /// without segments: the segment's model, or the global model for a
    /// segment without one and for `SegmentModels.globalName`. What a
    /// one-model export (a points table) takes. The copy has no checksum
    /// (it is not the card as trained) and keeps the global model's
    /// standard errors, metrics and profile.
    public func model(ofSegment value: String) throws(InputError) -> ModelCard {
        guard let segments else { return self }
        var card = globalModel
        card.checksum = nil
        if value == SegmentModels.globalName { return card }
        guard let segment = segments.segments.first(where: { $0.value == value }) else {
            throw InputError(
                .badConfiguration, at: InputLocation(file: OptionKey.segment.mention, column: segments.column, value: value),
                "the model has no segment \"\(value)\".",
                remedy: "Name one of \(segments.segments.map { "\"\($0.value)\"" }.joined(separator: ", ")), or \"\(SegmentModels.globalName)\" for the global model.")
        }
        if let b = segment.intercept, let beta = segment.coefficients {
            card.intercept.coefficient = b
            for j in card.features.indices { card.features[j].coefficient = beta[j] }
        }
        return card
    }

    /// What is wrong with the card's segment models, or nil: a model's
    /// coefficients must match the features and be finite.
    var segmentsProblem: String? {
        guard let segments else { return nil }
        for s in segments.segments {
            switch (s.intercept, s.coefficients) {
            case (nil, nil): continue
            case (let b?, let beta?):
                if beta.count != features.count { return "segment \"\(s.value)\" has \(beta.count) coefficients for \(features.count) features." }
                if !b.isFinite || !beta.allSatisfy(\.isFinite) { return "segment \"\(s.value)\" has a coefficient that is not a finite number." }
            default: return "segment \"\(s.value)\" has an intercept without coefficients, or coefficients without an intercept."
            }
        }
        if Set(segments.segments.map(\.value)).count != segments.segments.count { return "a segment value is listed twice." }
        return nil
    }
}

/// Finds a lead's segment from the bytes of its segment field. The
/// values are few, so they are compared byte for byte in turn.
struct SegmentLookup {
    /// The header index of the segment column.
    let field: Int
    /// Every segment's value, as UTF-8, in `SegmentModels.segments` order.
    private let values: [[UInt8]]
    /// Each segment's predictor (`ModelCard.predictors`): 1 + its index
    /// among the modelled segments, 0 (the global model) for a segment
    /// without a model of its own.
    let predictors: [Int]

    init(_ segments: SegmentModels, header: [String], file: String) throws(InputError) {
        guard let i = header.firstIndex(of: segments.column) else {
            throw InputError(
                .missingColumn, at: InputLocation(file: file, line: 1, column: segments.column),
                "the model has one model per \"\(segments.column)\" value, and the file has no such column.",
                remedy: CSVDialect.oneColumnHint(header: header) ?? "Export the file with the \"\(segments.column)\" column (names must match exactly).")
        }
        field = i
        values = segments.segments.map { Array($0.value.utf8) }
        var next = 0
        predictors = segments.segments.map { s in
            guard s.hasModel else { return 0 }
            next += 1
            return next
        }
    }

    /// The segment (index into `SegmentModels.segments`) of a lead whose
    /// segment field is `present` (trimmed; nil when missing), or nil for a
    /// missing value and a value not seen in training.
    func segment(of present: UnsafeBufferPointer<UInt8>?) -> Int? {
        guard let t = present, let base = t.baseAddress else { return nil }
        for (k, v) in values.enumerated() where v.count == t.count {
            if v.withUnsafeBufferPointer({ memcmp($0.baseAddress!, base, t.count) == 0 }) { return k }
        }
        return nil
    }
}

extension SegmentModels {
    /// One sentence for the training notices: the column, λ_s and how it
    /// was chosen, and the segments with and without a model.
    public var summary: String {
        let modelled = segments.filter(\.hasModel)
        let pooled = segments.filter { !$0.hasModel }
        func list(_ s: [Segment]) -> String {
            s.map { "\"\($0.value)\" (\(ModelNumber.grouped($0.rows)) \($0.rows == 1 ? "deal" : "deals"), \(ModelNumber.grouped($0.conversions)) won)" }.joined(separator: ", ")
        }
        var text = "Segment models by \"\(column)\": λ = \(ModelNumber.text(l2)) on the distance from the global model"
        if let deviances = selection.deviances, let global = selection.globalDeviance, let chosen = deviances.first(where: { $0.l2 == l2 }) {
            text += ", chosen by \(selection.folds ?? 0)-fold cross-validation (out-of-fold deviance \(ModelNumber.fixed(chosen.deviance, 1)), against \(ModelNumber.fixed(global, 1)) for the global model alone"
            text += global <= chosen.deviance ? ": the segments do not predict better than the global model, and their models stay close to it; train without \(OptionKey.segment.mention) unless they are needed)" : ")"
        } else {
            text += ", as given"
        }
        text += "."
        text += modelled.isEmpty ? " No segment has a model of its own." : " Own models: \(list(modelled))."
        if !pooled.isEmpty {
            text += " With fewer than \(minConversions) won or lost deals, scored with the global model: \(list(pooled))."
        }
        return text
    }
}

extension SegmentModels {
    /// The note of a scoring run: leads scored by each segment's model, and
    /// those scored by the global model because their segment has none, or
    /// their value was not seen in training, or is missing. `counts`: per
    /// segment, then unseen, then missing (`ScoreTally.segments`). nil when
    /// every lead had a segment model of its own.
    func scoringNote(counts: [Int]) -> String? {
        guard counts.count == segments.count + 2 else { return nil }
        let unseen = counts[segments.count], missing = counts[segments.count + 1]
        let pooled = segments.indices.filter { !segments[$0].hasModel && counts[$0] > 0 }
        let pooledLeads = pooled.reduce(0) { $0 + counts[$1] }
        guard unseen + missing + pooledLeads > 0 else { return nil }
        func leads(_ n: Int) -> String { "\(ModelNumber.grouped(n)) \(n == 1 ? "lead" : "leads")" }
        var parts: [String] = []
        if unseen > 0 { parts.append("\(leads(unseen)) with a \"\(column)\" value not seen in training") }
        if missing > 0 { parts.append("\(leads(missing)) without a \"\(column)\" value") }
        if pooledLeads > 0 {
            parts.append(
                "\(leads(pooledLeads)) in segments with too few training deals for a model of their own (\(pooled.map { "\"\(segments[$0].value)\" \(ModelNumber.grouped(counts[$0]))" }.joined(separator: ", ")))")
        }
        let modelled = segments.indices.filter { segments[$0].hasModel }
        let own = modelled.map { "\"\(segments[$0].value)\" \(ModelNumber.grouped(counts[$0]))" }.joined(separator: ", ")
        return "scored with the global model: " + parts.joined(separator: "; ") + "." + (own.isEmpty ? "" : " Scored with their segment's model: \(own).")
    }
}
