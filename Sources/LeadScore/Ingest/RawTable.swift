import Foundation

/// A training CSV read in one streaming pass into typed columns.
///
/// Each column is kept in every representation it still qualifies for:
/// as numbers (while every present value parses as one), as ISO dates
/// (likewise), and dictionary-encoded as text (while it has at most
/// `levelCap` distinct values). The schema inference then picks one, so the
/// file is read once and never held as strings.
public struct RawTable: Sendable {
    public struct Column: Sendable {
        public let name: String
        /// 1-based position in the file.
        public let position: Int
        /// Values as numbers, NaN where missing; nil once a present value
        /// failed to parse as a number.
        public internal(set) var numbers: ColumnValues<Double>?
        /// Values as days since 1970-01-01, `Int.min` where missing; nil once
        /// a present value failed to parse as a date.
        public internal(set) var days: ColumnValues<Int>?
        /// Dictionary codes into `levels`, `RawTable.missingCode` where
        /// missing; nil once the column had more than the cap of distinct
        /// values.
        public internal(set) var codes: ColumnValues<UInt32>?
        public internal(set) var levels: [String] = []
        public internal(set) var missingCount = 0
        /// The first present value that was not a number, and its line.
        public internal(set) var firstNonNumber: (value: String, line: Int)?
        /// The first present value that was not an ISO date, and its line.
        public internal(set) var firstNonDate: (value: String, line: Int)?
        /// How many present values parse as numbers, and as dates.
        public internal(set) var numericCount = 0
        public internal(set) var dateCount = 0
        /// How many distinct present values were seen (exact while `codes`
        /// is kept, a lower bound after).
        public var distinctCount: Int { levels.count }
        /// The fields of dates written month first or day first
        /// (`FieldParser.dateFields`), `DateFields.missing` where missing;
        /// nil once a present value was not written so. Read into `days`
        /// once the column's order is decided (`resolveDates`).
        public internal(set) var dateFields: ColumnValues<Int32>?
        /// The first present value that was not written so, and its line.
        public internal(set) var firstNonDateFields: (value: String, line: Int)?
        /// What the fields say of the column's format.
        public internal(set) var dateEvidence = DateEvidence()
        /// The values read as amounts, for a column whose values are not
        /// all plain numbers (`RawTable.Amounts`).
        public internal(set) var amounts = Amounts()
        /// The format `days` was read in, when not ISO 8601
        /// (`resolveDates`), and the format and currency of `numbers` read
        /// as amounts (`resolveAmounts`, or given to `read`); the model
        /// card records them on the column's encoder.
        public internal(set) var dateFormat: DateFormat?
        public internal(set) var amountFormat: AmountFormat?
        public internal(set) var currency: Currency?
    }

    public static let missingCode = UInt32.max

    public let file: String
    public var columns: [Column]
    public internal(set) var rowCount = 0
    /// The physical line on which each row starts, for error messages.
    public internal(set) var lines = ColumnValues<Int32>([])
    /// How many rows had a value equal to "Select" (a common CRM drop-down
    /// placeholder) in each column, to suggest marking it as missing.
    public internal(set) var selectCounts: [Int]

    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// Reads `path`. `levelCap(name)` is the number of distinct values a
    /// column may have before its text representation is dropped.
    ///
    /// A regular file of more than a few megabytes is read in parallel, one
    /// part per core: the file is cut at line breaks, each part is parsed on
    /// its own thread with its own dictionaries, and the parts are joined in
    /// file order (codes renumbered so that levels keep their order of first
    /// appearance). The cuts, and the repair of a cut that fell inside a
    /// quoted field, are `CSVSegments`'. The table, its line numbers and its
    /// errors are the same as a single-threaded read's (`RawTableTests`
    /// compares them).
    ///
    /// `amountFormats` names columns whose values are amounts in a given
    /// format (`TrainingConfiguration.amountFormats`): their `numbers` are
    /// read as such (`FieldParser.amount`) rather than as plain numbers.
    public static func read(
        path: String, parser: ValueParser, levelCap: (String) -> Int, amountFormats: [String: AmountFormat] = [:],
        progress: ((Int, Int) -> Void)? = nil, parts requested: Int? = nil, storage: TableStorage = .memory
    ) throws(InputError) -> RawTable {
        let reader = try CSVReader(path: path)
        var header = reader.header
        // A trailing unnamed column (every line ends with the delimiter) is
        // dropped if it stays empty; a named check below enforces that.
        let trailingUnnamed = header.last == "" ? header.count - 1 : nil
        if trailingUnnamed != nil { header.removeLast() }
        for (i, name) in header.enumerated() where ValueParser.trim(name).isEmpty {
            throw InputError(
                .malformedCSV, at: InputLocation(file: path, line: 1, column: "#\(i + 1)"),
                "column \(i + 1) has no name in the header.",
                remedy: "Give every column a name in the first line of the file.")
        }
        // Names are unique: `CSVReader` refuses repeated ones.
        let job = PartReader(
            path: path, columns: header.count, trailingUnnamed: trailingUnnamed, caps: header.map(levelCap),
            amountFormats: header.map { amountFormats[$0] }, fields: FieldParser(parser), progress: progress, storage: storage)

        // One segment per core (`CSVSegments`), each of at least `minimumPartBytes`.
        let wanted = requested ?? min(8, ProcessInfo.processInfo.activeProcessorCount)
        let segments = CSVSegments(reader: reader) { dataStart, size in
            CSVSegments.shares(requested ?? min(wanted, (size - dataStart) / minimumPartBytes))(dataStart, size)
        }
        let count = segments.count
        reader.limit = segments.limit(0)
        let firstReader = UncheckedSendable(reader)

        // Read the segments: the first with the header's reader (its lines
        // are the file's), the others speculatively with lines counted from 1.
        let results = PartResults(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { k in
            results.store(k) { () throws(InputError) in
                // The first part's reader is used by this thread only.
                if k == 0 { return try job.read(firstReader.value) }
                return try job.read(try segments.speculativeReader(k))
            }
        }

        // Join them in file order, reading again a segment whose cut fell
        // inside a quoted field (or whose read failed) from where the one
        // before stopped, with the file's line numbers.
        var parts = [try results.take(0).get()]
        for k in 1..<count {
            let joined = parts[k - 1]
            let speculative = try? results.take(k).get()
            var (part, reread) = try segments.settle(
                k, speculative: speculative, firstOffset: speculative?.firstOffset ?? -1, after: (joined.stopOffset, joined.stopLine)
            ) { (reader) throws(InputError) in try job.read(reader) }
            if !reread { part.shiftLines(by: joined.stopLine - part.firstLine) }
            parts.append(part)
        }
        return try Part.table(&parts, file: path, names: header, caps: job.caps, storage: storage)
    }

    /// About the memory the table of `path` takes when read into memory:
    /// rows × (12 bytes × columns + 4), a number or a date and a dictionary
    /// code per cell and a line number per row, with the rows estimated
    /// from the file's size and its first MiB. nil for standard input, a
    /// pipe or a file that cannot be read.
    public static func estimatedBytes(path: String) -> Int? {
        guard let size = FileDigest.size(path: path), let reader = try? CSVReader(path: path) else { return nil }
        let start = reader.bytesConsumed
        var rows = 0
        while reader.bytesConsumed - start < 1 << 20, (try? reader.nextRecord()) == true { rows += 1 }
        let sampled = reader.bytesConsumed - start
        let estimatedRows = sampled > 0 ? Int((Double(rows) * Double(size - start) / Double(sampled)).rounded(.up)) : rows
        return estimatedRows * (12 * reader.header.count + 4)
    }

    /// Files smaller than this per core are read on one thread.
    static let minimumPartBytes = 4 << 20

    public func line(ofRow row: Int) -> Int { Int(lines[row]) }

    /// The text of a cell as read (after trimming), or nil when missing.
    /// Available while the column keeps its text representation or numbers.
    public func text(column c: Int, row: Int) -> String? {
        let col = columns[c]
        if let codes = col.codes {
            let code = codes[row]
            return code == RawTable.missingCode ? nil : col.levels[Int(code)]
        }
        if let numbers = col.numbers { return numbers[row].isNaN ? nil : ModelNumber.text(numbers[row]) }
        if let days = col.days { return days[row] == Int.min ? nil : ValueParser.isoDateString(days: days[row]) }
        return nil
    }
}

