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
        public internal(set) var numbers: [Double]?
        /// Values as days since 1970-01-01, `Int.min` where missing; nil once
        /// a present value failed to parse as a date.
        public internal(set) var days: [Int]?
        /// Dictionary codes into `levels`, `RawTable.missingCode` where
        /// missing; nil once the column had more than the cap of distinct
        /// values.
        public internal(set) var codes: [UInt32]?
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
        var lookup: [String: UInt32] = [:]
    }

    public static let missingCode = UInt32.max

    public let file: String
    public var columns: [Column]
    public private(set) var rowCount = 0
    /// The physical line on which each row starts, for error messages.
    public private(set) var lines: [Int32] = []
    /// How many rows had a value equal to "Select" (a common CRM drop-down
    /// placeholder) in each column, to suggest marking it as missing.
    public private(set) var selectCounts: [Int]

    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// Reads `path`. `levelCap(name)` is the number of distinct values a
    /// column may have before its text representation is dropped.
    public static func read(
        path: String, parser: ValueParser, levelCap: (String) -> Int,
        progress: ((Int, Int) -> Void)? = nil
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
        var seen = Set<String>()
        for (i, name) in header.enumerated() where !seen.insert(name).inserted {
            throw InputError(
                .malformedCSV, at: InputLocation(file: path, line: 1, column: "#\(i + 1)", value: name),
                "the column name \"\(name)\" appears twice in the header.",
                remedy: "Rename one of the two columns so that every name is unique.")
        }
        var table = RawTable(
            file: path,
            columns: header.enumerated().map { i, name in
                Column(name: name, position: i + 1, numbers: [], days: [], codes: [])
            },
            selectCounts: [Int](repeating: 0, count: header.count))
        let caps = header.map(levelCap)
        var lastReport = 0
        while try reader.nextRecord() {
            if let t = trailingUnnamed, !reader.field(t).isEmpty {
                throw InputError(
                    .malformedCSV, at: InputLocation(file: path, line: reader.recordLine, column: "#\(t + 1)", value: reader.field(t)),
                    "this line has a value in the unnamed last column.",
                    remedy: "Name the last column in the header, or remove the extra value (check for an unquoted delimiter).")
            }
            let line = reader.recordLine
            for c in 0..<header.count {
                let raw = reader.field(c)
                table.columns[c].append(raw, parser: parser, cap: caps[c], line: line)
                if raw == "Select" { table.selectCounts[c] += 1 }
            }
            table.lines.append(Int32(clamping: line))
            table.rowCount += 1
            if let progress, table.rowCount - lastReport >= 65536 {
                lastReport = table.rowCount
                progress(table.rowCount, reader.bytesConsumed)
            }
        }
        return table
    }

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

extension RawTable.Column {
    mutating func append(_ raw: String, parser: ValueParser, cap: Int, line: Int) {
        guard let value = parser.present(raw) else {
            missingCount += 1
            numbers?.append(.nan)
            days?.append(Int.min)
            codes?.append(RawTable.missingCode)
            return
        }
        if numbers != nil || firstNonNumber == nil || numericCount > 0 {
            if let v = ValueParser.number(value) {
                numbers?.append(v)
                numericCount += 1
            } else if firstNonNumber == nil {
                numbers = nil
                firstNonNumber = (value, line)
            }
        }
        if days != nil || dateCount > 0 {
            if let d = ValueParser.isoDate(value) {
                days?.append(d)
                dateCount += 1
            } else if firstNonDate == nil {
                days = nil
                firstNonDate = (value, line)
            }
        }
        if codes != nil {
            if let code = lookup[value] {
                codes!.append(code)
            } else if levels.count < cap {
                let code = UInt32(levels.count)
                lookup[value] = code
                levels.append(value)
                codes!.append(code)
            } else {
                codes = nil
                lookup = [:]
                // Keep counting distinct values no further: the column is
                // high-cardinality text (or a continuous number).
                levels.append(value)
            }
        }
    }
}
