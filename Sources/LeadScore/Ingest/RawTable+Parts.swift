import Foundation

// The parallel read of a training file (see `RawTable.read`): each part of
// the file is parsed into a `Part` on its own thread, straight from the
// CSV bytes, and the parts are joined in file order.

/// What every part's reader shares: the columns' caps, the value parser and
/// the progress counter.
struct PartReader: @unchecked Sendable {
    let path: String
    let columns: Int
    let trailingUnnamed: Int?
    let caps: [Int]
    /// Each column's amount format, when given.
    let amountFormats: [AmountFormat?]
    let fields: FieldParser
    let progress: ((Int, Int) -> Void)?
    /// Where the table goes; on disk, each part spills its values to a
    /// scratch file as it reads them.
    let storage: TableStorage
    let counter = ProgressCounter()

    /// Reads the records `reader` yields into a part.
    func read(_ reader: CSVReader) throws(InputError) -> Part {
        var spill: SpillFile? = nil
        if case .disk(let directory) = storage { spill = try SpillFile(directory: directory, columns: columns) }
        var part = Part(columns: columns, spill: spill)
        var first = true
        var rowsSinceReport = 0
        var bytesReported = reader.bytesConsumed
        let select = ByteWords("Select")
        while try reader.nextRecord() {
            if first {
                part.firstOffset = reader.recordOffset
                part.firstLine = reader.recordLine
                first = false
            }
            if let t = trailingUnnamed, reader.withFieldBytes(t, { !$0.isEmpty }) {
                throw InputError(
                    .malformedCSV, at: InputLocation(file: path, line: reader.recordLine, column: "#\(t + 1)", value: reader.field(t)),
                    "this line has a value in the unnamed last column.",
                    remedy: "Name the last column in the header, or remove the extra value (check for an unquoted delimiter).")
            }
            let line = reader.recordLine
            for c in 0..<columns {
                reader.withFieldBytes(c) { raw in
                    if raw.count == 6 && ByteWords(raw) == select { part.columns[c].selectCount += 1 }
                    part.columns[c].append(raw, fields: fields, cap: caps[c], amountFormat: amountFormats[c], line: line)
                }
            }
            part.lines.append(Int32(clamping: line))
            part.rows += 1
            rowsSinceReport += 1
            if let progress, rowsSinceReport >= 65536 {
                let (rows, bytes) = counter.add(rows: rowsSinceReport, bytes: reader.bytesConsumed - bytesReported)
                progress(rows, bytes)
                rowsSinceReport = 0
                bytesReported = reader.bytesConsumed
            }
        }
        if first {
            part.firstOffset = reader.stopOffset
            part.firstLine = reader.currentLine
        }
        part.stopOffset = reader.stopOffset
        part.stopLine = reader.currentLine
        return part
    }
}

/// Rows and bytes read so far by all parts, for progress reports.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var rows = 0, bytes = 0
    func add(rows r: Int, bytes b: Int) -> (Int, Int) {
        lock.lock()
        defer { lock.unlock() }
        rows += r
        bytes += b
        return (rows, bytes)
    }
}

/// The parts' outcomes, filled in by the reading threads.
final class PartResults: @unchecked Sendable {
    private var results: [Result<Part, InputError>?]
    private let lock = NSLock()

    init(count: Int) { results = [Result<Part, InputError>?](repeating: nil, count: count) }

    func store(_ k: Int, _ body: () throws(InputError) -> Part) {
        let result: Result<Part, InputError>
        do { result = .success(try body()) } catch { result = .failure(error) }
        lock.lock()
        results[k] = result
        lock.unlock()
    }

    func take(_ k: Int) -> Result<Part, InputError> {
        lock.lock()
        defer { lock.unlock() }
        let r = results[k]!
        results[k] = nil
        return r
    }
}

/// The rows of one part of the file, column by column.
struct Part {
    var columns: [PartialColumn]
    var rows = 0
    var lines: SpilledValues<Int32>
    /// Added to `lines` when the part is joined (a part read with lines
    /// counted from 1 gets the file's numbers).
    var lineShift = 0
    /// Offset and line of the part's first record (or of where it stopped,
    /// when it has none), and of the first record after it.
    var firstOffset = 0, firstLine = 1
    var stopOffset = 0, stopLine = 1

    init(columns count: Int, spill: SpillFile?) {
        columns = (0..<count).map { _ in PartialColumn(spill: spill) }
        lines = SpilledValues(spill: spill)
    }

    /// Moves the part's line numbers by `delta`.
    mutating func shiftLines(by delta: Int) {
        guard delta != 0 else { return }
        lineShift += delta
        for c in columns.indices {
            columns[c].firstNonNumber?.line += delta
            columns[c].firstNonDate?.line += delta
            columns[c].firstNonDateFields?.line += delta
            columns[c].dateEvidence.shiftLines(by: delta)
            columns[c].amounts.shiftLines(by: delta)
        }
        firstLine += delta
        stopLine += delta
    }

    /// The table of `parts`, joined in file order: levels keep their order
    /// of first appearance in the file (a later part's new levels come
    /// after the earlier ones', its codes are renumbered), and the cap
    /// applies to the union. The values are copied into `storage` one
    /// column at a time. In memory, each part's copy is released once
    /// joined (the parts are taken `inout` for that: a copy of the array
    /// would keep them, doubling the peak memory of the read); on disk, the
    /// parts' scratch files go when the parts do, after the join.
    static func table(
        _ parts: inout [Part], file: String, names: [String], caps: [Int], storage: TableStorage
    ) throws(InputError) -> RawTable {
        let selectCounts = names.indices.map { i in parts.reduce(0) { $0 + $1.columns[i].selectCount } }
        var columns: [RawTable.Column] = []
        for (i, name) in names.enumerated() {
            var c = try PartialColumn.join(parts.map { $0.columns[i] }, name: name, position: i + 1, cap: caps[i], storage: storage)
            if c.codes != nil { PartialColumn.mergeEquivalentLevels(&c) }
            columns.append(c)
            for k in parts.indices { parts[k].columns[i] = PartialColumn(spill: nil) }
        }
        var table = RawTable(file: file, columns: columns, selectCounts: selectCounts)
        let shifts = parts.map(\.lineShift)
        table.rowCount = parts.reduce(0) { $0 + $1.rows }
        table.lines = try SpilledValues.join(parts.map(\.lines), storage) { k, lines in
            guard shifts[k] != 0 else { return }
            for i in lines.indices { lines[i] = Int32(clamping: Int(lines[i]) + shifts[k]) }
        }
        return table
    }
}

/// One column of a part, in every representation it still qualifies for
/// (see `RawTable.Column`).
struct PartialColumn {
    var numbers: SpilledValues<Double>?
    var days: SpilledValues<Int>?
    var codes: SpilledValues<UInt32>?
    var dateFields: SpilledValues<Int32>?
    var firstNonDateFields: (value: String, line: Int)?
    var dateEvidence = RawTable.DateEvidence()
    var amounts: PartialAmounts
    /// Distinct present values in order of appearance; once there are more
    /// than the cap, codes are dropped and one value past the cap is kept.
    var levels = ByteInterner()
    var missingCount = 0, numericCount = 0, dateCount = 0, selectCount = 0
    var firstNonNumber: (value: String, line: Int)?
    var firstNonDate: (value: String, line: Int)?

    init(spill: SpillFile?) {
        numbers = SpilledValues(spill: spill)
        days = SpilledValues(spill: spill)
        codes = SpilledValues(spill: spill)
        dateFields = SpilledValues(spill: spill)
        amounts = PartialAmounts(spill: spill)
    }

    /// Reads a value into every representation it fits. `amountFormat`,
    /// when given, reads the numbers as amounts in it.
    @inline(__always)
    mutating func append(_ raw: UnsafeBufferPointer<UInt8>, fields: FieldParser, cap: Int, amountFormat: AmountFormat?, line: Int) {
        guard let value = fields.present(raw) else {
            missingCount += 1
            numbers?.append(.nan)
            days?.append(Int.min)
            dateFields?.append(DateFields.missing.packed)
            amounts.appendMissing()
            codes?.append(RawTable.missingCode)
            return
        }
        if let format = amountFormat {
            if let a = FieldParser.amount(value, format: format) {
                numbers?.append(a.value)
                numericCount += 1
                amounts.note(a.currency, value, line: line)
            } else if firstNonNumber == nil {
                numbers = nil
                firstNonNumber = (String(decoding: value, as: UTF8.self), line)
            }
        } else if numbers != nil, let v = FieldParser.number(value) {
            numbers!.append(v)
            numericCount += 1
            amounts.notePlain(value, line: line)
        } else {
            if firstNonNumber == nil {
                firstNonNumber = (String(decoding: value, as: UTF8.self), line)
                // The numbers so far are the amounts' first values.
                amounts.start(after: numbers)
                numbers = nil
            }
            if FieldParser.number(value) != nil { numericCount += 1 }
            amounts.append(value, line: line)
        }
        if let d = FieldParser.isoDate(value) {
            days?.append(d)
            dateCount += 1
        } else if firstNonDate == nil {
            days = nil
            firstNonDate = (String(decoding: value, as: UTF8.self), line)
        }
        if dateFields != nil {
            if let f = FieldParser.dateFields(value) {
                dateFields!.append(f.packed)
                dateEvidence.note(f, value, line: line)
            } else {
                dateFields = nil
                firstNonDateFields = (String(decoding: value, as: UTF8.self), line)
            }
        }
        if codes != nil {
            if let k = levels.index(of: value) {
                codes!.append(UInt32(k))
            } else if levels.count < cap {
                codes!.append(UInt32(levels.intern(value).index))
            } else {
                // High-cardinality text (or a continuous number): keep one
                // value past the cap, to know there are more, and no codes.
                codes = nil
                _ = levels.intern(value)
            }
        }
    }

    /// One column of the table from its parts, in file order.
    static func join(_ parts: [PartialColumn], name: String, position: Int, cap: Int, storage: TableStorage) throws(InputError) -> RawTable.Column {
        var first = parts[0]
        let amounts = try PartialAmounts.join(parts.map(\.amounts), numbers: parts.map(\.numbers), storage: storage)
        // The levels of the later parts, renumbered; the cap applies to the union.
        var renumbers: [[UInt32]] = [[]]
        var coded = first.codes != nil
        for other in parts.dropFirst() {
            first.missingCount += other.missingCount
            first.numericCount += other.numericCount
            first.dateCount += other.dateCount
            if first.firstNonNumber == nil { first.firstNonNumber = other.firstNonNumber }
            if first.firstNonDate == nil { first.firstNonDate = other.firstNonDate }
            if first.firstNonDateFields == nil { first.firstNonDateFields = other.firstNonDateFields }
            first.dateEvidence.append(other.dateEvidence)
            guard coded else { continue }
            var renumber = [UInt32](repeating: 0, count: other.levels.count)
            for k in 0..<other.levels.count {
                let known = other.levels.withLevel(k) { first.levels.index(of: $0) }
                if let known {
                    renumber[k] = UInt32(known)
                } else if first.levels.count < cap {
                    renumber[k] = UInt32(other.levels.withLevel(k) { first.levels.intern($0).index })
                } else {
                    coded = false
                    other.levels.withLevel(k) { _ = first.levels.intern($0) }
                    break
                }
            }
            if other.codes == nil { coded = false }
            renumbers.append(renumber)
        }
        let numbers = parts.allSatisfy { $0.numbers != nil } ? parts.map { $0.numbers! } : nil
        let days = parts.allSatisfy { $0.days != nil } ? parts.map { $0.days! } : nil
        let dateFields = parts.allSatisfy { $0.dateFields != nil } ? parts.map { $0.dateFields! } : nil
        let codes = coded ? parts.map { $0.codes! } : nil
        var c = RawTable.Column(
            name: name, position: position,
            numbers: try numbers.map { (p: [SpilledValues<Double>]) throws(InputError) in try SpilledValues.join(p, storage) },
            days: try days.map { (p: [SpilledValues<Int>]) throws(InputError) in try SpilledValues.join(p, storage) },
            codes: try codes.map { (p: [SpilledValues<UInt32>]) throws(InputError) in
                try SpilledValues.join(p, storage) { k, codes in
                    guard k > 0 else { return }
                    let renumber = renumbers[k]
                    for i in codes.indices where codes[i] != RawTable.missingCode { codes[i] = renumber[Int(codes[i])] }
                }
            })
        c.levels = (0..<first.levels.count).map(first.levels.level)
        c.missingCount = first.missingCount
        c.numericCount = first.numericCount
        c.dateCount = first.dateCount
        c.firstNonNumber = first.firstNonNumber
        c.firstNonDate = first.firstNonDate
        c.dateFields = try dateFields.map { (p: [SpilledValues<Int32>]) throws(InputError) in try SpilledValues.join(p, storage) }
        c.firstNonDateFields = first.firstNonDateFields
        c.dateEvidence = first.dateEvidence
        c.amounts = amounts
        return c
    }

    /// Levels are told apart by their bytes, but Swift compares text by
    /// canonical equivalence ("é" as one character or as "e" and an accent
    /// are equal), as the encoders and the scorer do. Levels equal as text
    /// are merged into the first, so a column's levels are distinct as text.
    static func mergeEquivalentLevels(_ c: inout RawTable.Column) {
        var first: [String: UInt32] = [:]
        var renumber: [UInt32] = []
        var kept: [String] = []
        for level in c.levels {
            if let k = first[level] {
                renumber.append(k)
            } else {
                first[level] = UInt32(kept.count)
                renumber.append(UInt32(kept.count))
                kept.append(level)
            }
        }
        guard kept.count < c.levels.count, let codes = c.codes?.buffer else { return }
        for i in codes.indices where codes[i] != RawTable.missingCode { codes[i] = renumber[Int(codes[i])] }
        c.levels = kept
    }
}

