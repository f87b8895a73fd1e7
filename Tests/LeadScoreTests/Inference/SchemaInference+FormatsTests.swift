import XCTest

@testable import LeadScore

/// The format of a column of dates or amounts, decided from all its values
/// or given, and the refusals that name the value that makes it impossible
/// or ambiguous.
final class SchemaInferenceFormatsTests: XCTestCase {
    func table(_ csv: String, amountFormats: [String: AmountFormat] = [:]) throws -> RawTable {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("formats-\(UUID().uuidString).csv")
        try Data(csv.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return try RawTable.read(path: url.path, parser: ValueParser(), levelCap: { _ in 51 }, amountFormats: amountFormats)
    }

    /// A file of `values` in a column "X" beside an outcome, row i with
    /// outcome i % 2.
    func file(_ values: [String]) -> String {
        "X,Converted\n" + values.enumerated().map { "\"\($1)\",\($0 % 2)\n" }.joined()
    }

    func infer(_ values: [String], _ edit: (inout TrainingConfiguration) -> Void = { _ in }) throws -> (RawTable, InferredSchema) {
        var t = try table(file(values))
        var c = TrainingConfiguration()
        edit(&c)
        let s = try SchemaInference.infer(&t, config: c)
        return (t, s)
    }

    func refusal(_ values: [String], _ edit: (inout TrainingConfiguration) -> Void = { _ in }) throws -> InputError {
        do {
            _ = try infer(values, edit)
        } catch let e as InputError {
            return e
        }
        XCTFail("no refusal")
        return InputError(.io, "", remedy: "")
    }

    /// Days from the ISO text, the independent reading.
    func days(_ iso: [String?]) -> [Int] { iso.map { $0.map { ValueParser.isoDate($0)! } ?? Int.min } }

    func testMonthFirstAndDayFirstAreDecidedByTheirValues() throws {
        let (us, s) = try infer(["07/01/2024 10:15", "7/13/2024 9:05 PM", "", "12/31/2025"])
        XCTAssertEqual(s.features.map(\.kind), [.date])
        XCTAssertEqual(us.columns[0].dateFormat, .monthFirst)
        XCTAssertEqual(Array(us.columns[0].days!), days(["2024-07-01", "2024-07-13", nil, "2025-12-31"]))
        XCTAssertTrue(s.notices.contains { $0.contains("\"X\" holds dates written month first (MM/DD/YYYY), as \"7/13/2024 9:05 PM\" on line 3 shows") }, "\(s.notices)")

        let (eu, _) = try infer(["01.07.2024", "13.07.2024", "31.12.2025"])
        XCTAssertEqual(eu.columns[0].dateFormat, .dayFirst)
        XCTAssertEqual(Array(eu.columns[0].days!), days(["2024-07-01", "2024-07-13", "2025-12-31"]))
        // ISO stays ISO, with no format recorded.
        let (iso, _) = try infer(["2024-07-01", "2024-07-13 10:15"])
        XCTAssertNil(iso.columns[0].dateFormat)
        XCTAssertEqual(Array(iso.columns[0].days!), days(["2024-07-01", "2024-07-13"]))
    }

    func testAmbiguousDatesAreRefusedUnlessTheirFormatIsGiven() throws {
        let values = ["04/05/2024", "01/02/2024", "12/12/2024"]
        let e = try refusal(values)
        XCTAssertEqual(e.kind, .badConfiguration)
        XCTAssertEqual(e.location?.value, "04/05/2024")
        XCTAssertTrue(e.remedy.contains("`dateFormats` \"X=MM/DD/YYYY\""), e.remedy)
        let (t, _) = try infer(values) { $0.dateFormats = ["X": .dayFirst] }
        XCTAssertEqual(Array(t.columns[0].days!), days(["2024-05-04", "2024-02-01", "2024-12-12"]))
        // A format given that a value contradicts.
        let wrong = try refusal(["13/05/2024", "01/02/2024"]) { $0.dateFormats = ["X": .monthFirst] }
        XCTAssertEqual(wrong.location?.value, "13/05/2024")
        XCTAssertEqual(wrong.location?.line, 2)
        XCTAssertTrue(wrong.problem.contains("month first (MM/DD/YYYY)"), wrong.problem)
        let notWritten = try refusal(["2024-05-13"]) { $0.dateFormats = ["X": .monthFirst] }
        XCTAssertEqual(notWritten.location?.value, "2024-05-13")
    }

    func testImpossibleAndMixedDatesAreRefusedByName() throws {
        let feb30 = try refusal(["07/13/2024", "02/30/2024", "01/01/2024"])
        XCTAssertEqual(feb30.kind, .invalidValue)
        XCTAssertEqual(feb30.location?.line, 3)
        XCTAssertEqual(feb30.location?.column, "X")
        XCTAssertEqual(feb30.location?.value, "02/30/2024")
        let time = try refusal(["07/13/2024 10:15", "07/14/2024 25:61"])
        XCTAssertEqual(time.location?.value, "07/14/2024 25:61")
        XCTAssertEqual(time.location?.line, 3)
        let mixed = try refusal(["07/13/2024", "01/01/2024", "13/07/2024"])
        XCTAssertEqual(mixed.location?.value, "13/07/2024")
        XCTAssertEqual(mixed.location?.line, 4)
        XCTAssertTrue(mixed.problem.contains("\"07/13/2024\" on line 2"), mixed.problem)
    }

    func testAmountsAreReadInTheFormatTheirValuesDecide() throws {
        let (t, s) = try infer(["$18,111.00", "$950.50", "", "$1,234,567.89", "18111"])
        XCTAssertEqual(s.features.map(\.kind), [.numeric])
        XCTAssertEqual(t.columns[0].amountFormat, .decimalPoint)
        XCTAssertEqual(t.columns[0].currency, Currency("$"))
        XCTAssertEqual(t.columns[0].numbers.map { Array($0).map(\.bitPattern) }, [18111, 950.5, .nan, 1_234_567.89, 18111].map(\.bitPattern))
        XCTAssertTrue(s.notices.contains { $0.contains("\"X\" holds amounts written with a decimal point (1,234.56) in $") }, "\(s.notices)")

        // Plain integers first, then amounts only a decimal comma reads.
        let (eu, _) = try infer(["1200", "18.111,00 €", "1.234 €", "-7,5 €"])
        XCTAssertEqual(eu.columns[0].amountFormat, .decimalComma)
        XCTAssertEqual(eu.columns[0].numbers.map(Array.init), [1200, 18111, 1234, -7.5])
        XCTAssertEqual(eu.columns[0].currency, Currency("€"))

        // Plain numbers need no format.
        let (plain, _) = try infer(["18111.00", "950.5"])
        XCTAssertNil(plain.columns[0].amountFormat)
    }

    func testMixedConventionsCurrenciesAndAmbiguousAmountsAreRefused() throws {
        let mixed = try refusal(["1,234.5", "17", "1.234,5"])
        XCTAssertEqual(mixed.kind, .invalidValue)
        XCTAssertEqual(mixed.location?.value, "1.234,5")
        XCTAssertEqual(mixed.location?.line, 4)
        XCTAssertTrue(mixed.problem.contains("\"1,234.5\" on line 2"), mixed.problem)

        let currencies = try refusal(["USD 5.00", "USD 7.50", "EUR 9.00"])
        XCTAssertEqual(currencies.location?.value, "EUR 9.00")
        XCTAssertTrue(currencies.problem.contains("USD"), currencies.problem)

        // Every mark reads both ways: 1500 or 1.5.
        let ambiguous = try refusal(["$1,500", "$12", "$2,000"])
        XCTAssertEqual(ambiguous.kind, .badConfiguration)
        XCTAssertEqual(ambiguous.location?.value, "$1,500")
        XCTAssertTrue(ambiguous.problem.contains("1500 with a decimal point and as 1.5 with a decimal comma"), ambiguous.problem)
        XCTAssertTrue(ambiguous.remedy.contains("`amountFormats` \"X=1,234.56\""), ambiguous.remedy)
        // Given, read in it.
        var t = try table(file(["$1,500", "$12", "$2,000"]), amountFormats: ["X": .decimalComma])
        var c = TrainingConfiguration()
        c.amountFormats = ["X": .decimalComma]
        _ = try SchemaInference.infer(&t, config: c)
        XCTAssertEqual(t.columns[0].numbers.map(Array.init), [1.5, 12, 2])
        XCTAssertEqual(t.columns[0].amountFormat, .decimalComma)

        // A format given that a value contradicts.
        var u = try table(file(["1,5", "2.5"]), amountFormats: ["X": .decimalComma])
        XCTAssertThrowsError(try SchemaInference.infer(&u, config: c)) { error in
            XCTAssertEqual((error as? InputError)?.location?.value, "2.5")
            XCTAssertEqual((error as? InputError)?.location?.line, 3)
        }
    }

    /// A few formatted values among many plain numbers are slips, refused
    /// as before, not a reason to read the column as amounts.
    func testAFewFormattedValuesInAColumnOfNumbersAreRefusedAsSlips() throws {
        var values = (0..<40).map { "\($0)" }
        values[17] = "$17"
        let e = try refusal(values)
        XCTAssertEqual(e.location?.value, "$17")
        XCTAssertTrue(e.problem.contains("are numbers, but this one is not"), e.problem)
        XCTAssertTrue(e.remedy.contains("`amountFormats` \"X=1,234.56\""), e.remedy)
    }
}

/// The outcome columns of CRM exports found by name, with their companions.
final class SchemaInferenceOutcomeTests: XCTestCase {
    func table(_ csv: String) throws -> RawTable {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("outcome-\(UUID().uuidString).csv")
        try Data(csv.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return try RawTable.read(path: url.path, parser: ValueParser(), levelCap: { _ in 51 })
    }

    /// A Salesforce opportunity report: IsWon is the outcome, IsClosed
    /// says which deals are closed, StageName is the outcome again.
    func salesforce() -> String {
        var csv = "Id,StageName,IsClosed,IsWon,Visits\n"
        for i in 0..<60 {
            let (stage, closed, won) = [("Closed Won", "true", "true"), ("Closed Lost", "true", "false"), ("Qualification", "false", "false")][i % 3]
            csv += "006\(i),\(stage),\(closed),\(won),\(i % 7)\n"
        }
        return csv
    }

    func testSalesforceIsWonTakesIsClosedAndLeavesStageNameOut() throws {
        var t = try table(salesforce())
        let s = try SchemaInference.infer(&t, config: TrainingConfiguration())
        XCTAssertEqual(s.target, TargetSpec(column: "IsWon", positive: ["true"], negative: ["false"], closedColumn: "IsClosed"))
        XCTAssertEqual(s.features.map { t.columns[$0.index].name }, ["Visits"])
        XCTAssertTrue(s.notices.contains { $0.hasPrefix("\"IsClosed\" says which deals are closed") }, "\(s.notices)")
        XCTAssertTrue(s.notices.contains { $0.hasPrefix("\"StageName\" is named like an outcome column, and the outcome is \"IsWon\": left out") }, "\(s.notices)")
        // Given as a type, StageName is the user's to use (and leaks).
        var c = TrainingConfiguration()
        c.types = ["StageName": .categorical]
        var u = try table(salesforce())
        XCTAssertEqual(try SchemaInference.infer(&u, config: c).features.map { u.columns[$0.index].name }, ["StageName", "Visits"])
    }

    func testIsWonWithoutIsClosedSaysOpenDealsWouldBeLost() throws {
        var csv = "Id,Won,Visits\n"
        for i in 0..<40 { csv += "006\(i),\(i % 2 == 0 ? "1" : "0"),\(i % 7)\n" }
        var t = try table(csv)
        let s = try SchemaInference.infer(&t, config: TrainingConfiguration())
        XCTAssertNil(s.target.closedColumn)
        XCTAssertTrue(s.notices.contains { $0.contains("any open deals in the file are read as lost") }, "\(s.notices)")
    }

    func testAClosedColumnGivenMustHoldBooleans() throws {
        var csv = "Outcome,Status,Visits\n"
        for i in 0..<40 { csv += "\(i % 2),\(["Open", "Done"][i % 2]),\(i % 7)\n" }
        var t = try table(csv)
        var c = TrainingConfiguration()
        c.closedColumn = "Status"
        XCTAssertThrowsError(try SchemaInference.infer(&t, config: c)) {
            let e = $0 as! InputError
            XCTAssertEqual(e.location?.column, "Status")
            XCTAssertEqual(e.location?.value, "Open")
        }
        c.closedColumn = "Nowhere"
        XCTAssertThrowsError(try SchemaInference.infer(&t, config: c)) { XCTAssertEqual(($0 as! InputError).kind, .missingColumn) }
    }

    func testHubSpotDealStageIsTheOutcome() throws {
        var csv = "Record ID,Deal Stage,Visits\n"
        for i in 0..<40 { csv += "\(i),\(["closedwon", "closedlost", "closedlost", "contractsent"][i % 4]),\(i % 7)\n" }
        var t = try table(csv)
        let s = try SchemaInference.infer(&t, config: TrainingConfiguration())
        XCTAssertEqual(s.target, TargetSpec(column: "Deal Stage", positive: ["closedwon"], negative: ["closedlost"]))
        XCTAssertTrue(s.notices.contains("Using \"Deal Stage\" as the outcome column (pass `target` to choose another)."), "\(s.notices)")
    }
}

extension SchemaInferenceFormatsTests {
    /// Deal amounts as sample weights are read in their format too.
    func testAmountsAsWeights() throws {
        let (t, s) = try infer(["$1,200.00", "$950.50", "$18,111.00", "$7.00"]) { $0.weight = "X" }
        XCTAssertEqual(s.weightIndex, 0)
        XCTAssertEqual(t.columns[0].numbers.map(Array.init), [1200, 950.5, 18111, 7])
    }
}
