/// Which values of the outcome column mean won and lost: the one outcome
/// parser of LeadScore, used by training and by every reader of labelled
/// leads (`LabelledLeads`: evaluation, validation, the points export).
public struct TargetSpec: Codable, Sendable, Equatable {
    public var column: String
    /// Values (trimmed) that mean won; compared case-sensitively.
    public var positive: [String]
    /// Values that mean lost. When empty, every present value that is not
    /// positive means lost.
    public var negative: [String]
    /// A column that says whether the deal is closed (Salesforce's
    /// `IsClosed`), for an outcome column that cannot say "open" itself
    /// (`IsWon` is false for open deals as well as lost ones): a row whose
    /// value there is not true is open, left out, whatever its outcome.
    /// nil (absent from the model card, format 6 when present): the
    /// outcome column alone decides.
    public var closedColumn: String? = nil

    public init(column: String, positive: [String], negative: [String], closedColumn: String? = nil) {
        self.column = column
        self.positive = positive
        self.negative = negative
        self.closedColumn = closedColumn
    }

    /// 1 for won, 0 for lost, nil for missing or open (neither).
    public func label(_ value: String?) -> Double? {
        guard let value else { return nil }
        if positive.contains(value) { return 1 }
        if negative.isEmpty || negative.contains(value) { return 0 }
        return nil
    }

    /// Whether a row is an open deal by its value of `closedColumn`
    /// (present and trimmed): not true, or missing. Always false without a
    /// closed column.
    public func isOpen(closed: String?) -> Bool {
        guard closedColumn != nil else { return false }
        return closed.flatMap(ValueParser.boolean) != true
    }

    /// The outcome of a row, as `label`, given its value of `closedColumn`
    /// (present and trimmed; ignored without one): nil for an open deal
    /// (`isOpen`). Refused at `location` (the row's file and line): a
    /// closed value that is not a boolean, and a deal won but not closed,
    /// which a CRM does not record.
    public func label(_ value: String?, closed: String?, at location: InputLocation) throws(InputError) -> Double? {
        guard let closedColumn else { return label(value) }
        var at = location
        at.column = closedColumn
        at.value = closed
        if let closed, ValueParser.boolean(closed) == nil {
            throw InputError(
                .invalidValue, at: at, "the column that says whether a deal is closed must hold true or false (TRUE/FALSE, 1/0, Yes/No), and this value is neither.",
                remedy: "Fix the value, or name the right column with \(OptionKey.closedColumn.mention).")
        }
        let outcome = label(value)
        guard isOpen(closed: closed) else { return outcome }
        if outcome == 1 {
            throw InputError(
                .invalidValue, at: at, "this deal is won (\"\(column)\" is \"\(value ?? "")\") but not closed, which cannot be: a won deal is closed.",
                remedy: "Fix the row, or check that \(OptionKey.closedColumn.mention) names the column that says whether a deal is closed.")
        }
        return nil
    }

    /// The names (lowercased, without spaces and underscores) of outcome
    /// columns that are false for open deals as well as lost ones
    /// (Salesforce's `IsWon`), and of the columns that then say whether a
    /// deal is closed (`IsClosed`).
    static let wonFlagNames: Set<String> = ["iswon", "won"]
    static let closedFlagNames: Set<String> = ["isclosed", "closed"]

    /// A column name lowercased, without spaces and underscores: "Is Won",
    /// "IsWon" and "is_won" are all "iswon".
    public static func normalized(_ name: String) -> String {
        String(name.lowercased().filter { $0 != " " && $0 != "_" })
    }

    /// The closed column (`closedColumn`) the outcome column `target` goes
    /// with by name: for an outcome named IsWon, Is Won or Won, the first
    /// column of `header` named IsClosed, Is Closed or Closed; nil for any
    /// other outcome, or when there is none. (Training also requires its
    /// values to be booleans.)
    public static func closedColumn(for target: String, header: [String]) -> String? {
        guard wonFlagNames.contains(normalized(target)) else { return nil }
        return header.first { closedFlagNames.contains(normalized($0)) }
    }

    /// The won and lost values of an outcome column, from the distinct
    /// present values it holds (`values`) and what was given:
    /// - `positive` given: those are won; lost are `negative`, else the
    ///   other values that contain the word "lost", else the one other
    ///   value;
    /// - all values boolean spellings (Yes/No, 1/0, TRUE/FALSE): the true
    ///   ones won, the false ones lost;
    /// - otherwise values containing the word "won" are won, those
    ///   containing "lost" are lost, or the one other value is (HubSpot's
    ///   `closedwon` and `closedlost` are read as "closed won" and "closed
    ///   lost").
    /// Other values are open deals, left out. Refused: a given value that
    /// never occurs, no won value, and several non-won values none of which
    /// says "lost" (lost and open deals cannot be told apart).
    public static func infer(column: String, values levels: [String], positive: [String]?, negative: [String]?, file: String) throws(InputError) -> TargetSpec {
        if let positive {
            for v in positive + (negative ?? []) where !levels.contains(v) {
                throw valueNeverOccurs(v, file: file, column: column, values: levels)
            }
            var negative = negative ?? []
            if negative.isEmpty {
                let others = levels.filter { !positive.contains($0) }
                let lost = others.filter { hasWord($0, "lost") }
                if !lost.isEmpty {
                    negative = lost
                } else if others.count > 1 {
                    throw ambiguousLost(file: file, column: column, others: others)
                }
            }
            return TargetSpec(column: column, positive: positive, negative: negative)
        }
        if levels.allSatisfy({ ValueParser.boolean($0) != nil }) {
            return TargetSpec(
                column: column, positive: levels.filter { ValueParser.boolean($0) == true }, negative: levels.filter { ValueParser.boolean($0) == false })
        }
        let won = levels.filter { hasWord($0, "won") }
        var lost = levels.filter { hasWord($0, "lost") }
        guard !won.isEmpty else {
            throw InputError(
                .badConfiguration, at: InputLocation(file: file, column: column),
                "cannot tell which values of the outcome column mean won (values: \(levels.prefix(10).map { "\"\($0)\"" }.joined(separator: ", "))).",
                remedy: "Pass \(OptionKey.positive.mention) with the value that means won, e.g. \(OptionKey.positive.mention) \"Closed Won\".")
        }
        if lost.isEmpty {
            let others = levels.filter { !won.contains($0) }
            if others.count > 1 { throw ambiguousLost(file: file, column: column, others: others) }
            lost = others
        }
        return TargetSpec(column: column, positive: won, negative: lost)
    }

    /// A won or lost value given that the column never holds.
    static func valueNeverOccurs(_ value: String, file: String, column: String, values: [String]) -> InputError {
        InputError(
            .badConfiguration, at: InputLocation(file: file, column: column, value: value),
            "this value was given as an outcome value but never occurs in the column.",
            remedy: "Use one of: \(values.prefix(20).map { "\"\($0)\"" }.joined(separator: ", ")).")
    }

    /// An outcome column with more distinct values than `limit`.
    static func tooManyValues(file: String, column: String, limit: Int) -> InputError {
        InputError(
            .invalidValue, at: InputLocation(file: file, column: column),
            "the outcome column has more than \(limit) distinct values; it does not look like won/lost.",
            remedy: "Check \(OptionKey.target.mention); the outcome column should hold values such as 1/0 or Closed Won/Closed Lost.")
    }

    /// Several non-won values and none says "lost": which are lost deals
    /// and which are still open cannot be guessed.
    static func ambiguousLost(file: String, column: String, others: [String]) -> InputError {
        InputError(
            .badConfiguration, at: InputLocation(file: file, column: column),
            "the outcome column has several values besides won (\(others.prefix(12).map { "\"\($0)\"" }.joined(separator: ", "))), and it cannot tell which mean lost and which are still open.",
            remedy: "Name the lost values with \(OptionKey.negative.mention) (repeatable); rows with any other value are left out as open.")
    }

    /// Whether `s` has `word` among its words (letters only, any case),
    /// "closed" and the word written as one (HubSpot's `closedwon`) too.
    static func hasWord(_ s: String, _ word: String) -> Bool {
        s.lowercased().split(whereSeparator: { !$0.isLetter }).contains { $0 == word || $0 == "closed" + word }
    }
}
