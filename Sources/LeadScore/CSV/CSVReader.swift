#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming reader of RFC 4180 CSV files, as exported by CRMs and
/// spreadsheets.
///
/// The file is read through a fixed 1 MiB buffer, never whole: memory is that
/// buffer plus the largest record, however large the file is. `path == "-"`
/// reads standard input.
///
/// Format accepted:
/// - Encoding: UTF-8, with or without a byte order mark (which is dropped).
///   A field that is not valid UTF-8 is an error naming its line and column.
/// - Delimiter: comma, semicolon or tab, detected from the header line unless
///   given: the one occurring most often outside double quotes wins; on a
///   tie, or with none, comma (then semicolon) is preferred.
/// - Quoting: a field starting with `"` is quoted: it may contain the
///   delimiter, line breaks and doubled quotes (`""` stands for one `"`), and
///   must end with a `"` followed by the delimiter, a line break or the end of
///   the file. Anything else after the closing quote is an error, as is a
///   quote left open at the end of the file. A `"` that is not at the start
///   of a field is kept literally (`ab"c` reads as `ab"c`), as Excel does;
///   so is leading whitespace before a quote (` "x"` reads as ` "x"`).
/// - Records end with LF, CRLF or a lone CR; the last one may lack a line
///   break. A completely empty line (nothing between two line breaks outside
///   quotes) is skipped wherever it occurs, even before the header; a line holding
///   only spaces or delimiters is a record. (So in a one-column file an empty
///   value must be written as `""`, which `CSVWriter` does.)
/// - The first non-blank line is the header; its names are kept exactly,
///   including an empty last name when every line ends with the delimiter.
///   A name may not occur twice (`checkUniqueNames`).
/// - A file whose header and first lines fit another delimiter (comma,
///   semicolon, tab or `|`) better than the detected one is refused,
///   naming it (`DelimiterSniffer`).
///   Every record must have exactly as many fields as the header.
///
/// Line numbers are 1-based physical lines of the file: the header is line 1
/// (unless blank lines precede it), a quoted field containing line breaks
/// spans several lines, and a record is located by the line it starts on.
/// LF, CRLF and lone CR each end one line. Errors about a whole record or a
/// field's value name the line the record starts on; errors about quoting
/// name the line where the quoted field starts. Columns are named by their
/// header name, or `#n` (1-based) when the name is empty or unknown.
///
/// After `nextRecord()` throws, the reader should not be used further.
public final class CSVReader {
    /// The path as given ("-" for standard input); used in error locations.
    public let path: String
    /// The delimiter byte in use (given or detected).
    public let delimiter: UInt8
    /// The column names from the header line, exactly as written.
    public let header: [String]
    /// The size of the input in bytes, when it is a regular file.
    public let fileSize: Int?
    // `@exclusivity(unchecked)`: these are written on every record, and
    // a public class's stored properties are otherwise checked for
    // overlapping access at run time on each write. Only `nextRecord()`
    // writes them.

    /// The physical line where the current record starts (the header's line
    /// before the first `nextRecord()`).
    @exclusivity(unchecked) public private(set) var recordLine: Int
    /// How many data records have been read (1 for the first).
    @exclusivity(unchecked) public private(set) var recordNumber: Int = 0
    /// How many bytes of the input have been parsed, for progress reports.
    @exclusivity(unchecked) public private(set) var bytesConsumed: Int

    @usableFromInline let scanner: CSVScanner

    /// Opens the file (or standard input for "-"), drops a byte order mark,
    /// detects the delimiter unless given, and reads the header.
    public convenience init(path: String, delimiter: UInt8? = nil) throws(InputError) {
        try self.init(path: path, delimiter: delimiter, bufferSize: 1 << 20)
    }

    /// `bufferSize` is how many bytes each `read(2)` asks for; tests make it
    /// tiny to put buffer boundaries everywhere.
    init(path: String, delimiter: UInt8?, bufferSize: Int) throws(InputError) {
        let scanner = try CSVScanner(path: path, chunkSize: max(1, bufferSize))
        self.delimiter = try scanner.start(delimiter: delimiter)
        header = try scanner.readHeader()
        try CSVReader.checkUniqueNames(header, path: path)
        self.scanner = scanner
        self.path = path
        fileSize = scanner.fileSize
        recordLine = scanner.recordLine
        bytesConsumed = scanner.bytesConsumed
    }

    /// Refuses a header that names a column more than once, naming every
    /// repeated name with its 1-based positions: which of two "Amount"
    /// columns a model or rule means cannot be told, so no reader (train,
    /// score, evaluate, export, rules) picks one. Empty names are left to
    /// the readers that need names.
    static func checkUniqueNames(_ header: [String], path: String) throws(InputError) {
        var positions: [String: [Int]] = [:]
        var order: [String] = []
        for (i, name) in header.enumerated() where !name.isEmpty {
            if positions[name] == nil { order.append(name) }
            positions[name, default: []].append(i + 1)
        }
        let repeated = order.filter { positions[$0]!.count > 1 }
        guard let first = repeated.first else { return }
        func list(_ p: [Int]) -> String { p.dropLast().map(String.init).joined(separator: ", ") + " and \(p.last!)" }
        let names = repeated.map { "\"\($0)\" (columns \(list(positions[$0]!)))" }.joined(separator: ", ")
        throw InputError(
            .malformedCSV, at: InputLocation(file: path, line: 1, column: first),
            "the header names \(repeated.count == 1 ? "a column" : "\(repeated.count) columns") more than once: \(names).",
            remedy: "Rename or remove the repeated columns in the export so that every name is unique; which one a model or rule means cannot be told.")
    }

    /// A reader of the records that start in `offset ..< limit` of a file
    /// whose header another reader has read: one part of a file read in
    /// parallel. `offset` must be where a record (or a blank line) starts;
    /// lines are counted from `line`. Reading stops, returning false, at the
    /// first record that starts at or after `limit`; `stopOffset` is then
    /// that record's offset.
    init(path: String, delimiter: UInt8, header: [String], offset: Int, line: Int, limit: Int) throws(InputError) {
        let scanner = try CSVScanner(path: path, chunkSize: 1 << 20)
        try scanner.seek(to: offset, line: line, delimiter: delimiter, header: header)
        scanner.limit = limit
        self.scanner = scanner
        self.path = path
        self.delimiter = delimiter
        self.header = header
        fileSize = scanner.fileSize
        recordLine = line
        bytesConsumed = offset
    }

    /// Records starting at or after this byte offset are not read (see the
    /// ranged initialiser); `Int.max` reads to the end.
    var limit: Int {
        get { scanner.limit }
        set { scanner.limit = newValue }
    }

    /// The byte offset where the current record starts.
    var recordOffset: Int { scanner.recordOffset }

    /// After `nextRecord()` returned false: the offset of the first record
    /// at or after `limit`, or the file's size at its end.
    var stopOffset: Int { scanner.recordOffset }

    /// The physical line the reader has reached: after `nextRecord()`
    /// returned false at `limit`, the line of the record there.
    var currentLine: Int { scanner.currentLine }

    /// Advances to the next record; false at end of file.
    ///
    /// Throws `.malformedCSV` when the record does not have `header.count`
    /// fields, has a quoting error or a field that is not UTF-8, and `.io`
    /// when the file cannot be read.
    public func nextRecord() throws(InputError) -> Bool {
        let more = try scanner.next(expectedCount: header.count)
        bytesConsumed = scanner.bytesConsumed
        guard more else { return false }
        recordNumber += 1
        recordLine = scanner.recordLine
        return true
    }

    /// The number of fields in the current record: `header.count` after a
    /// successful `nextRecord()`, 0 after the end of the file.
    public var fieldCount: Int { scanner.fieldCount }

    /// Field `i` of the current record, unescaped (`0 ..< fieldCount`).
    public func field(_ i: Int) -> String {
        scanner.withFieldBytes(i) { String(decoding: $0, as: UTF8.self) }
    }

    /// The unescaped UTF-8 bytes of field `i`, without copying. The buffer is
    /// only valid inside `body`.
    @inlinable
    public func withFieldBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try scanner.withFieldBytes(i, body)
    }
}
