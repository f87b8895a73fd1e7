/// How a scores file is written (`ScoringOptions.format`).
public enum ScoresFormat: String, CaseIterable, Sendable {
    /// A header row, then one CSV row per lead (`CSVWriter`).
    case csv
    /// JSON Lines: one JSON object per lead and line, no header. Its keys
    /// are the CSV's columns, in the same order; numbers (probability,
    /// score, sub-scores, points) are JSON numbers with the CSV's digits,
    /// `model_edited` is `true`, text is a JSON string (UTF-8, with `"`,
    /// `\` and control characters escaped), and a field the CSV leaves
    /// empty (a missing reason, no disqualify entry) is `null`.
    case jsonl
}

/// The columns of a scores file, in its format: what every thread writing
/// its rows shares.
struct ScoresLayout: Sendable {
    let format: ScoresFormat
    let columns: [String]
    /// JSON Lines: what goes before each column's value, `{"Deal ID":` for
    /// the first and `,"probability":` for the others (names escaped as
    /// values are).
    let keys: [[UInt8]]

    init(format: ScoresFormat, columns: [String]) {
        self.format = format
        self.columns = columns
        keys = format == .csv ? [] : columns.enumerated().map { k, name in
            var key: [UInt8] = [k == 0 ? 0x7B : 0x2C]
            ScoresLayout.appendJSONString(Array(name.utf8), to: &key)
            key.append(0x3A)
            return key
        }
    }

    /// What goes before a row number put in front of a row afterwards
    /// (`RowNumbers.deferred`): the first key in JSON Lines, nothing in CSV.
    var rowNumberPrefix: [UInt8] { keys.first ?? [] }

    /// Whether `c` must be escaped in a JSON string: `"`, `\` and the
    /// control characters U+0000–U+001F (RFC 8259, section 7). Other bytes,
    /// UTF-8 included, are written as they are.
    @inline(__always)
    static func needsEscape(_ c: UInt8) -> Bool { c < 0x20 || c == 0x22 || c == 0x5C }

    /// The delimiter of a CSV scores file.
    static let delimiter = CSVDialect.comma

    /// Whether `c` is written as it is inside a text field in both
    /// formats: not the delimiter, `"`, `\` or a control character. CSV
    /// quotes a field with the delimiter, `"`, CR or LF
    /// (`CSVWriter.writeField`), JSON escapes `"`, `\` and the control
    /// characters (`needsEscape`); a field with any of them goes through
    /// `text`, which decides.
    @inline(__always)
    static func isPlain(_ c: UInt8) -> Bool { c >= 0x20 && c != 0x22 && c != 0x5C && c != delimiter }

    /// Whether every byte of `bytes` is plain (`isPlain`).
    @inline(__always)
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Counted without a branch per byte.
        var others = 0
        for c in bytes { others &+= isPlain(c) ? 0 : 1 }
        return others == 0
    }

    /// Appends `bytes` as a JSON string, quotes included: `\"`, `\\`, `\n`,
    /// `\r`, `\t`, `\b`, `\f`, and `\u00XX` for the other control
    /// characters.
    static func appendJSONString(_ bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        for c in bytes {
            guard needsEscape(c) else {
                out.append(c)
                continue
            }
            out.append(0x5C)
            switch c {
            case 0x22, 0x5C: out.append(c)
            case 0x0A: out.append(0x6E)
            case 0x0D: out.append(0x72)
            case 0x09: out.append(0x74)
            case 0x08: out.append(0x62)
            case 0x0C: out.append(0x66)
            default:
                let hex = Array("0123456789abcdef".utf8)
                out += [0x75, 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0x0F)]]
            }
        }
        out.append(0x22)
    }
}

/// Writes the rows of a scores file field by field, from bytes, in its
/// format (`ScoresFormat`): the one writer of model and rules scores, on one
/// thread or in segments. Fields are written in the layout's column order;
/// the writer counts them to put each one's delimiter (CSV) or key (JSON
/// Lines) before it.
final class ScoresWriter<Output: CSVOutput> {
    let output: Output
    let layout: ScoresLayout
    private let csv: CSVWriter<Output>
    private let json: Bool
    /// The column of the next field.
    private var column = 0
    /// Escaped text of one JSON string, reused.
    private var scratch: [UInt8] = []

    init(output: Output, layout: ScoresLayout) {
        self.output = output
        self.layout = layout
        csv = CSVWriter(output: output, delimiter: ScoresLayout.delimiter)
        json = layout.format == .jsonl
    }

    /// CSV: the header row. JSON Lines: nothing, each object names its
    /// fields.
    func writeHeader() {
        if !json { csv.writeRow(layout.columns) }
    }

    /// A text field: in CSV quoted when needed; in JSON Lines a string, or
    /// `null` when empty.
    @inline(__always)
    func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        defer { column += 1 }
        guard json else {
            csv.writeField(bytes, separated: column > 0)
            return
        }
        writeKey()
        guard !bytes.isEmpty else {
            appendStatic("null")
            return
        }
        var plain = true
        for c in bytes where ScoresLayout.needsEscape(c) {
            plain = false
            break
        }
        if plain, let source = bytes.baseAddress, bytes.count + 2 < output.bufferCapacity {
            let n = bytes.count
            output.withSpace(n + 2) { target in
                target[0] = 0x22
                (target + 1).update(from: source, count: n)
                target[n + 1] = 0x22
                return n + 2
            }
            return
        }
        scratch.removeAll(keepingCapacity: true)
        ScoresLayout.appendJSONString(bytes, to: &scratch)
        scratch.withUnsafeBufferPointer { output.append($0) }
    }

    /// `count` text fields, one after the other in `bytes`: field f from
    /// `ends[f − 1]` (0 for the first) to `ends[f]`, an empty one left
    /// empty (`null` in JSON Lines). The bytes `text` writes for each;
    /// when `plain` (every byte `ScoresLayout.isPlain`), put straight
    /// into the output in one piece, without looking for anything to quote
    /// or escape.
    func texts(_ bytes: UnsafePointer<UInt8>, ends: UnsafePointer<Int>, count: Int, plain: Bool) {
        guard count > 0 else { return }
        var room = ends[count - 1] + count
        if json { for c in column..<(column + count) { room += layout.keys[c].count + 4 } }
        guard plain, room < output.bufferCapacity else {
            for f in 0..<count {
                let start = f == 0 ? 0 : ends[f - 1]
                text(UnsafeBufferPointer(start: bytes + start, count: ends[f] - start))
            }
            return
        }
        output.withSpace(room) { target in
            var n = 0
            for f in 0..<count {
                let start = f == 0 ? 0 : ends[f - 1]
                let length = ends[f] - start
                if json {
                    layout.keys[column + f].withUnsafeBufferPointer { key in
                        (target + n).update(from: key.baseAddress!, count: key.count)
                        n += key.count
                    }
                    if length == 0 {
                        for c in "null".utf8 {
                            target[n] = c
                            n += 1
                        }
                        continue
                    }
                    target[n] = 0x22
                    (target + n + 1).update(from: bytes + start, count: length)
                    target[n + length + 1] = 0x22
                    n += length + 2
                } else {
                    if column + f > 0 {
                        target[n] = ScoresLayout.delimiter
                        n += 1
                    }
                    (target + n).update(from: bytes + start, count: length)
                    n += length
                }
            }
            return n
        }
        column += count
    }

    func text(_ s: String) {
        var s = s
        s.withUTF8 { text($0) }
    }

    /// A field that needs no quotes in either format (a number, `true`):
    /// the bytes `body` writes, at most `reserve`, and counts.
    @inline(__always)
    func number(reserve: Int = NumberBytes.maximumLength, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        defer { column += 1 }
        if json {
            writeKey()
            output.withSpace(reserve, body)
        } else if column > 0 {
            csv.writeUnquotedField(reserve: reserve, body)
        } else {
            output.withSpace(reserve, body)
        }
    }

    /// A field that needs no quotes, already made into text: a number's,
    /// or `true`.
    func unquoted(_ bytes: [UInt8]) {
        number(reserve: bytes.count) { target in
            for (i, b) in bytes.enumerated() { target[i] = b }
            return bytes.count
        }
    }

    /// Leaves the next field out, to be put in front of the row afterwards
    /// (`RowNumbers.deferred`, after `layout.rowNumberPrefix`).
    func skip() { column += 1 }

    /// Ends the row.
    @inline(__always)
    func endRow() {
        if json { output.append(0x7D) }
        csv.endRow()
        column = 0
    }

    @inline(__always)
    private func writeKey() {
        layout.keys[column].withUnsafeBufferPointer { output.append($0) }
    }

    private func appendStatic(_ s: StaticString) {
        output.append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }
}
