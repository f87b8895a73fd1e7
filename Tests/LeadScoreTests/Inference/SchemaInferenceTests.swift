import XCTest

@testable import LeadScore

final class SchemaInferenceTests: XCTestCase {
    func table(_ csv: String, missing: [String] = []) throws -> RawTable {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).csv")
        try Data(csv.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return try RawTable.read(path: url.path, parser: ValueParser(missingMarkers: ValueParser.defaultMissingMarkers + missing), levelCap: { _ in 51 })
    }

    func testKindsRolesAndNotices() throws {
        var csv = "Prospect ID,Visits,Flag,Binary,Created,Source,Constant,Stage,Blank\n"
        for i in 0..<60 {
            let stage = ["Closed Won", "Closed Lost", "Closed Lost", "Negotiation"][i % 4]
            csv += "id-\(i),\(i % 7),\(i % 3 == 0 ? "Yes" : "No"),\(i % 2),2024-01-\(String(format: "%02d", i % 28 + 1)),\(["Web", "Event", "Select"][i % 3]),same,\(stage),\n"
        }
        var t = try table(csv, missing: ["Select"])
        let s = try SchemaInference.infer(&t, config: TrainingConfiguration())
        XCTAssertEqual(t.columns[s.targetIndex].name, "Stage")
        XCTAssertEqual(s.target.positive, ["Closed Won"])
        XCTAssertEqual(s.target.negative, ["Closed Lost"])
        XCTAssertNil(s.target.label("Negotiation"), "open deals have no label")
        XCTAssertEqual(s.idIndices.map { t.columns[$0].name }, ["Prospect ID"])
        let kinds = Dictionary(uniqueKeysWithValues: s.features.map { (t.columns[$0.index].name, $0.kind) })
        XCTAssertEqual(kinds, ["Visits": .numeric, "Flag": .boolean, "Binary": .boolean, "Created": .date, "Source": .categorical])
        XCTAssertTrue(s.notices.contains { $0.contains("\"Constant\"") })
        XCTAssertTrue(s.notices.contains { $0.contains("\"Blank\"") })
    }

    func testHighCardinalityTextIsLeftOutUnlessIncluded() throws {
        var csv = "Company,Converted\n"
        for i in 0..<120 { csv += "Company \(i),\(i % 2)\n" }
        var t = try table(csv)
        let s = try SchemaInference.infer(&t, config: TrainingConfiguration())
        XCTAssertTrue(s.features.isEmpty)
        XCTAssertTrue(s.notices.contains { $0.contains("\"Company\" has more than 50 distinct values") })
    }

    func testForcedTypeThatDoesNotFitNamesLineAndValue() throws {
        var t = try table("Visits,Converted\n1,1\n2,0\nmany,1\n")
        var c = TrainingConfiguration()
        c.types = ["Visits": .numeric]
        XCTAssertThrowsError(try SchemaInference.infer(&t, config: c)) { error in
            let e = error as! InputError
            XCTAssertEqual(e.location?.line, 4)
            XCTAssertEqual(e.location?.column, "Visits")
            XCTAssertEqual(e.location?.value, "many")
        }
    }

    func testTargetValuesMustExistAndUnknownTargetIsNamed() throws {
        var t = try table("Visits,Stage\n1,Won\n2,Lost\n")
        var c = TrainingConfiguration()
        c.positive = ["Closed Won"]
        XCTAssertThrowsError(try SchemaInference.infer(&t, config: c)) { XCTAssertEqual(($0 as! InputError).location?.value, "Closed Won") }
        c = TrainingConfiguration()
        c.target = "stage"
        XCTAssertThrowsError(try SchemaInference.infer(&t, config: c)) { XCTAssertTrue(($0 as! InputError).remedy.contains("\"Stage\"")) }
    }

    /// Naming one id column does not switch off the detection of others.
    func testIdentifierDetectionRunsBesideExplicitIDs() throws {
        var csv = "Prospect ID,Lead Number,Visits,Converted\n"
        for i in 0..<80 { csv += "p\(i),\(660_000 + i),\(i % 6),\(i % 2)\n" }
        var t = try table(csv)
        var c = TrainingConfiguration()
        c.ids = ["Prospect ID"]
        let s = try SchemaInference.infer(&t, config: c)
        XCTAssertEqual(s.idIndices.map { t.columns[$0].name }, ["Prospect ID", "Lead Number"])
        XCTAssertEqual(s.features.map { t.columns[$0.index].name }, ["Visits"])
    }

    /// Inference reads numbers with the strict grammar: a column of
    /// hexadecimal codes is text (categories), not numbers.
    func testHexadecimalCodesAreTextNotNumbers() throws {
        var csv = "Code,Visits,Converted\n"
        for i in 0..<40 { csv += "0x\(i % 8),\(i % 5),\(i % 2)\n" }
        var t = try table(csv)
        XCTAssertNil(t.columns[0].numbers)
        let s = try SchemaInference.infer(&t, config: TrainingConfiguration())
        let kinds = Dictionary(uniqueKeysWithValues: s.features.map { (t.columns[$0.index].name, $0.kind) })
        XCTAssertEqual(kinds, ["Code": .categorical, "Visits": .numeric])
    }

    /// Dates written month first or day first whose values never say which
    /// (every first and second field at most 12) are refused, naming the
    /// column, a value, and the option that gives the format.
    func testAmbiguousDatesAreRefusedAndTheirFormatAskedFor() throws {
        var csv = "Created,Visits,Converted\n"
        for i in 0..<40 { csv += "07/\(String(format: "%02d", i % 9 + 1))/2024 10:15,\(i % 5),\(i % 2)\n" }
        var t = try table(csv)
        XCTAssertThrowsError(try SchemaInference.infer(&t, config: TrainingConfiguration())) { error in
            let e = error as! InputError
            XCTAssertEqual(e.kind, .badConfiguration)
            XCTAssertEqual(e.location?.column, "Created")
            XCTAssertEqual(e.location?.value, "07/01/2024 10:15")
            XCTAssertEqual(e.location?.line, 2)
            XCTAssertTrue(e.remedy.contains("`dateFormats` \"Created=MM/DD/YYYY\""), e.remedy)
            XCTAssertTrue(e.remedy.contains("`dateFormats` \"Created=DD/MM/YYYY\""), e.remedy)
        }
        // Given, the column is read in it: month first, 1 to 9 July; day first, 7 January to 7 September.
        var c = TrainingConfiguration()
        c.dateFormats = ["Created": .monthFirst]
        let s = try SchemaInference.infer(&t, config: c)
        XCTAssertEqual(s.features.map { t.columns[$0.index].name }, ["Created", "Visits"])
        XCTAssertEqual(t.columns[0].dateFormat, .monthFirst)
        XCTAssertEqual(t.columns[0].days?[0], ValueParser.isoDate("2024-07-01"))
        XCTAssertEqual(t.columns[0].days?[8], ValueParser.isoDate("2024-07-09"))
        c.dateFormats = ["Created": .dayFirst]
        var u = try table(csv)
        _ = try SchemaInference.infer(&u, config: c)
        XCTAssertEqual(u.columns[0].days?[8], ValueParser.isoDate("2024-09-07"))
    }

    /// Dates LeadScore does not read (two-digit years) are left out with a
    /// notice naming the column and an example, even with few distinct
    /// values.
    func testDatesWithTwoDigitYearsAreLeftOutWithANotice() throws {
        var csv = "Created,Visits,Converted\n"
        for i in 0..<40 { csv += "07/\(String(format: "%02d", i % 9 + 1))/24,\(i % 5),\(i % 2)\n" }
        var t = try table(csv)
        let s = try SchemaInference.infer(&t, config: TrainingConfiguration())
        XCTAssertEqual(s.features.map { t.columns[$0.index].name }, ["Visits"])
        XCTAssertTrue(
            s.notices.contains { $0.contains("\"Created\" looks like dates, but not in one format LeadScore reads (e.g. \"07/01/24\"") && $0.contains("YYYY-MM-DD") },
            "\(s.notices)")
    }

    /// A column declared a date that holds another format is refused with
    /// the first such value's line.
    func testDeclaredDateInAnotherFormatNamesLineAndValue() throws {
        var t = try table("Created,Converted\n2024-07-01,1\n01.07.2024,0\n2024-07-03,1\n")
        var c = TrainingConfiguration()
        c.types = ["Created": .date]
        XCTAssertThrowsError(try SchemaInference.infer(&t, config: c)) { error in
            let e = error as! InputError
            XCTAssertEqual(e.location?.line, 3)
            XCTAssertEqual(e.location?.column, "Created")
            XCTAssertEqual(e.location?.value, "01.07.2024")
            XCTAssertTrue(e.remedy.contains("YYYY-MM-DD"), e.remedy)
        }
    }

    /// A text column of other formatted numbers (percentages) is read as
    /// text, with a notice.
    func testFormattedNumbersAreNoticed() throws {
        var csv = "Discount,Converted\n"
        for i in 0..<40 { csv += "\(i % 6 * 5)%,\(i % 2)\n" }
        var t = try table(csv)
        let s = try SchemaInference.infer(&t, config: TrainingConfiguration())
        XCTAssertEqual(s.features.map(\.kind), [.categorical])
        XCTAssertTrue(s.notices.contains { $0.contains("\"Discount\" looks like numbers written with a percent sign") }, "\(s.notices)")
    }
}
