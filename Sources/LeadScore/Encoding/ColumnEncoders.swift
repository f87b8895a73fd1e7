import Foundation

// Per-column encoders, learned on the training rows and stored in the
// model so that a new lead is encoded exactly as the training leads were.
// Each takes the column's typed value (nil when missing) and writes its
// features; `FeatureEncoder` lays the columns side by side.

/// Numeric: impute the training median, optionally x ↦ sign(x)·log1p(|x|)
/// (log1p for counts; defined for negative values too), then standardise
/// with the training mean and population standard deviation (ddof = 0, as
/// scikit-learn's StandardScaler). A 0/1 missing indicator follows when the
/// column had missing values in training; it is not standardised.
///
/// Order: impute → transform → standardise, so the imputed value is the
/// median of the raw values.
///
/// With a `spline` (`NaturalSpline`), the transformed value also gives the
/// spline's K−2 nonlinear features, each standardised with its own training
/// mean and standard deviation: impute → transform → basis → standardise.
/// The features are then x, C₁ … C_{K−2}, and the missing indicator last.
/// No spline (nil, absent from the card): the one linear feature.
///
/// A monotone column (`monotone`, `train --monotone`): with a spline, the
/// spline's ramps replace x and the C_j (`NaturalSpline`, K−1 features,
/// the same count); without one, the one linear feature, whose coefficient
/// the solver keeps ≥ 0 (increasing) or ≤ 0 (decreasing), which makes its
/// contribution β·(t − mean)/sd monotone in the value (t = the value, or
/// its log1p, both increasing; sd > 0). `monotone` is set on the encoder
/// of a linear column and on the spline of a spline column, never both
/// (nil, absent from the card, otherwise).
///
/// A column of amounts (`$18,111.00`) is read in `amountFormat`, the one
/// its training values were read in (`FieldParser.amount`); a value
/// written with a currency other than `currency` is refused. Both nil
/// (absent from the card) for plain numbers.
public struct NumericEncoder: Codable, Sendable, Equatable {
    public var column: String
    public var median: Double
    public var log1p: Bool
    public var mean: Double
    public var standardDeviation: Double
    public var missingIndicator: Bool
    public var amountFormat: AmountFormat? = nil
    /// The currency sign or code of the training values that had one.
    public var currency: String? = nil
    /// The natural cubic spline of the column, when asked for and the
    /// column has enough distinct values; nil (absent from the card) for a
    /// linear column.
    public var spline: NaturalSpline? = nil
    /// The direction a linear column's coefficient is held to; nil (absent
    /// from the card) when it is free or the column has a spline (whose
    /// `monotone` says it).
    public var monotone: MonotoneDirection? = nil

    /// The direction the column's effect is held to, linear or spline.
    public var direction: MonotoneDirection? { spline?.monotone ?? monotone }

    /// The features of the column's value (x and the spline's C_j), before
    /// the missing indicator.
    public var valueFeatureCount: Int { 1 + (spline?.termCount ?? 0) }

    public var featureCount: Int { valueFeatureCount + (missingIndicator ? 1 : 0) }

    /// Fits on the present values and the number of missing ones; nil when
    /// the standardised value would be constant. `splineKnots`: the knots
    /// of a spline to fit (`NaturalSpline.fit`); the encoder has none when
    /// the column has too few distinct values for them.
    static func fit(
        column: String, present: [Double], missing: Int, log1p: Bool, splineKnots: Int? = nil, monotone: MonotoneDirection? = nil
    ) -> NumericEncoder? {
        guard !present.isEmpty else { return nil }
        let median = Self.median(present)
        var enc = NumericEncoder(column: column, median: median, log1p: log1p, mean: 0, standardDeviation: 1, missingIndicator: missing > 0)
        let n = Double(present.count + missing)
        var sum = 0.0
        for v in present { sum += enc.transform(v) }
        let imputed = enc.transform(median)
        sum += Double(missing) * imputed
        let mean = sum / n
        var ss = 0.0
        for v in present { let d = enc.transform(v) - mean; ss += d * d }
        ss += Double(missing) * (imputed - mean) * (imputed - mean)
        let sd = (ss / n).squareRoot()
        guard sd > 1e-12 * max(1, abs(mean)) else { return nil }
        enc.mean = mean
        enc.standardDeviation = sd
        if let splineKnots {
            let raw = present.sorted()
            enc.spline = NaturalSpline.fit(
                sortedTransformed: raw.map(enc.transform), imputed: imputed, missing: missing, sortedRaw: raw, knotCount: splineKnots,
                monotone: monotone)
        }
        if enc.spline == nil { enc.monotone = monotone }
        return enc
    }

    /// The median; the mean of the two middle values for an even count
    /// (numpy's convention).
    ///
    /// Found by selection (Hoare's quickselect with a median-of-three
    /// pivot), in linear expected time: an order statistic does not depend
    /// on how it is found, so this equals the middle of the sorted values.
    static func median(_ values: [Double]) -> Double {
        var s = values
        let m = s.count / 2
        return s.withUnsafeMutableBufferPointer { a in
            let upper = select(a, m)
            guard a.count % 2 == 0 else { return upper }
            // The largest value left of position m is the lower middle one.
            var lower = a[0]
            for i in 1..<m where a[i] > lower { lower = a[i] }
            return (lower + upper) / 2
        }
    }

    /// Rearranges `a` so that a[k] is the k-th smallest value, everything
    /// before it ≤ it and everything after it ≥ it; returns a[k].
    static func select(_ a: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
        var lo = 0, hi = a.count - 1
        while hi > lo {
            let mid = lo + (hi - lo) / 2
            // Median of three as the pivot.
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { break }
        }
        return a[k]
    }

    func transform(_ x: Double) -> Double {
        guard log1p else { return x }
        return x < 0 ? -Foundation.log1p(-x) : Foundation.log1p(x)
    }

    func encode(_ value: Double?, into out: UnsafeMutablePointer<Double>) {
        let t = transform(value ?? median)
        if let spline, spline.monotone != nil {
            spline.ramps(t, into: out)
        } else {
            out[0] = (t - mean) / standardDeviation
            spline?.features(t, into: out + 1)
        }
        if missingIndicator { out[valueFeatureCount] = value == nil ? 1 : 0 }
    }

    /// The features of the column's value, named after `name` (the column,
    /// or a date column's days-ago feature): the value, then each spline
    /// term ("name (spline 1)" …), then the missing indicator. A monotone
    /// spline's ramps: "name" (r₁, the slope from the first knot), then
    /// "name (ramp 2)" … "name (ramp K−1)".
    func featureNames(value name: String) -> [String] {
        let terms = spline?.monotone == nil ? "spline" : "ramp"
        let first = spline?.monotone == nil ? 1 : 2
        return [name] + (0..<(spline?.termCount ?? 0)).map { "\(name) (\(terms) \($0 + first))" } + (missingIndicator ? [column + " (missing)"] : [])
    }

    var featureNames: [String] { featureNames(value: column) }

    /// The column's contribution to the log-odds (Σ β_j x_j over its value
    /// features) for a present value `x` as read (before log1p), with
    /// `coefficients` the column's features' coefficients from its first;
    /// the missing indicator's term is not included.
    public func contribution(_ x: Double, coefficients beta: ArraySlice<Double>) -> Double {
        var features = [Double](repeating: 0, count: featureCount)
        features.withUnsafeMutableBufferPointer { encode(x, into: $0.baseAddress!) }
        var s = 0.0
        for (j, b) in zip(0..<valueFeatureCount, beta) { LinearPredictor.add(b, features[j], to: &s) }
        return s
    }
}

/// Boolean: 1 for true (Yes, TRUE, Y, 1), 0 for false or missing; a missing
/// indicator follows when the column had missing values in training.
public struct BooleanEncoder: Codable, Sendable, Equatable {
    public var column: String
    public var missingIndicator: Bool
    public var featureCount: Int { missingIndicator ? 2 : 1 }

    func encode(_ value: Bool?, into out: UnsafeMutablePointer<Double>) {
        out[0] = value == true ? 1 : 0
        if missingIndicator { out[1] = value == nil ? 1 : 0 }
    }

    var featureNames: [String] { missingIndicator ? [column, column + " (missing)"] : [column] }
}

/// Categorical: one-hot with a reference level and rare levels pooled.
///
/// A missing value is the level "(missing)". Levels with fewer than the
/// minimum count of training rows are pooled into "(other)". The most
/// frequent remaining level is the reference: it gets no feature, and every
/// coefficient is relative to it (ties broken by name). At scoring time a
/// level not seen in training is encoded as "(other)" when the model has
/// that level, else as the reference.
public struct CategoricalEncoder: Codable, Sendable, Equatable {
    public static let missingLevel = "(missing)"
    public static let otherLevel = "(other)"

    public var column: String
    /// The reference level (no feature).
    public var reference: String
    /// Levels with a feature, in feature order; may include "(other)" and
    /// "(missing)".
    public var levels: [String]
    /// Levels seen in training but pooled into "(other)".
    public var pooled: [String]
    /// Training row count of each level in `levels`, then of the reference.
    public var counts: [Int]

    public var featureCount: Int { levels.count }

    private var otherIndex: Int? { levels.firstIndex(of: Self.otherLevel) }

    /// Fits on level → training row count (missing counted under
    /// "(missing)"). nil when fewer than two levels remain.
    static func fit(column: String, counts: [String: Int], minCount: Int) -> CategoricalEncoder? {
        var kept: [(String, Int)] = []
        var pooled: [String] = []
        var otherCount = 0
        for (level, count) in counts where count > 0 {
            if count >= minCount { kept.append((level, count)) } else { pooled.append(level); otherCount += count }
        }
        if otherCount > 0 { kept.append((otherLevel, otherCount)) }
        guard kept.count >= 2 else { return nil }
        kept.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        let reference = kept.removeFirst()
        return CategoricalEncoder(
            column: column, reference: reference.0, levels: kept.map(\.0), pooled: pooled.sorted(),
            counts: kept.map(\.1) + [reference.1])
    }

    /// The feature index that is 1 for this value, or nil for the reference.
    func activeIndex(_ value: String?, lookup: [String: Int]) -> Int? {
        let level = value ?? Self.missingLevel
        if let i = lookup[level] { return i }
        if level == reference { return nil }
        return otherIndex
    }

    /// level → feature index, pooled levels → "(other)".
    func makeLookup() -> [String: Int] {
        var d: [String: Int] = [:]
        for (i, l) in levels.enumerated() { d[l] = i }
        if let o = otherIndex { for l in pooled { d[l] = o } }
        return d
    }

    var featureNames: [String] { levels.map { "\(column) = \($0)" } }
}

/// Date: the number of days from the date to the as-of date (positive for
/// dates before it), then encoded as a numeric column. The dates are read
/// in `dateFormat`, the one the training values were read in
/// (`FieldParser.date(_:format:)`); nil (absent from the card) is ISO 8601.
public struct DateEncoder: Codable, Sendable, Equatable {
    public var column: String
    /// The as-of date, days since 1970-01-01.
    public var asOfDays: Int
    public var numeric: NumericEncoder
    public var dateFormat: DateFormat? = nil

    /// The format the column's dates are read in.
    public var format: DateFormat { dateFormat ?? .iso }

    public var featureCount: Int { numeric.featureCount }

    func daysBefore(_ days: Int?, asOf: Int) -> Double? {
        days.map { Double(asOf - $0) }
    }

    var featureNames: [String] { numeric.featureNames(value: "\(column) (days ago)") }
}

/// One column's encoder. In the model file it is one JSON object: the
/// encoder's fields plus `"kind"`: `"numeric"`, `"boolean"`,
/// `"categorical"` or `"date"`.
public enum ColumnEncoder: Codable, Sendable, Equatable {
    case numeric(NumericEncoder)
    case boolean(BooleanEncoder)
    case categorical(CategoricalEncoder)
    case date(DateEncoder)

    public var column: String {
        switch self {
        case .numeric(let e): e.column
        case .boolean(let e): e.column
        case .categorical(let e): e.column
        case .date(let e): e.column
        }
    }

    public var featureCount: Int {
        switch self {
        case .numeric(let e): e.featureCount
        case .boolean(let e): e.featureCount
        case .categorical(let e): e.featureCount
        case .date(let e): e.featureCount
        }
    }

    public var featureNames: [String] {
        switch self {
        case .numeric(let e): e.featureNames
        case .boolean(let e): e.featureNames
        case .categorical(let e): e.featureNames
        case .date(let e): e.featureNames
        }
    }

    public var kind: ColumnKind {
        switch self {
        case .numeric: .numeric
        case .boolean: .boolean
        case .categorical: .categorical
        case .date: .date
        }
    }

    private enum KindKey: String, CodingKey { case kind }

    public init(from decoder: Decoder) throws {
        let kind = try decoder.container(keyedBy: KindKey.self).decode(ColumnKind.self, forKey: .kind)
        switch kind {
        case .numeric: self = .numeric(try NumericEncoder(from: decoder))
        case .boolean: self = .boolean(try BooleanEncoder(from: decoder))
        case .categorical: self = .categorical(try CategoricalEncoder(from: decoder))
        case .date: self = .date(try DateEncoder(from: decoder))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .numeric(let e): try e.encode(to: encoder)
        case .boolean(let e): try e.encode(to: encoder)
        case .categorical(let e): try e.encode(to: encoder)
        case .date(let e): try e.encode(to: encoder)
        }
        var container = encoder.container(keyedBy: KindKey.self)
        try container.encode(kind, forKey: .kind)
    }
}
