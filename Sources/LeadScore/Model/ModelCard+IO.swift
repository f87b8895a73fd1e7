import Foundation

extension ModelCard {
    /// The model as JSON (`JSONOutput`): the same model always gives the
    /// same bytes.
    /// The card's `checksum` is set to its content's (`contentChecksum`).
    public func jsonData() throws(InputError) -> Data {
        var card = self
        card.checksum = try contentChecksum()
        // Non-finite numbers are refused: a card holds none.
        return try JSONOutput.data(card, nonFiniteAsStrings: false, what: "the model")
    }

    /// Writes the model atomically (temporary file, then rename).
    public func write(to path: String, inputs: [String] = []) throws(InputError) {
        let out = try AtomicOutput(path: path, inputs: inputs)
        out.write(try jsonData())
        try out.commit()
    }

    /// Reads a model file, refusing a newer format version, a damaged file,
    /// and a file changed after training (its checksum does not match)
    /// unless `allowEdited`; `integrity` says what was found.
    public static func load(path: String, allowEdited: Bool = false) throws(InputError) -> ModelCard {
        // Pipes (`<(git show …)`) read too.
        let data = try InputFile.read(path: path, what: "the model file", remedy: "Check the model file's path.")
        return try decode(data, file: path, allowEdited: allowEdited)
    }

    static func decode(_ data: Data, file: String, allowEdited: Bool = false) throws(InputError) -> ModelCard {
        struct Header: Decodable { var format: String?; var formatVersion: Int? }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw InputError(
                .badModel, at: InputLocation(file: file),
                "the model file is not valid JSON (it may be truncated or damaged).",
                remedy: "Retrain the model with `leadscore train`, or restore the file from version control.")
        }
        guard header.format == formatName, let version = header.formatVersion, version >= 1 else {
            throw InputError(
                .badModel, at: InputLocation(file: file),
                "this is not a LeadScore model file (no \"format\": \"\(formatName)\" with a format version from 1).",
                remedy: "Pass a model written by `leadscore train`.")
        }
        guard version <= formatVersion else {
            throw InputError(
                .unsupportedModelVersion, at: InputLocation(file: file),
                "the model has format version \(version), newer than this LeadScore reads (\(formatVersion)).",
                remedy: "Upgrade LeadScore to a version that reads format \(version).")
        }
        var card: ModelCard
        do { card = try JSONDecoder().decode(ModelCard.self, from: data) } catch {
            throw InputError(
                .badModel, at: InputLocation(file: file),
                "the model file is damaged: \(JSONErrorText.describe(error)).",
                remedy: "Retrain the model with `leadscore train`, or restore the file from version control.")
        }
        guard card.features.count == card.schema.encoders.featureCount,
            zip(card.features.map(\.name), card.schema.encoders.featureNames).allSatisfy({ $0 == $1 }),
            card.features.allSatisfy({ $0.coefficient.isFinite }), card.intercept.coefficient.isFinite
        else {
            throw InputError(
                .badModel, at: InputLocation(file: file),
                "the model file is inconsistent: its features do not match its encoders.",
                remedy: "Retrain the model with `leadscore train`; do not edit features by hand.")
        }
        if let problem = card.pairsProblem {
            throw InputError(
                .badModel, at: InputLocation(file: file),
                "the model file is inconsistent: \(problem)",
                remedy: "Retrain the model with `leadscore train`; do not edit its pair terms by hand.")
        }
        if let problem = card.segmentsProblem {
            throw InputError(
                .badModel, at: InputLocation(file: file),
                "the model file is inconsistent: \(problem)",
                remedy: "Retrain the model with `leadscore train`; do not edit its segment models by hand.")
        }
        if let problem = card.groupsProblem {
            throw InputError(
                .badModel, at: InputLocation(file: file),
                "the model file is inconsistent: \(problem)",
                remedy: "Retrain the model with `leadscore train`; do not edit its groups or sub-scores by hand.")
        }
        for (_, e) in card.schema.numericEncoders {
            if !(e.mean.isFinite && e.median.isFinite && e.standardDeviation.isFinite && e.standardDeviation > 0) {
                throw InputError(
                    .badModel, at: InputLocation(file: file, column: e.column),
                    "the model file is damaged: the encoder of this column has a non-finite mean or median, or a standard deviation that is not positive.",
                    remedy: "Retrain the model with `leadscore train`; do not edit encoders by hand.")
            }
            if let problem = e.spline?.problem {
                throw InputError(
                    .badModel, at: InputLocation(file: file, column: e.column),
                    "the model file is damaged: the spline of this column \(problem).",
                    remedy: "Retrain the model with `leadscore train`; do not edit encoders by hand.")
            }
        }
        /// A field newer than the format the card says it is: `carries` is
        /// what the card holds, `otherwise` what a reader of the stated
        /// format would do with it. `stated` is the version compared (every
        /// card from format 1 on is read by the readers of format 2).
        func requireFormat(
            _ present: Bool, _ version: Int, stated: Int = card.formatVersion, carries: String, otherwise: String,
            remedy: String = "Retrain the model with `leadscore train`, or restore the file from version control."
        ) throws(InputError) {
            guard present, stated < version else { return }
            throw InputError(
                .badModel, at: InputLocation(file: file),
                "the model file says it is format \(card.formatVersion) but \(carries), which only format \(version) cards have: a reader of format \(card.formatVersion) would \(otherwise).",
                remedy: remedy)
        }
        try requireFormat(card.schema.usesSplines, splinesFormatVersion, carries: "carries a spline (\"spline\" on an encoder)", otherwise: "encode the column as a straight line")
        try requireFormat(
            card.schema.usesPairCellRows, pairCellRowsFormatVersion,
            carries: "leaves rare cells of a pair term without a feature (\"minimumCellRows\" on a pair)", otherwise: "give every cell a feature and misplace the coefficients")
        try requireFormat(
            card.schema.usesMonotone, monotoneFormatVersion, carries: "holds a column monotone (\"monotone\" on an encoder or its spline)",
            otherwise: "encode the column otherwise")
        try requireFormat(
            card.schema.measuredOn != nil, measuredOnFormatVersion, stated: max(card.formatVersion, checksumFormatVersion),
            carries: "carries measurement dates (\"measuredOn\" in its schema)", otherwise: "score it without them")
        try requireFormat(
            card.calibration != nil, calibrationFormatVersion, carries: "carries a recalibration (\"calibration\")", otherwise: "score it without it",
            remedy: "Recalibrate the model again with `leadscore recalibrate`, or restore the file from version control.")
        try requireFormat(
            card.schema.usesExportFormats, exportFormatsFormatVersion,
            carries: "reads a column in a format of a CRM export (a \"dateFormat\", \"amountFormat\" or \"currency\" on an encoder, or the outcome's \"closedColumn\")",
            otherwise: "read the column otherwise")
        for (column, date) in (card.schema.measuredOn ?? [:]).sorted(by: { $0.key < $1.key }) {
            let numeric = card.schema.encoders.columns.contains { $0.kind == .numeric && $0.column == column }
            guard numeric, ValueParser.isoDate(date) != nil else {
                throw InputError(
                    .badModel, at: InputLocation(file: file, column: column, value: date),
                    "the model file is damaged: its measurement dates (\"measuredOn\" in its schema) must name numeric columns of the model, each with an ISO 8601 date (YYYY-MM-DD).",
                    remedy: "Retrain the model with `leadscore train`; do not edit the schema by hand.")
            }
        }
        // Last: a damaged card is reported as damaged, not as edited.
        try card.verifyIntegrity(data: data, file: file, allowEdited: allowEdited)
        return card
    }

    /// What is wrong with the card's pair terms, or nil: each is valid
    /// (`PairEncoder.problem`), and the card is of a version that has them.
    var pairsProblem: String? {
        let pairs = schema.encoders.pairs
        guard !pairs.isEmpty else { return nil }
        guard formatVersion >= ModelCard.pairsFormatVersion else {
            return "it says it is format \(formatVersion) but has pair terms, which only format \(ModelCard.pairsFormatVersion) cards have."
        }
        return pairs.lazy.compactMap { $0.problem(columns: self.schema.encoders.columns) }.first
    }

    /// What is wrong with the card's fit and engagement groups, or nil:
    /// either every feature has a group and the card has `subScores`, or
    /// neither; the features of one column share a group; the sub-score
    /// means are finite and the grid's cut-offs valid; and the format
    /// version is one that has groups.
    var groupsProblem: String? {
        let grouped = features.filter { $0.group != nil }.count
        if grouped == 0 && subScores == nil { return nil }
        guard grouped == features.count, let scale = subScores else {
            return "\(grouped) of its \(features.count) features have a fit or engagement group and it \(subScores == nil ? "has no" : "has") sub-score scale; a model has groups for every feature, with a scale, or for none."
        }
        guard formatVersion >= ModelCard.groupsFormatVersion else {
            return "it says it is format \(formatVersion) but has fit and engagement groups, which only format \(ModelCard.groupsFormatVersion) cards have."
        }
        let offsets = schema.encoders.offsets
        for (k, column) in schema.encoders.columns.enumerated() where column.featureCount > 1 {
            let groups = Set(features[offsets[k]..<(offsets[k] + column.featureCount)].map(\.group))
            if groups.count > 1 { return "the features of \"\(column.column)\" are in different groups." }
        }
        for (pair, offset) in zip(schema.encoders.pairs, schema.encoders.pairOffsets) where pair.featureCount > 1 {
            let groups = Set(features[offset..<(offset + pair.featureCount)].map(\.group))
            if groups.count > 1 { return "the features of the pair \"\(pair.name)\" are in different groups." }
        }
        guard scale.meanFit.isFinite, scale.meanEngagement.isFinite else { return "a sub-score mean is not a finite number." }
        return scale.grid.problem.map { "its grid cut-offs: " + $0 }
    }
}
