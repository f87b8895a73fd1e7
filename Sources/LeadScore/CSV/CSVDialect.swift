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
