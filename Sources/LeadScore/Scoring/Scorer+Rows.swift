/// A tier scheme's tier for each score, and its labels as bytes for the
/// scores file.
struct TierLabels {
    let labels: [String]
    private let scheme: TierScheme
    /// Tier index of each score 0…100.
    private let byScore: [Int]
    private let bytes: [[UInt8]]

    init(_ scheme: TierScheme) {
        self.scheme = scheme
        labels = scheme.labels
        bytes = scheme.labels.map { Array($0.utf8) }
        byScore = scheme.measure == .score ? (0...100).map { scheme.index(probability: .nan, score: $0) } : []
    }

    var count: Int { labels.count }

    /// `scheme.index(probability:score:)`, from a table for a scheme on the
    /// score.
    @inline(__always)
    func index(probability p: Double, score: Int) -> Int {
        !byScore.isEmpty && score >= 0 && score <= 100 ? byScore[score] : scheme.index(probability: p, score: score)
    }

    /// Writes tier `t`'s label as the next field.
    func write<Output>(_ t: Int, to writer: ScoresWriter<Output>) {
        bytes[t].withUnsafeBufferPointer { writer.text($0) }
    }
}

/// How a reason is written (`ScoringOptions.reasonStyle`).
public enum ReasonStyle: String, CaseIterable, Sendable {
    /// For a sales rep: the factor the value multiplies the odds of winning
    /// by, e^c for a contribution c in log-odds (`ModelNumber.odds`):
    /// `Demo Requested = Yes: odds ×4.5`, `TotalVisits missing: odds ×0.74`;
    /// a rule that fired with its points, `Pricing page visits: +10 points`.
    case words
    /// As the model adds them up: the contribution in log-odds with one
    /// decimal, `Demo Requested = Yes (+1.5)`, `TotalVisits is missing (-0.3)`;
    /// a rule's points, `Pricing page visits (+10)`.
    case raw
}

/// Writes a lead's reasons for and against as fields of the scores file,
/// in bytes, in words (`Column = value: odds ×4.5`, `Column = value [rare]:
/// odds ×1.5`, `Column missing: odds ×0.74`) or raw (`Column = value (+1.5)`,
/// `Column = value [rare] (+0.4)`, `Column is missing (-0.3)`), as
/// described on `Scorer` and `ReasonStyle`. The value is the
/// field as written, except for a days-since column aged to the as-of day
/// (`RowEncoder.age(column:)`), whose value is the aged one the lead was
/// scored with (`Days Since Last Activity = 90`), in `ModelNumber.text`.
///
/// A column's contribution is Σ β_j x_j over its features, as
/// `ModelScorer.contributions()` (`RowEncoder.contributions`); a pair
/// term's (`PairEncoder`) is the coefficient of its active cell, a reason of
/// its own after the columns, written with both values: `Lead Source =
/// Google and Country = India: odds ×1.4` (raw: `… (+0.3)`). Columns and
/// pairs are
/// ranked by contribution, larger first, ties by column order; the reasons
/// for are the first `count` of that ranking with a contribution of at
/// least `Scorer.minimumReason`, the reasons against the first `count` of
/// the reversed ranking with at most its negative. Missing reasons leave
/// their fields empty (`null` in JSON Lines).
final class ReasonWriter {
    let count: Int
    let style: ReasonStyle
    private let encoder: RowEncoder
    private let columnCount: Int
    /// The columns, then the pair terms (`RowEncoder.termCount`).
    private let termCount: Int
    private let isCategorical: [Bool]
    private let names: [[UInt8]]
    private let contributions: UnsafeMutablePointer<Double>
    private let order: UnsafeMutablePointer<Int>
    private var text: UnsafeMutablePointer<UInt8>
    private var textCapacity = 256

    init(model: ModelCard, encoder: RowEncoder, count: Int, style: ReasonStyle) {
        self.count = count
        self.style = style
        self.encoder = encoder
        let columns = model.schema.encoders.columns
        columnCount = columns.count
        termCount = encoder.termCount
        isCategorical = columns.map { $0.kind == .categorical }
        names = columns.map { Array($0.column.utf8) }
        contributions = .allocate(capacity: max(termCount, 1))
        order = .allocate(capacity: max(termCount, 1))
        text = .allocate(capacity: textCapacity)
    }

    deinit {
        contributions.deallocate()
        order.deallocate()
        text.deallocate()
    }

    /// Writes the 2 × `count` reason fields of the lead whose features are
    /// `features` and whose record is `reader`'s current one.
    func write<Output>(features x: UnsafeBufferPointer<Double>, reader: CSVReader, to writer: ScoresWriter<Output>) {
        let c = contributions
        encoder.contributions(features: x, into: c)
        // The reasons for: columns with c ≥ minimum, larger first, ties by
        // column order. The reasons against: c ≤ −minimum in the reversed
        // ranking, i.e. smaller first, ties by reversed column order. Only
        // these few columns are sorted (insertion sort; a strict order, so
        // the result is that of sorting all columns and filtering).
        var n = 0
        for k in 0..<termCount where c[k] >= Scorer.minimumReason {
            var i = n
            while i > 0 && c[order[i - 1]] < c[k] {
                order[i] = order[i - 1]
                i -= 1
            }
            order[i] = k
            n += 1
        }
        for i in 0..<count {
            if i < n { writeReason(order[i], reader: reader, to: writer) } else { writer.text(Self.empty) }
        }
        n = 0
        for k in stride(from: termCount - 1, through: 0, by: -1) where c[k] <= -Scorer.minimumReason {
            var i = n
            while i > 0 && c[order[i - 1]] > c[k] {
                order[i] = order[i - 1]
                i -= 1
            }
            order[i] = k
            n += 1
        }
        for i in 0..<count {
            if i < n { writeReason(order[i], reader: reader, to: writer) } else { writer.text(Self.empty) }
        }
    }

    private static var empty: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: nil, count: 0) }

    /// Writes the reason of term `k`: column `k`, or pair `k − columnCount`
    /// with both its columns' values.
    private func writeReason<Output>(_ k: Int, reader: CSVReader, to writer: ScoresWriter<Output>) {
        var n: Int
        if k < columnCount {
            n = appendValue(column: k, reader: reader, at: 0)
        } else {
            let (a, b) = encoder.pairColumns(k - columnCount)
            n = appendValue(column: a, reader: reader, at: 0)
            n = append(" and ", at: n)
            n = appendValue(column: b, reader: reader, at: n)
        }
        reserve(n + 16 + 2 * NumberBytes.maximumLength)
        if style == .words {
            n = append(": odds \u{D7}", at: n)
            n += NumberBytes.odds(contributions[k], into: text + n)
        } else {
            n = append(" (", at: n)
            n += NumberBytes.signed(contributions[k], into: text + n)
            n = append(")", at: n)
        }
        writer.text(UnsafeBufferPointer(start: text, count: n))
    }

    /// Appends column `k`'s name and value at `n` (`Column = value`,
    /// `Column = value [rare]`, `Column missing`); returns the new length.
    private func appendValue(column k: Int, reader: CSVReader, at start: Int) -> Int {
        let rare = isCategorical[k] && encoder.state(column: k).contains(.rare)
        return reader.withFieldBytes(encoder.field(column: k)) { raw -> Int in
            let value = encoder.fields.present(raw)
            reserve(start + names[k].count + (value?.count ?? 0) + 16 + 2 * NumberBytes.maximumLength)
            var n = append(names[k], at: start)
            if let value {
                n = append(" = ", at: n)
                let age = encoder.age(column: k)
                if age != 0, let x = FieldParser.number(value) {
                    // Only aged columns named in a reason make a String.
                    n = append(Array(ModelNumber.text(DaysSince.aged(x, by: age)).utf8), at: n)
                } else {
                    n = append(value, at: n)
                }
                if rare { n = append(" [rare]", at: n) }
            } else {
                n = append(style == .words ? " missing" : " is missing", at: n)
            }
            return n
        }
    }

    /// Grows the text buffer to hold `capacity` bytes, keeping what it
    /// holds.
    private func reserve(_ capacity: Int) {
        guard capacity > textCapacity else { return }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity, 2 * textCapacity))
        grown.update(from: text, count: textCapacity)
        text.deallocate()
        textCapacity = max(capacity, 2 * textCapacity)
        text = grown
    }

    @inline(__always)
    private func append(_ bytes: UnsafeBufferPointer<UInt8>, at n: Int) -> Int {
        if let base = bytes.baseAddress { (text + n).update(from: base, count: bytes.count) }
        return n + bytes.count
    }

    @inline(__always)
    private func append(_ bytes: [UInt8], at n: Int) -> Int {
        bytes.withUnsafeBufferPointer { append($0, at: n) }
    }

    @inline(__always)
    private func append(_ s: StaticString, at n: Int) -> Int {
        append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount), at: n)
    }
}
