import LeadScoreCSV

/// LeadScore's reader, creating a String per field (what callers do).
func leadScoreStrings(_ path: String) throws -> Pass {
    let reader = try CSVReader(path: path)
    var pass = Pass()
    while try reader.nextRecord() {
        pass.rows += 1
        for i in 0..<reader.fieldCount { pass.fieldBytes += reader.field(i).utf8.count }
    }
    return pass
}

/// LeadScore's reader, looking at field bytes without creating Strings.
func leadScoreBytes(_ path: String) throws -> Pass {
    let reader = try CSVReader(path: path)
    var pass = Pass()
    while try reader.nextRecord() {
        pass.rows += 1
        for i in 0..<reader.fieldCount { pass.fieldBytes += reader.withFieldBytes(i) { $0.count } }
    }
    return pass
}
