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
    private let isCategorical: UnsafeMutablePointer<Bool>
    /// The texts made once per model, in `pool`: each column's `Column = `
    /// and `Column missing` (raw: `Column is missing`), then ` [rare]` and
    /// ` and `.
    private let pool: UnsafeMutablePointer<UInt8>
    private let named: UnsafeMutablePointer<Piece>
    private let missing: UnsafeMutablePointer<Piece>
    private let rare: Piece
    private let and: Piece
    /// The text after a reason's value, from its contribution c:
    /// `: odds ×4.5` (`NumberBytes.odds`), or raw ` (+1.5)`
    /// (`NumberBytes.signed`).
    private let amounts: NumberTextMemo
    /// The text of a days-since value aged to the as-of day,
    /// `ModelNumber.text`.
    private let agedValues: NumberTextMemo
    private let contributions: UnsafeMutablePointer<Double>
    /// The terms that may be reasons for, and against, the lead being
    /// written; then the first `count` of each ranking (room for every
    /// term).
    private let upward: UnsafeMutablePointer<Int>
    private let downward: UnsafeMutablePointer<Int>
    /// Where each of the lead's reason fields ends in `text`.
    private let ends: UnsafeMutablePointer<Int>
    /// Where a reason is put together: used by the one thread that uses
    /// this writer, not checked for overlapping access at run time.
    @exclusivity(unchecked) private var text: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var textCapacity = 256

    /// A text in `pool`, and whether it is plain (`ScoresLayout.isPlain`).
    private struct Piece {
        let start: Int
        let count: Int
        let plain: Bool
    }

    init(model: ModelCard, encoder: RowEncoder, count: Int, style: ReasonStyle) {
        self.count = count
        self.style = style
        self.encoder = encoder
        let columns = model.schema.encoders.columns
        columnCount = columns.count
        termCount = encoder.termCount
        isCategorical = .allocate(capacity: max(columnCount, 1))
        isCategorical.initialize(from: columns.map { $0.kind == .categorical }, count: columnCount)
        var bytes: [UInt8] = []
        func piece(_ s: String) -> Piece {
            let p = Piece(start: bytes.count, count: s.utf8.count, plain: s.utf8.allSatisfy(ScoresLayout.isPlain))
            bytes += s.utf8
            return p
        }
        let named = columns.map { piece($0.column + " = ") }
        let missing = columns.map { piece($0.column + (style == .words ? " missing" : " is missing")) }
        rare = piece(" [rare]")
        and = piece(" and ")
        bytes += [UInt8](repeating: 0, count: Self.chunk)
        pool = .allocate(capacity: bytes.count)
        pool.initialize(from: bytes, count: bytes.count)
        self.named = .allocate(capacity: max(columnCount, 1))
        self.named.initialize(from: named, count: columnCount)
        self.missing = .allocate(capacity: max(columnCount, 1))
        self.missing.initialize(from: missing, count: columnCount)
        amounts = NumberTextMemo { c, target in
            var n = 0
            func append(_ s: StaticString) {
                (target + n).update(from: s.utf8Start, count: s.utf8CodeUnitCount)
                n += s.utf8CodeUnitCount
            }
            if style == .words {
                append(": odds \u{D7}")
                n += NumberBytes.odds(c, into: target + n)
            } else {
                append(" (")
                n += NumberBytes.signed(c, into: target + n)
                append(")")
            }
            return n
        }
        agedValues = NumberTextMemo { v, target in
            var n = 0
            for b in ModelNumber.text(v).utf8.prefix(NumberTextMemo.room) {
                target[n] = b
                n += 1
            }
            return n
        }
        contributions = .allocate(capacity: max(termCount, 1))
        upward = .allocate(capacity: termCount + 1)
        downward = .allocate(capacity: termCount + 1)
        ends = .allocate(capacity: 2 * count)
        text = .allocate(capacity: textCapacity)
    }

    deinit {
        isCategorical.deallocate()
        pool.deallocate()
        named.deallocate()
        missing.deallocate()
        contributions.deallocate()
        upward.deallocate()
        downward.deallocate()
        ends.deallocate()
        text.deallocate()
    }

    /// Writes the 2 × `count` reason fields of the lead whose features are
    /// `features` and whose record is `reader`'s current one.
    func write<Output>(features x: UnsafeBufferPointer<Double>, reader: CSVReader, to writer: ScoresWriter<Output>) {
        let c = contributions
        encoder.contributions(features: x, into: c)
        // The terms that may be reasons, in column order: c ≥ minimum in
        // `upward`, c ≤ −minimum in `downward` (each term written to both,
        // the count moving on where it belongs: no branch to mispredict).
        var up = 0, down = 0
        let minimum = Scorer.minimumReason
        for k in 0..<termCount {
            let v = c[k]
            upward[up] = k
            downward[down] = k
            up &+= Int(unsafeBitCast(v >= minimum, to: UInt8.self))
            down &+= Int(unsafeBitCast(v <= -minimum, to: UInt8.self))
        }
        // Then the first `count` of each ranking, kept in place at the
        // front of its list by insertion. The reasons for: larger first,
        // ties by column order (a later term goes after the earlier ones it
        // ties with). The reasons against: smaller first, ties by reversed
        // column order (a later term goes before the ones it ties with). A
        // term that would come after a full list's last is left out, and
        // inserting into a full list drops its last: the lists are the
        // first `count` of each ranking of all terms, filtered.
        up = Self.first(count, of: upward, up, in: c) { a, b in a > b }
        down = Self.first(count, of: downward, down, in: c) { a, b in a <= b }
        // The 2 × `count` fields, one after the other in `text`, each
        // ending at `ends[f]` (an empty one where a ranking has fewer).
        var n = 0, plain = true
        for i in 0..<(2 * count) {
            let (list, listCount) = i < count ? (upward, up) : (downward, down)
            let r = i < count ? i : i - count
            if r < listCount {
                let (end, reasonPlain) = appendReason(list[r], reader: reader, at: n)
                n = end
                plain = plain && reasonPlain
            }
            ends[i] = n
        }
        writer.texts(text, ends: ends, count: 2 * count, plain: plain)
    }

    /// Keeps at the front of `list` the first `count` of its `n` terms in
    /// the order `before(c[a], c[b])` for a later term a and an earlier b
    /// (the list is in column order); returns how many it kept.
    @inline(__always)
    private static func first(
        _ count: Int, of list: UnsafeMutablePointer<Int>, _ n: Int, in c: UnsafeMutablePointer<Double>, by before: (Double, Double) -> Bool
    ) -> Int {
        var kept = 0
        for j in 0..<n {
            let k = list[j]
            let v = c[k]
            if kept == count && !before(v, c[list[count - 1]]) { continue }
            var i = min(kept, count - 1)
            while i > 0 && before(v, c[list[i - 1]]) {
                list[i] = list[i - 1]
                i -= 1
            }
            list[i] = k
            kept = min(kept + 1, count)
        }
        return kept
    }

    /// Appends the reason of term `k` at `start`: column `k`, or pair
    /// `k − columnCount` with both its columns' values, then its amount.
    /// Returns the new length, and whether the reason is plain
    /// (`ScoresLayout.isPlain`: the pieces' flags, the values looked at).
    private func appendReason(_ k: Int, reader: CSVReader, at start: Int) -> (Int, Bool) {
        var n: Int, plain: Bool
        if k < columnCount {
            (n, plain) = appendValue(column: k, reader: reader, at: start)
        } else {
            let (a, b) = encoder.pairColumns(k - columnCount)
            let (first, firstPlain) = appendValue(column: a, reader: reader, at: start)
            reserve(first + and.count)
            n = append(and, at: first)
            (n, plain) = appendValue(column: b, reader: reader, at: n)
            plain = plain && firstPlain && and.plain
        }
        let amount = amounts.text(contributions[k])
        reserve(n + amount.bytes.count)
        Self.copyChunks(amount.bytes.baseAddress!, to: text + n, count: amount.bytes.count)
        return (n + amount.bytes.count, plain && amount.plain)
    }

    /// Appends column `k`'s name and value at `start` (`Column = value`,
    /// `Column = value [rare]`, `Column missing`); returns the new length,
    /// and whether what it appended is plain.
    private func appendValue(column k: Int, reader: CSVReader, at start: Int) -> (Int, Bool) {
        // Whether the value is present (not empty, not a missing marker)
        // and rare, as the encoder read it.
        let state = encoder.state(column: k)
        guard state.contains(.present) else {
            let missing = missing[k]
            reserve(start + missing.count)
            return (append(missing, at: start), missing.plain)
        }
        let rare = isCategorical[k] && state.contains(.rare)
        return reader.withFieldBytes(encoder.field(column: k)) { raw -> (Int, Bool) in
            var value = FieldParser.trim(raw)
            let named = named[k]
            let age = encoder.age(column: k)
            if age != 0, let x = FieldParser.number(value) {
                // A days-since column aged to the as-of day: the value it
                // was scored with.
                (value, _) = agedValues.text(DaysSince.aged(x, by: age))
            }
            reserve(start + named.count + value.count + self.rare.count)
            var n = append(named, at: start)
            // The value copied byte by byte, counting the bytes that are
            // not plain on the way.
            var others = 0
            let target = text + n
            for i in 0..<value.count {
                let c = value[i]
                target[i] = c
                others &+= ScoresLayout.isPlain(c) ? 0 : 1
            }
            n += value.count
            if rare { n = append(self.rare, at: n) }
            return (n, others == 0 && named.plain && (!rare || self.rare.plain))
        }
    }

    /// Makes room for `capacity` bytes in the text buffer, and `chunk`
    /// more (`copyChunks`).
    @inline(__always)
    private func reserve(_ capacity: Int) {
        if capacity + Self.chunk > textCapacity { grow(capacity + Self.chunk) }
    }

    /// The piece `copyChunks` copies at a time.
    private static let chunk = 16

    /// Copies `count` bytes, a small number, in whole pieces of `chunk`
    /// bytes (one or two, not a call to `memmove`): up to `chunk` − 1 bytes
    /// past the end of the source are read and past the end of the target
    /// written, which must be there (`pool`, `NumberTextMemo.readable`,
    /// `reserve`).
    @inline(__always)
    private static func copyChunks(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(target)
        var i = 0
        while i < count {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self), toByteOffset: i, as: SIMD16<UInt8>.self)
            i += chunk
        }
    }

    /// Grows the text buffer to hold `capacity` bytes, keeping what it
    /// holds.
    private func grow(_ capacity: Int) {
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity, 2 * textCapacity))
        grown.update(from: text, count: textCapacity)
        text.deallocate()
        textCapacity = max(capacity, 2 * textCapacity)
        text = grown
    }

    @inline(__always)
    private func append(_ piece: Piece, at n: Int) -> Int {
        Self.copyChunks(pool + piece.start, to: text + n, count: piece.count)
        return n + piece.count
    }
}
