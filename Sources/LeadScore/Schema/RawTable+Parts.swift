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
    let fields: FieldParser
    let progress: ((Int, Int) -> Void)?
    let counter = ProgressCounter()

    /// Reads the records `reader` yields into a part.
    func read(_ reader: CSVReader) throws(InputError) -> Part {
        var part = Part(columns: (0..<columns).map { _ in PartialColumn() })
        var first = true
        var rowsSinceReport = 0
        var bytesReported = reader.bytesConsumed
        let select: [UInt8] = Array("Select".utf8)
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
                    if raw.count == 6 && memcmp(raw.baseAddress!, select, 6) == 0 { part.columns[c].selectCount += 1 }
                    part.columns[c].append(raw, fields: fields, cap: caps[c], line: line)
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
    var lines: [Int32] = []
    /// Offset and line of the part's first record (or of where it stopped,
    /// when it has none), and of the first record after it.
    var firstOffset = 0, firstLine = 1
    var stopOffset = 0, stopLine = 1

    init(columns: [PartialColumn]) { self.columns = columns }

    /// Moves the part's line numbers by `delta` (a part read with lines
    /// counted from 1 gets the file's numbers).
    mutating func shiftLines(by delta: Int) {
        guard delta != 0 else { return }
        for i in lines.indices { lines[i] = Int32(clamping: Int(lines[i]) + delta) }
        for c in columns.indices {
            columns[c].firstNonNumber?.line += delta
            columns[c].firstNonDate?.line += delta
        }
        firstLine += delta
        stopLine += delta
    }

    /// Appends the next part in file order. Levels keep their order of
    /// first appearance in the file: the other part's new levels come after
    /// this one's, and its codes are renumbered.
    mutating func append(_ other: Part, caps: [Int]) {
        for c in columns.indices { columns[c].append(other.columns[c], cap: caps[c]) }
        rows += other.rows
        lines.append(contentsOf: other.lines)
        stopOffset = other.stopOffset
        stopLine = other.stopLine
    }

    func table(file: String, names: [String]) -> RawTable {
        var table = RawTable(
            file: file,
            columns: names.enumerated().map { i, name in
                let p = columns[i]
                var c = RawTable.Column(name: name, position: i + 1, numbers: p.numbers, days: p.days, codes: p.codes)
                c.levels = (0..<p.levels.count).map(p.levels.level)
                if c.codes != nil { PartialColumn.mergeEquivalentLevels(&c) }
                c.missingCount = p.missingCount
                c.numericCount = p.numericCount
                c.dateCount = p.dateCount
                c.firstNonNumber = p.firstNonNumber
                c.firstNonDate = p.firstNonDate
                return c
            },
            selectCounts: columns.map(\.selectCount))
        table.rowCount = rows
        table.lines = lines
        return table
    }
}

/// One column of a part, in every representation it still qualifies for
/// (see `RawTable.Column`).
struct PartialColumn {
    var numbers: [Double]? = []
    var days: [Int]? = []
    var codes: [UInt32]? = []
    /// Distinct present values in order of appearance; once there are more
    /// than the cap, codes are dropped and one value past the cap is kept.
    var levels = ByteInterner()
    var missingCount = 0, numericCount = 0, dateCount = 0, selectCount = 0
    var firstNonNumber: (value: String, line: Int)?
    var firstNonDate: (value: String, line: Int)?

    @inline(__always)
    mutating func append(_ raw: UnsafeBufferPointer<UInt8>, fields: FieldParser, cap: Int, line: Int) {
        guard let value = fields.present(raw) else {
            missingCount += 1
            numbers?.append(.nan)
            days?.append(Int.min)
            codes?.append(RawTable.missingCode)
            return
        }
        if let v = FieldParser.number(value) {
            numbers?.append(v)
            numericCount += 1
        } else if firstNonNumber == nil {
            numbers = nil
            firstNonNumber = (String(decoding: value, as: UTF8.self), line)
        }
        if let d = FieldParser.isoDate(value) {
            days?.append(d)
            dateCount += 1
        } else if firstNonDate == nil {
            days = nil
            firstNonDate = (String(decoding: value, as: UTF8.self), line)
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
        guard kept.count < c.levels.count, var codes = c.codes else { return }
        for i in codes.indices where codes[i] != RawTable.missingCode { codes[i] = renumber[Int(codes[i])] }
        c.codes = codes
        c.levels = kept
    }

    /// Appends the next part's rows of this column.
    mutating func append(_ other: PartialColumn, cap: Int) {
        missingCount += other.missingCount
        numericCount += other.numericCount
        dateCount += other.dateCount
        selectCount += other.selectCount
        if let o = other.numbers { numbers?.append(contentsOf: o) } else { numbers = nil }
        if let o = other.days { days?.append(contentsOf: o) } else { days = nil }
        if firstNonNumber == nil { firstNonNumber = other.firstNonNumber }
        if firstNonDate == nil { firstNonDate = other.firstNonDate }
        guard codes != nil else { return }
        // The other part's levels, renumbered; the cap applies to the union.
        var renumber = [UInt32](repeating: 0, count: other.levels.count)
        for k in 0..<other.levels.count {
            let known = other.levels.withLevel(k) { levels.index(of: $0) }
            if let known {
                renumber[k] = UInt32(known)
            } else if levels.count < cap {
                renumber[k] = UInt32(other.levels.withLevel(k) { levels.intern($0).index })
            } else {
                codes = nil
                other.levels.withLevel(k) { _ = levels.intern($0) }
                return
            }
        }
        guard let o = other.codes else {
            codes = nil
            return
        }
        codes!.reserveCapacity(codes!.count + o.count)
        for code in o { codes!.append(code == RawTable.missingCode ? code : renumber[Int(code)]) }
    }
}

extension CSVReader {
    /// The offset just after the first line feed at or after `offset`, or
    /// nil when there is none within 1 MiB (or the file cannot be read).
    static func lineStart(path: String, atOrAfter offset: Int) -> Int? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let window = 64 << 10
        var buffer = [UInt8](repeating: 0, count: window)
        var at = offset
        while at - offset < 1 << 20 {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, window, off_t(at)) }
            guard n > 0 else { return nil }
            if let i = buffer[0..<n].firstIndex(of: 0x0A) { return at + i + 1 }
            at += n
        }
        return nil
    }
}

/// A value handed to exactly one other thread.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
