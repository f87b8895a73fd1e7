/// The byte values and delimiter rules shared by `CSVReader` and `CSVWriter`.
///
/// Only single-byte ASCII delimiters are supported; comma, semicolon and tab
/// are the ones detected automatically (those are what HubSpot, Salesforce
/// and Excel in various locales export).
enum CSVDialect {
    static let quote: UInt8 = 0x22  // "
    static let comma: UInt8 = 0x2C  // ,
    static let semicolon: UInt8 = 0x3B  // ;
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    /// A delimiter must be one ASCII byte that is not a quote or a line break.
    static func isValidDelimiter(_ byte: UInt8) -> Bool {
        byte < 0x80 && byte != quote && byte != lf && byte != cr
    }

    /// How the delimiter is named in messages: "comma", "semicolon", "tab",
    /// or the character in quotes.
    static func name(of delimiter: UInt8) -> String {
        switch delimiter {
        case comma: return "comma"
        case semicolon: return "semicolon"
        case tab: return "tab"
        default: return "\"\(Character(Unicode.Scalar(delimiter)))\""
        }
    }

    /// When a header reads as a single column although more were expected,
    /// the sentence that says so: the usual cause of "the file has no
    /// column X" is a file whose delimiter is none of comma, semicolon and
    /// tab (spaces, fixed width). nil for a header of several columns.
    static func oneColumnHint(header: [String]) -> String? {
        guard header.count == 1, let only = header.first else { return nil }
        let shown = only.count > 60 ? String(only.prefix(60)) + "…" : only
        return "The header line reads as one column (\"\(shown)\"): the file seems to separate its fields with something other than a comma, semicolon or tab; export it again as CSV with one of those."
    }
}

/// Counts candidate delimiters in a header line, outside double quotes.
///
/// Rule: the most frequent of comma, semicolon and tab wins; on a tie the
/// earlier of comma, semicolon, tab wins, and with none at all (a
/// one-column file) the delimiter is a comma. A quote toggles "inside
/// quotes", which also handles doubled quotes (`""` toggles twice). The scan
/// stops at the first CR or LF outside quotes. It can be fed the line in
/// pieces.
struct DelimiterCounter {
    private(set) var comma = 0
    private(set) var semicolon = 0
    private(set) var tab = 0
    private var insideQuotes = false

    /// Scans `bytes`; returns true when the header line ended inside them.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes {
            if byte == CSVDialect.quote {
                insideQuotes.toggle()
            } else if !insideQuotes {
                switch byte {
                case CSVDialect.comma: comma += 1
                case CSVDialect.semicolon: semicolon += 1
                case CSVDialect.tab: tab += 1
                case CSVDialect.lf, CSVDialect.cr: return true
                default: break
                }
            }
        }
        return false
    }

    var best: UInt8 {
        var best = CSVDialect.comma, count = comma
        if semicolon > count { best = CSVDialect.semicolon; count = semicolon }
        if tab > count { best = CSVDialect.tab }
        return best
    }
}

/// Which delimiter the start of a file seems to use, to explain a file
/// read with the wrong one ("line 5 has 2 fields", a header read as one
/// column) by the delimiter it has instead.
///
/// Each candidate (comma, semicolon, tab, `|`) splits the first few
/// records (the header and up to `lines` more, from the first 64 KiB) by
/// the reader's rules: a field starting with a double quote runs to the
/// closing quote (`""` inside stands for one), line breaks inside quotes
/// belong to the field, empty lines are skipped. A candidate fits when it
/// splits every one of those records into the same number of fields, at
/// least two. A delimiter "does not fit" when the header is one field, or
/// the records have different numbers of fields.
struct DelimiterSniffer {
    static let candidates: [UInt8] = [CSVDialect.comma, CSVDialect.semicolon, CSVDialect.tab, UInt8(ascii: "|")]
    static let lines = 5
    static let sniffBytes = 1 << 16

    /// How many fields each record has with `delimiter`, for the header and
    /// up to `lines` records after it. A record cut off by the end of
    /// `bytes` (when `complete` is false) is not counted.
    static func fieldCounts(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, complete: Bool) -> [Int] {
        var counts: [Int] = []
        var i = 0, fields = 1, atFieldStart = true, quoted = false, empty = true
        let n = bytes.count
        while i < n && counts.count <= lines {
            let c = bytes[i]
            if quoted {
                if c == CSVDialect.quote {
                    if i + 1 < n && bytes[i + 1] == CSVDialect.quote { i += 1 } else { quoted = false }
                }
            } else if c == CSVDialect.lf || c == CSVDialect.cr {
                if !empty { counts.append(fields) }
                fields = 1
                atFieldStart = true
                empty = true
                i += 1
                continue
            } else if c == delimiter {
                fields += 1
                atFieldStart = true
                empty = false
                i += 1
                continue
            } else if c == CSVDialect.quote && atFieldStart {
                quoted = true
            }
            atFieldStart = false
            empty = false
            i += 1
        }
        if i == n && complete && !empty && !quoted && counts.count <= lines { counts.append(fields) }
        return counts
    }

    /// Whether `counts` are the same for every record, and at least two.
    static func fits(_ counts: [Int]) -> Bool {
        guard let first = counts.first, first >= 2 else { return false }
        return counts.allSatisfy { $0 == first }
    }

    /// The delimiter the file seems to use instead of `used`, with its
    /// number of fields: nil when `used` fits, or no other candidate does.
    static func better(than used: UInt8, in bytes: UnsafeBufferPointer<UInt8>, complete: Bool) -> (delimiter: UInt8, fields: Int)? {
        let usedCounts = fieldCounts(bytes, delimiter: used, complete: complete)
        if fits(usedCounts) || usedCounts.isEmpty { return nil }
        for c in candidates where c != used {
            let counts = fieldCounts(bytes, delimiter: c, complete: complete)
            if fits(counts) { return (c, counts[0]) }
        }
        return nil
    }

    /// The error for a file that seems to use `seeming` where `used` was
    /// detected from its header.
    static func error(path: String, used: UInt8, seeming: (delimiter: UInt8, fields: Int)) -> InputError {
        let name = CSVDialect.name(of: seeming.delimiter)
        let usedName = CSVDialect.name(of: used)
        let detected = candidates.prefix(3).contains(seeming.delimiter)
        return InputError(
            .malformedCSV, at: InputLocation(file: path, line: 1),
            "the file seems to use \(name) as its delimiter (it splits the header and the first lines into \(seeming.fields) fields each), but \(usedName) was taken as the delimiter from the header line.",
            remedy: detected
                ? "The header line holds more \(usedName)s than \(name)s: in the export, put the column names that hold a \(usedName) in double quotes, or take the \(usedName)s out of them."
                : "Export the file again with commas, semicolons or tabs between the fields (the delimiters LeadScore reads).")
    }
}
