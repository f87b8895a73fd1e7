/// `RowEncoder.encode` on the bytes of the current CSV record, without
/// making a `String` per field: the scoring hot path.
///
/// Values are read with `FieldParser` (the byte-level twin of
/// `ValueParser`), categories are looked up in a `LevelTable`, and the
/// features are written by the same per-column `encode` functions as
/// `RowEncoder` uses, so the features are the same doubles. When a value
/// does not parse, or gives a feature that is not finite, `encode` returns
/// false and the caller encodes the row again with `RowEncoder`, which
/// throws the usual error (file, line, column, value, remedy).
///
/// `encode` also sums the log-odds η = intercept + Σ β_j x_j, in feature
/// order as `ModelScorer` does, but without the terms of a category's
/// inactive levels (x_j = 0). With finite coefficients each such term is
/// ±0, and adding ±0 to a partial sum leaves it unchanged unless the sum
/// is itself zero, when only the sign of the zero can differ: so the sum
/// is the full sum whenever it is not zero (`ModelScorer` sums in full
/// otherwise). `contributions` skips the same terms; a column's sum starts
/// from +0, which adding ±0 never turns into −0, so it is always exact.
///
/// After each row, `state(column:)` tells whether the column's value was
/// present and, for a category, whether it was unseen in training or
/// shown as `[rare]` in reasons (the answers of `RowEncoder.isUnseen` and
/// `CategoricalEncoder.pooled`).
final class ByteRowEncoder {
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

    let row: RowEncoder
    let fields: FieldParser
    let levels: LevelTable
    let columnCount: Int
    private let kinds: UnsafeMutablePointer<Kind>
    private let numerics: UnsafeMutablePointer<NumericEncoder>
    private let booleans: UnsafeMutablePointer<BooleanEncoder>
    /// Date columns: the as-of day used (`RowEncoder.asOfDays`, else the
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
    /// none), valid when `lastRowSparse`.
    private let active: UnsafeMutablePointer<Int>
    private var lastRowSparse = false
    /// The model's coefficients, and whether all are finite (else every
    /// sum is taken in full).
    private let coefficients: UnsafeMutablePointer<Double>
    private let featureCount: Int
    let sparseSums: Bool

    /// `coefficients` are the model's, in feature order.
    init(_ row: RowEncoder, coefficients: [Double]) {
        self.row = row
        fields = FieldParser(row.parser)
        markers = MissingMarkers(fields)
        featureCount = coefficients.count
        self.coefficients = .allocate(capacity: max(featureCount, 1))
        self.coefficients.initialize(from: coefficients, count: featureCount)
        sparseSums = coefficients.allSatisfy(\.isFinite)
        let columns = row.encoder.columns
        levels = LevelTable(columns: columns)
        columnCount = columns.count
        let n = max(columnCount, 1)
        kinds = .allocate(capacity: n)
        numerics = .allocate(capacity: n)
        booleans = .allocate(capacity: n)
        dateAsOf = .allocate(capacity: n)
        dates = .allocate(capacity: n)
        featureCounts = .allocate(capacity: n)
        fieldIndex = .allocate(capacity: n)
        offsets = .allocate(capacity: n)
        states = .allocate(capacity: n)
        active = .allocate(capacity: n)
        active.initialize(repeating: -1, count: n)
        booleanMemo = BooleanMemo(columns: columnCount)
        let blankNumeric = NumericEncoder(column: "", median: 0, log1p: false, mean: 0, standardDeviation: 1, missingIndicator: false)
        for (k, column) in columns.enumerated() {
            var numeric = blankNumeric
            var boolean = BooleanEncoder(column: "", missingIndicator: false)
            var date = DateEncoder(column: "", asOfDays: 0, numeric: blankNumeric)
            let kind: Kind
            switch column {
            case .numeric(let e):
                kind = .numeric
                numeric = e
                numeric.column = ""
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
            (booleans + k).initialize(to: boolean)
            (dates + k).initialize(to: date)
            (dateAsOf + k).initialize(to: row.asOfDays ?? date.asOfDays)
            (featureCounts + k).initialize(to: column.featureCount)
            (fieldIndex + k).initialize(to: row.fieldIndex[k])
            (offsets + k).initialize(to: row.offsets[k])
            (states + k).initialize(to: [])
        }
    }

    deinit {
        numerics.deinitialize(count: columnCount)
        booleans.deinitialize(count: columnCount)
        dates.deinitialize(count: columnCount)
        kinds.deallocate()
        numerics.deallocate()
        booleans.deallocate()
        dateAsOf.deallocate()
        dates.deallocate()
        featureCounts.deallocate()
        fieldIndex.deallocate()
        offsets.deallocate()
        states.deallocate()
        active.deallocate()
        coefficients.deallocate()
    }

    /// The state of column `k`'s value in the last row encoded.
    @inline(__always)
    func state(column k: Int) -> State { states[k] }

    /// The header index of column `k`'s field.
    @inline(__always)
    func field(column k: Int) -> Int { fieldIndex[k] }

    /// Writes the features of `reader`'s current record into `out` and
    /// returns `start` + Σ β_j x_j without the inactive levels' terms (see
    /// the type's notes); nil when a value does not fit its column (nothing
    /// is thrown here).
    func encode(_ reader: CSVReader, into out: UnsafeMutablePointer<Double>, start: Double) -> Double? {
        var eta = start
        for k in 0..<columnCount {
            let ok = reader.withFieldBytes(fieldIndex[k]) { raw in
                encodeColumn(k, raw: raw, into: out + offsets[k], eta: &eta)
            }
            if !ok {
                lastRowSparse = false
                return nil
            }
        }
        lastRowSparse = true
        return eta
    }

    @inline(__always)
    private func encodeColumn(_ k: Int, raw: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<Double>, eta: inout Double) -> Bool {
        let value = markers.present(raw)
        var state: State = value == nil ? [] : .present
        switch kinds[k] {
        case .numeric:
            var x: Double? = nil
            if let value {
                guard let v = FieldParser.number(value) else { return false }
                x = v
            }
            numerics[k].encode(x, into: dst)
        case .boolean:
            var b: Bool? = nil
            if let value {
                guard let v = booleanMemo.boolean(column: k, value) else { return false }
                b = v
            }
            booleans[k].encode(b, into: dst)
        case .date:
            var d: Double? = nil
            if let value {
                guard let days = FieldParser.isoDate(value) else { return false }
                d = dates[k].daysBefore(days, asOf: dateAsOf[k])
            }
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
                eta += coefficients[offsets[k] + a] * dst[a]
            }
            states[k] = state
            return true
        }
        states[k] = state
        let beta = coefficients + offsets[k]
        for j in 0..<featureCounts[k] { eta += beta[j] * dst[j] }
        // A value so large that standardising it overflows: RowEncoder
        // reports it.
        return dst[0].isFinite || value == nil
    }

    /// Each column's contribution Σ β_j x_j (from +0, in feature order) for
    /// the last row, whose features are `x`, into `out` (`columnCount`
    /// values): `ModelScorer.contributions()` without the inactive levels'
    /// terms, which leave it unchanged.
    func contributions(features x: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let sparse = sparseSums && lastRowSparse
        for k in 0..<columnCount {
            let start = offsets[k]
            var s = 0.0
            if sparse && kinds[k] == .categorical {
                let a = active[k]
                if a >= 0 { s += coefficients[start + a] * x[start + a] }
            } else {
                for j in start..<(start + featureCounts[k]) { s += coefficients[j] * x[j] }
            }
            out[k] = s
        }
    }

    /// The `String` functions' answer for a present categorical value.
    private func stringMatch(column k: Int, _ value: String) -> LevelTable.Match {
        guard case .categorical(let e) = row.encoder.columns[k] else { return LevelTable.Match(active: -1, unseen: false, rare: false) }
        let unseen = row.isUnseen(column: k, value: value)
        let active = e.activeIndex(value, lookup: row.lookups[k])
        return LevelTable.Match(active: Int32(active ?? -1), unseen: unseen, rare: unseen || e.pooled.contains(value))
    }

    /// Sets the states from the `String` path, after the row was encoded
    /// by `RowEncoder` instead.
    func setStates(field: (Int) -> String) {
        lastRowSparse = false
        for k in 0..<columnCount {
            let value = row.parser.present(field(fieldIndex[k]))
            var state: State = value == nil ? [] : .present
            if let value, case .categorical = row.encoder.columns[k] {
                let m = stringMatch(column: k, value)
                if m.unseen { state.insert(.unseen) }
                if m.rare { state.insert(.rare) }
            }
            states[k] = state
        }
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
