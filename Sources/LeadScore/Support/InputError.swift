/// Where in a user's input file something went wrong.
///
/// `line` is the 1-based physical line of the file (the header is line 1; a
/// quoted field with embedded newlines spans several lines, and a record is
/// located by the line it starts on). `column` is the column's header name
/// when it is known, else its 1-based position written as `#3`.
public struct InputLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: String?
    public var value: String?

    public init(file: String, line: Int? = nil, column: String? = nil, value: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.value = value
    }

    /// `Leads.csv, line 12, column "TotalVisits", value "abc"`.
    public var description: String {
        var parts = [file]
        if let line { parts.append("line \(line)") }
        if let column { parts.append("column \"\(column)\"") }
        if let value { parts.append("value \"\(value.count > 60 ? String(value.prefix(60)) + "…" : value)\"") }
        return parts.joined(separator: ", ")
    }
}

/// A failure caused by the user's input or options, with what went wrong,
/// where, and what to do about it. Every such failure the library can meet
/// is one of these cases; the command-line tool prints `description` and
/// exits with status 1.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case malformedCSV
        case invalidValue
        case missingColumn
        case badConfiguration
        case badModel
        case unsupportedModelVersion
        /// A model card whose content does not match its checksum.
        case editedModel
        case noTrainingData
        case singleClass
        case separation
        case collinearity
        case leakage
        case io
    }

    public var kind: Kind
    public var location: InputLocation?
    /// What went wrong, one sentence.
    public var problem: String
    /// What the user can do about it, one sentence.
    public var remedy: String

    public init(_ kind: Kind, at location: InputLocation? = nil, _ problem: String, remedy: String) {
        self.kind = kind
        self.location = location
        self.problem = problem
        self.remedy = remedy
    }

    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += problem
        if !remedy.isEmpty { text += "\n  What to do: " + remedy }
        return text
    }
}
