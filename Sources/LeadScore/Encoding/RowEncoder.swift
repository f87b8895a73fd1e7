/// Encodes a lead, the bytes of a CSV record, with a model's encoders: the
/// one row encoder of every road a lead takes at scoring time (`score`,
/// `evaluate`, validation, the points export), without making a `String`
/// per field.
///
/// Values are read with `FieldParser` (trimmed; missing markers; numbers,
/// booleans and ISO dates as `ValueParser` reads them in training),
/// categories are looked up in a `LevelTable` (by their bytes; the
/// `String` lookup of `CategoricalEncoder` where bytes cannot tell), and
/// the features are written by the column encoders' own `encode`, so a lead
/// gets the features it had in the training file. A days-since column
/// measured on another day than the one scored as of is aged where its
/// number is read, before any transform (`DaysSince.aged`). While the features are
/// written, the log-odds are summed with `LinearPredictor.add`, column by
/// column in feature order: a category adds its one active level. For a
/// model with fit and engagement groups, the same terms are also added, in
/// the same pass, to the part of their column's group (`groupParts`), each
/// part from +0: η itself is summed as for a model without groups.
///
/// A value that does not fit its column (a word in a numeric column), a
/// value whose standardised feature is not finite, and log-odds that
/// overflow are refused with the file, line, column and value.
///
/// A pair term (`PairEncoder`) is encoded after the columns, from the
/// values the row's two columns were read as (`value(column:)`,
/// `activeFeature(column:)`): the row is not read again. Its one active cell
/// adds its coefficient to the log-odds, and to the part of the pair's
/// group.
///
/// After each row, `state(column:)` tells whether the column's value was
/// present and, for a category, whether it was unseen in training (neither
/// a level of the model, nor pooled into "(other)", nor the reference;
/// scored as "(other)" or the reference level) or is shown as `[rare]` in
/// reasons (unseen, or pooled into "(other)"); `value(column:)` and
/// `activeFeature(column:)` give the value as the model read it, which
/// `leadscore drift` bins (`Drift`).
final class RowEncoder {
    /// Flags of one column's value in the last row encoded.
    struct State: OptionSet {
        let rawValue: UInt8
        static let present = State(rawValue: 1)
        static let unseen = State(rawValue: 2)
        static let rare = State(rawValue: 4)
    }

    /// The kind of each column, and its encoder in the array of that kind
    /// (indexed by column; other columns hold a placeholder). The encoders'
    /// names are dropped so that no step refers to heap storage.
    private enum Kind: UInt8 { case numeric, boolean, date, categorical }

    /// The model's encoders, in column order.
    let encoder: FeatureEncoder
    let fields: FieldParser
    let levels: LevelTable
    let columnCount: Int
    /// The file the records come from, for errors.
    let file: String
    private let kinds: UnsafeMutablePointer<Kind>
    private let numerics: UnsafeMutablePointer<NumericEncoder>
    /// Numeric columns: the days added to each value (`DaysSince.aged`),
    /// 0 for a column read as it is.
    private let numericAges: UnsafeMutablePointer<Int>
    /// Numeric columns: plain numbers, or amounts in a format and currency.
    private let numericReads: UnsafeMutablePointer<NumericRead>
    /// Date columns: the format their dates are read in.
    private let dateFormats: UnsafeMutablePointer<DateFormat>
    private let booleans: UnsafeMutablePointer<BooleanEncoder>
    /// Date columns: the as-of day used (the scoring options', else the
    /// encoder's own).
    private let dateAsOf: UnsafeMutablePointer<Int>
    private let dates: UnsafeMutablePointer<DateEncoder>
    private let featureCounts: UnsafeMutablePointer<Int>
    private let fieldIndex: UnsafeMutablePointer<Int>
    private let offsets: UnsafeMutablePointer<Int>
    private let states: UnsafeMutablePointer<State>
    /// Boolean columns: recent spellings and how `FieldParser.boolean`
    /// read them.
    private let booleanMemo: BooleanMemo
    private let markers: MissingMarkers
    /// Categorical columns: the active feature of the last row (-1 for
    /// none).
    private let active: UnsafeMutablePointer<Int>
    /// Numeric, date and boolean columns: the last row's value as read
    /// (`value(column:)`).
    private let values: UnsafeMutablePointer<Double>
    /// Categorical columns: level → feature index, for values the level
    /// table leaves to the `String` functions (see `LevelTable`).
    private let lookups: [[String: Int]]
    /// The linear predictor in use: its intercept and coefficients
    /// (feature order), one of `predictorCount` held in
    /// `coefficientSets` (`select(predictor:)`).
    private var intercept: Double
    private var coefficients: UnsafeMutablePointer<Double>
    /// The predictors' coefficients, one after another, and intercepts:
    /// the model's, then one per segment model (`ModelCard.predictors`).
    private let coefficientSets: UnsafeMutablePointer<Double>
    private let intercepts: [Double]
    /// The predictor the next rows are encoded with.
    private(set) var predictorIndex = 0
    private let featureCount: Int
    /// With groups: each column's group (0 fit, 1 engagement), and the two
    /// parts of the last row's log-odds.
    let grouped: Bool
    private let groupOf: UnsafeMutablePointer<Int>
    private let parts: UnsafeMutablePointer<Double>
    /// Pair terms bound to the columns.
    private let pairs: [PairBinding]
    /// The number of contributions: the columns, then the pairs.
    let termCount: Int

    /// Binds the model's columns to `header` (whose names are unique, as
    /// `CSVReader` checks): every model column, and every one of `required`
    /// (the id columns, when scoring), must be present, all absent ones
    /// named in one error; extra columns are ignored. `asOfDays` replaces
    /// the date columns' as-of day (days since 1970-01-01) when given.
    /// `ages` gives the days to add to the values of numeric columns
    /// (`DaysSince.shifts`); columns not in it are read as they are.
    /// `groups`, one per encoder column and then one per pair term
    /// (`ModelCard.columnGroups`), splits the log-odds into fit and
    /// engagement parts.
    init(
        encoder: FeatureEncoder, predictors: [LinearPredictor], parser: ValueParser, header: [String], file: String, asOfDays: Int?,
        ages: [String: Int] = [:], required: [String] = [], groups: [FeatureGroup]? = nil
    ) throws(InputError) {
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
        var absent: [String] = []
        for name in required + encoder.columns.map(\.column) where index[name] == nil && !absent.contains(name) { absent.append(name) }
        if !absent.isEmpty {
            let ids = absent.filter(required.contains)
            throw InputError(
                .missingColumn, at: InputLocation(file: file, line: 1),
                "the model needs \(absent.count == 1 ? "a column" : "\(absent.count) columns") that the file does not have: \(absent.map { "\"\($0)\"" }.joined(separator: ", "))."
                    + (ids.isEmpty ? "" : " \(ids.map { "\"\($0)\"" }.joined(separator: ", ")) \(ids.count == 1 ? "is the model's id column" : "are the model's id columns"), which the scores are written with."),
                remedy: CSVDialect.oneColumnHint(header: header)
                    ?? "Export the file with these columns (names must match exactly, including case and spaces).")
        }
        precondition(!predictors.isEmpty && predictors.allSatisfy { $0.coefficients.count == encoder.featureCount }, "RowEncoder: coefficients do not match the encoders")
        precondition(groups.map { $0.count == encoder.columns.count + encoder.pairs.count } ?? true, "RowEncoder: groups do not match the encoders")
        self.encoder = encoder
        self.file = file
        fields = FieldParser(parser)
        markers = MissingMarkers(fields)
        featureCount = encoder.featureCount
        coefficientSets = .allocate(capacity: max(featureCount * predictors.count, 1))
        for (k, predictor) in predictors.enumerated() {
            (coefficientSets + k * featureCount).initialize(from: predictor.coefficients, count: featureCount)
        }
        intercepts = predictors.map(\.intercept)
        intercept = intercepts[0]
        coefficients = coefficientSets
        let columns = encoder.columns
        lookups = columns.map { if case .categorical(let e) = $0 { e.makeLookup() } else { [:] } }
        levels = LevelTable(columns: columns)
        columnCount = columns.count
        let n = max(columnCount, 1)
        kinds = .allocate(capacity: n)
        numerics = .allocate(capacity: n)
        numericAges = .allocate(capacity: n)
        numericReads = .allocate(capacity: n)
        dateFormats = .allocate(capacity: n)
        booleans = .allocate(capacity: n)
        dateAsOf = .allocate(capacity: n)
        dates = .allocate(capacity: n)
        featureCounts = .allocate(capacity: n)
        fieldIndex = .allocate(capacity: n)
        offsets = .allocate(capacity: n)
        states = .allocate(capacity: n)
        active = .allocate(capacity: n)
        active.initialize(repeating: -1, count: n)
        values = .allocate(capacity: n)
        values.initialize(repeating: .nan, count: n)
        booleanMemo = BooleanMemo(columns: columnCount)
        grouped = groups != nil
        pairs = encoder.pairBindings
        termCount = columnCount + pairs.count
        groupOf = .allocate(capacity: max(termCount, 1))
        groupOf.initialize(repeating: 0, count: max(termCount, 1))
        for (k, g) in (groups ?? []).enumerated() { groupOf[k] = g == .fit ? 0 : 1 }
        parts = .allocate(capacity: 2)
        parts.initialize(repeating: 0, count: 2)
        let blankNumeric = NumericEncoder(column: "", median: 0, log1p: false, mean: 0, standardDeviation: 1, missingIndicator: false)
        for (k, (column, offset)) in zip(columns, encoder.offsets).enumerated() {
            var numeric = blankNumeric
            var boolean = BooleanEncoder(column: "", missingIndicator: false)
            var date = DateEncoder(column: "", asOfDays: 0, numeric: blankNumeric)
            let kind: Kind
            switch column {
            case .numeric(let e):
                kind = .numeric
                numeric = e
                numeric.column = ""
                numeric.currency = nil
            case .boolean(let e):
                kind = .boolean
                boolean = e
                boolean.column = ""
            case .date(let e):
                kind = .date
                date = e
                date.column = ""
                date.numeric.column = ""
            case .categorical:
                kind = .categorical
            }
            (kinds + k).initialize(to: kind)
            (numerics + k).initialize(to: numeric)
            (numericAges + k).initialize(to: kind == .numeric ? ages[column.column] ?? 0 : 0)
            (numericReads + k).initialize(to: NumericRead(column))
            (dateFormats + k).initialize(to: date.format)
            (booleans + k).initialize(to: boolean)
            (dates + k).initialize(to: date)
            (dateAsOf + k).initialize(to: asOfDays ?? date.asOfDays)
            (featureCounts + k).initialize(to: column.featureCount)
            (fieldIndex + k).initialize(to: index[column.column]!)
            (offsets + k).initialize(to: offset)
            (states + k).initialize(to: [])
        }
    }

    deinit {
        numerics.deinitialize(count: columnCount)
        booleans.deinitialize(count: columnCount)
        dates.deinitialize(count: columnCount)
        kinds.deallocate()
        numerics.deallocate()
        numericAges.deallocate()
        numericReads.deallocate()
        dateFormats.deallocate()
        booleans.deallocate()
        dateAsOf.deallocate()
        dates.deallocate()
        featureCounts.deallocate()
        fieldIndex.deallocate()
        offsets.deallocate()
        states.deallocate()
        active.deallocate()
        values.deallocate()
        coefficientSets.deallocate()
        groupOf.deallocate()
        parts.deallocate()
    }

    /// The intercept of the predictor in use (`select(predictor:)`).
    var currentIntercept: Double { intercept }

    /// The number of predictors the encoder holds.
    var predictorCount: Int { intercepts.count }

    /// Encodes the next rows with predictor `k` (0: the model's, then the
    /// segment models', `ModelCard.predictors`): their log-odds, parts and
    /// contributions are then its.
    @inline(__always)
    func select(predictor k: Int) {
        predictorIndex = k
        intercept = intercepts[k]
        coefficients = coefficientSets + k * featureCount
    }

    /// The fit and engagement parts of the last row's log-odds (F and E,
    /// `FitEngagement.swift`); meaningful only for an encoder made with
    /// groups.
    var groupParts: (fit: Double, engagement: Double) { (parts[0], parts[1]) }

    /// The state of column `k`'s value in the last row encoded.
    @inline(__always)
    func state(column k: Int) -> State { states[k] }

    /// Column `k`'s value in the last row encoded, as the model read it:
    /// a numeric column's number (aged, for a days-since column scored as
    /// of another day), a date column's days before the as-of day, a
    /// boolean's 1 (true) or 0 (false); NaN when missing. NaN for a
    /// categorical column (`activeFeature`).
    @inline(__always)
    func value(column k: Int) -> Double { values[k] }

    /// Categorical column `k`'s active feature in the last row encoded,
    /// from its first feature: the index of its level in the encoder's
    /// `levels`, or -1 for the reference level.
    @inline(__always)
    func activeFeature(column k: Int) -> Int { active[k] }

    /// The header index of column `k`'s field.
    @inline(__always)
    func field(column k: Int) -> Int { fieldIndex[k] }

    /// The days added to column `k`'s numbers (`DaysSince.aged`): 0 unless
    /// it is a days-since column scored as of another day than it was
    /// measured on.
    @inline(__always)
    func age(column k: Int) -> Int { numericAges[k] }

    /// Why a column's value was refused.
    enum Refusal { case none, notNumber, notBoolean, notDate, notFinite, otherCurrency }

    /// How a numeric column's values are read: plain numbers
    /// (`FieldParser.number`), or amounts in a format
    /// (`FieldParser.amount`) whose currency, when written, must be the
    /// training values' (`Currency.none`: any).
    enum NumericRead {
        case plain
        case amount(AmountFormat, Currency)

        init(_ column: ColumnEncoder) {
            guard case .numeric(let e) = column, let format = e.amountFormat else {
                self = .plain
                return
            }
            self = .amount(format, e.currency.map(Currency.init) ?? .none)
        }

        /// The value of `t`, or why it is refused.
        @inline(__always)
        func read(_ t: UnsafeBufferPointer<UInt8>) -> (Double?, Refusal) {
            switch self {
            case .plain:
                guard let v = FieldParser.number(t) else { return (nil, .notNumber) }
                return (v, .none)
            case .amount(let format, let currency):
                guard let a = FieldParser.amount(t, format: format) else { return (nil, .notNumber) }
                guard a.currency == .none || a.currency == currency else { return (nil, .otherCurrency) }
                return (a.value, .none)
            }
        }
    }

    /// Writes the features of `reader`'s current record into `out`
    /// (`featureCount` values) and returns its log-odds
    /// (`LinearPredictor`). Throws when a value does not fit its column,
    /// and when the log-odds overflow.
    func encode(_ reader: CSVReader, into out: UnsafeMutablePointer<Double>) throws(InputError) -> Double {
        var eta = intercept
        if grouped { parts.update(repeating: 0, count: 2) }
        for k in 0..<columnCount {
            let refusal = reader.withFieldBytes(fieldIndex[k]) { raw in
                encodeColumn(k, raw: raw, into: out + offsets[k], eta: &eta)
            }
            if refusal != .none { throw error(refusal, column: k, reader: reader) }
        }
        for (t, p) in pairs.enumerated() {
            let dst = out + p.offset
            for j in 0..<p.width { dst[j] = 0 }
            let a = activeCell(p)
            if a >= 0 {
                dst[a] = 1
                LinearPredictor.add(coefficients[p.offset + a], 1, to: &eta)
                if grouped { LinearPredictor.add(coefficients[p.offset + a], 1, to: &parts[groupOf[columnCount + t]]) }
            }
        }
        if !eta.isFinite || (grouped && !(parts[0].isFinite && parts[1].isFinite)) {
            // Extreme values in two columns can overflow to +∞ and −∞.
            let contributions = UnsafeMutablePointer<Double>.allocate(capacity: max(termCount, 1))
            defer { contributions.deallocate() }
            self.contributions(features: UnsafeBufferPointer(start: out, count: featureCount), into: contributions)
            let k = (0..<columnCount).first { !contributions[$0].isFinite } ?? 0
            throw InputError(
                .invalidValue, at: InputLocation(file: file, line: reader.recordLine, column: encoder.columns[k].column, value: reader.field(fieldIndex[k])),
                "the lead's log-odds overflow: this value is far outside anything seen in training.",
                remedy: "Fix the value, or mark it as missing with \(OptionKey.missingValues.mention).")
        }
        return eta
    }

    @inline(__always)
    private func encodeColumn(_ k: Int, raw: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<Double>, eta: inout Double) -> Refusal {
        let value = markers.present(raw)
        var state: State = value == nil ? [] : .present
        switch kinds[k] {
        case .numeric:
            var x: Double? = nil
            if let value {
                let (v, refusal) = numericReads[k].read(value)
                guard let v else { return refusal }
                x = DaysSince.aged(v, by: numericAges[k])
            }
            values[k] = x ?? .nan
            numerics[k].encode(x, into: dst)
        case .boolean:
            var b: Bool? = nil
            if let value {
                guard let v = booleanMemo.boolean(column: k, value) else { return .notBoolean }
                b = v
            }
            values[k] = b.map { $0 ? 1 : 0 } ?? .nan
            booleans[k].encode(b, into: dst)
        case .date:
            var d: Double? = nil
            if let value {
                guard let days = FieldParser.date(value, format: dateFormats[k]) else { return .notDate }
                d = dates[k].daysBefore(days, asOf: dateAsOf[k])
            }
            values[k] = d ?? .nan
            dates[k].numeric.encode(d, into: dst)
        case .categorical:
            let m: LevelTable.Match
            if let value {
                m = levels.match(column: k, value) ?? stringMatch(column: k, String(decoding: value, as: UTF8.self))
                if m.unseen { state.insert(.unseen) }
                if m.rare { state.insert(.rare) }
            } else {
                m = levels.missing(column: k)
            }
            for j in 0..<featureCounts[k] { dst[j] = 0 }
            let a = Int(m.active)
            active[k] = a
            if a >= 0 {
                dst[a] = 1
                LinearPredictor.add(coefficients[offsets[k] + a], 1, to: &eta)
                if grouped { LinearPredictor.add(coefficients[offsets[k] + a], 1, to: &parts[groupOf[k]]) }
            }
            states[k] = state
            return .none
        }
        states[k] = state
        let beta = coefficients + offsets[k]
        for j in 0..<featureCounts[k] { LinearPredictor.add(beta[j], dst[j], to: &eta) }
        if grouped {
            let g = groupOf[k]
            for j in 0..<featureCounts[k] { LinearPredictor.add(beta[j], dst[j], to: &parts[g]) }
        }
        // A value so large that standardising it overflows (1e308) would
        // turn the score into NaN.
        return dst[0].isFinite || value == nil ? .none : .notFinite
    }

    /// The error for column `k`'s value in `reader`'s current record.
    private func error(_ refusal: Refusal, column k: Int, reader: CSVReader) -> InputError {
        let column = encoder.columns[k].column
        let value = reader.withFieldBytes(fieldIndex[k]) { raw in fields.present(raw).map { String(decoding: $0, as: UTF8.self) } } ?? ""
        return RowEncoder.error(
            refusal, at: InputLocation(file: file, line: reader.recordLine, column: column, value: value), value: value, encoder: encoder.columns[k])
    }

    /// The error for a present `value` of the column `encoder` encodes,
    /// refused for `refusal` at `location`.
    static func error(_ refusal: Refusal, at location: InputLocation, value: String, encoder: ColumnEncoder) -> InputError {
        let expected: String
        switch refusal {
        case .notFinite, .none:
            return InputError(
                .invalidValue, at: location, "this value is too large for the model: its standardised value is not a finite number.",
                remedy: "Fix the value, or mark it as missing with \(OptionKey.missingValues.mention).")
        case .otherCurrency:
            let currency = ValueParser.amount(value, format: .decimalPoint)?.currency ?? ValueParser.amount(value, format: .decimalComma)?.currency
            let trained: String
            if case .numeric(let e) = encoder, let c = e.currency { trained = c } else { trained = "another currency" }
            return InputError(
                .invalidValue, at: location, "this amount is in \(currency?.text ?? "another currency"), and the model was trained on amounts in \(trained).",
                remedy: "Export the amounts in \(trained) (a converted amount field), or mark the value as missing with \(OptionKey.missingValues.mention).")
        case .notNumber:
            if case .numeric(let e) = encoder, let format = e.amountFormat {
                return InputError(
                    .invalidValue, at: location, "the model reads this column as amounts written \(format.name), as it was trained on, but this value is no such amount.",
                    remedy: "Fix the value, or if it means \"no value\" pass it with \(OptionKey.missingValues.mention) so it is treated as missing.")
            }
            if let kind = NumberLookalike(value) {
                return InputError(
                    .invalidValue, at: location, "the model reads this column as a number, but this value is not one.",
                    remedy: kind.explanation(value)
                        + " Clean the column in the export (plain digits); to use the values as written, train again with the column declared categorical (\(OptionKey.types.mention)) or left out (\(OptionKey.exclude.mention)).")
            }
            expected = "a number"
        case .notBoolean: expected = "Yes/No, TRUE/FALSE, Y/N or 1/0"
        case .notDate:
            if case .date(let e) = encoder, e.format != .iso {
                return InputError(
                    .invalidValue, at: location,
                    "the model reads this column as dates written \(e.format.name), as it was trained on, but this value is not one, or names no day or time.",
                    remedy: "Fix the value, or if it means \"no value\" pass it with \(OptionKey.missingValues.mention) so it is treated as missing.")
            }
            if DateLookalike.matches(value) {
                return InputError(
                    .invalidValue, at: location,
                    "the model reads this column as an ISO 8601 date (YYYY-MM-DD), but this value is a date in another format, which is not read: day and month cannot be told apart.",
                    remedy: "Convert the column to YYYY-MM-DD in the export.")
            }
            expected = "an ISO 8601 date (YYYY-MM-DD, optionally with a valid time HH:MM[:SS])"
        }
        return InputError(
            .invalidValue, at: location, "the model reads this column as \(expected), but this value is not.",
            remedy: "Fix the value, or if it means \"no value\" pass it with \(OptionKey.missingValues.mention) so it is treated as missing.")
    }

    /// The feature of pair `p`'s active cell in the last row (from the
    /// pair's first), −1 for a cell of row or column 0.
    @inline(__always)
    private func activeCell(_ p: PairBinding) -> Int {
        p.feature(cell: p.cell((values[p.first], active[p.first]), (values[p.second], active[p.second])))
    }

    /// Pair term `t`'s two columns (indices of `encoder.columns`).
    func pairColumns(_ t: Int) -> (first: Int, second: Int) { (pairs[t].first, pairs[t].second) }

    /// Each column's contribution (`LinearPredictor`: Σ β_j x_j over the
    /// column's features, from +0) for the last row, whose features are
    /// `x`, into `out`, then each pair term's (the coefficient of its active
    /// cell, or +0): `termCount` values.
    func contributions(features x: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) {
        for k in 0..<columnCount {
            let start = offsets[k]
            var s = 0.0
            if kinds[k] == .categorical {
                let a = active[k]
                if a >= 0 { LinearPredictor.add(coefficients[start + a], x[start + a], to: &s) }
            } else {
                for j in start..<(start + featureCounts[k]) { LinearPredictor.add(coefficients[j], x[j], to: &s) }
            }
            out[k] = s
        }
        for (t, p) in pairs.enumerated() {
            var s = 0.0
            let a = activeCell(p)
            if a >= 0 { LinearPredictor.add(coefficients[p.offset + a], x[p.offset + a], to: &s) }
            out[columnCount + t] = s
        }
    }

    /// The `String` functions' answer for a present categorical value
    /// (`CategoricalEncoder.activeIndex`; unseen: neither a level of the
    /// model, nor pooled, nor its reference).
    private func stringMatch(column k: Int, _ value: String) -> LevelTable.Match {
        guard case .categorical(let e) = encoder.columns[k] else { return LevelTable.Match(active: -1, unseen: false, rare: false) }
        let unseen = lookups[k][value] == nil && value != e.reference && !e.pooled.contains(value)
        let active = e.activeIndex(value, lookup: lookups[k])
        return LevelTable.Match(active: Int32(active ?? -1), unseen: unseen, rare: unseen || e.pooled.contains(value))
    }
}

/// `FieldParser.boolean` remembered for the last few spellings of each
/// boolean column (a column uses two or three: `Yes`/`No`, `TRUE`/`FALSE`),
/// keyed by the bytes of values of up to 7 bytes. The function is pure, so
/// a remembered answer is the answer.
final class BooleanMemo {
    private static let ways = 4
    /// Per column and way: the key (bytes, then the length in the top
    /// byte; 0 when empty) and the answer (0 false, 1 true, 2 not a boolean).
    private let keys: UnsafeMutablePointer<UInt64>
    private let answers: UnsafeMutablePointer<UInt8>
    private let count: Int

    init(columns: Int) {
        count = max(columns, 1) * BooleanMemo.ways
        keys = .allocate(capacity: count)
        keys.initialize(repeating: 0, count: count)
        answers = .allocate(capacity: count)
        answers.initialize(repeating: 2, count: count)
    }

    deinit {
        keys.deallocate()
        answers.deallocate()
    }

    @inline(__always)
    func boolean(column k: Int, _ t: UnsafeBufferPointer<UInt8>) -> Bool? {
        let n = t.count
        guard n > 0, n <= 7 else { return FieldParser.boolean(t) }
        var key = UInt64(n) << 56
        for i in 0..<n { key |= UInt64(t[i]) << UInt64(8 * i) }
        let base = k * BooleanMemo.ways
        for w in base..<(base + BooleanMemo.ways) where keys[w] == key {
            let a = answers[w]
            return a == 2 ? nil : a == 1
        }
        let answer = FieldParser.boolean(t)
        // Replace the oldest: shift the ways down and put the new one first.
        for w in stride(from: base + BooleanMemo.ways - 1, to: base, by: -1) {
            keys[w] = keys[w - 1]
            answers[w] = answers[w - 1]
        }
        keys[base] = key
        answers[base] = answer.map { $0 ? 1 : 0 } ?? 2
        return answer
    }
}

/// `FieldParser.present` with each missing marker of up to 8 bytes held as
/// one 64-bit word, so that checking a short value is a few word compares
/// instead of a memcmp per marker of its length. Longer values go to
/// `FieldParser`. Same answers: trimmed value, nil when empty or a marker.
struct MissingMarkers {
    private let fields: FieldParser
    /// The markers of 1 to 8 bytes: their bytes (little-endian, zero
    /// padded) and lengths.
    private let words: [UInt64]
    private let lengths: [Int]

    init(_ fields: FieldParser) {
        self.fields = fields
        var words: [UInt64] = [], lengths: [Int] = []
        for m in fields.markers where m.count <= 8 {
            words.append(m.withUnsafeBufferPointer { MissingMarkers.word($0) })
            lengths.append(m.count)
        }
        self.words = words
        self.lengths = lengths
    }

    @inline(__always)
    private static func word(_ t: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var w: UInt64 = 0
        for i in 0..<t.count { w |= UInt64(t[i]) << UInt64(8 * i) }
        return w
    }

    @inline(__always)
    func present(_ field: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        let t = FieldParser.trim(field)
        let n = t.count
        if n == 0 { return nil }
        if fields.markerLengths & (n < 64 ? 1 << UInt64(n) : 1 << 63) == 0 { return t }
        if n > 8 { return fields.isMarker(t) ? nil : t }
        let w = MissingMarkers.word(t)
        return words.withUnsafeBufferPointer { words in
            lengths.withUnsafeBufferPointer { lengths in
                for i in 0..<words.count where words[i] == w && lengths[i] == n { return nil }
                return t
            }
        }
    }
}
