import XCTest

@testable import LeadScore

/// The training configuration's `measuredOn` (days-since columns and the
/// day each was measured): what the configuration file alone can refuse
/// (`TrainingConfiguration.validate`), and what needs the data
/// (`SchemaInference.checkMeasuredColumns`).
final class MeasuredOnConfigurationTests: XCTestCase {
    static let column = "Days Since Last Activity"

    func configuration(_ adjust: (inout TrainingConfiguration) -> Void = { _ in }) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.target = "Stage"
        c.measuredOn = [Self.column: "2026-06-30"]
        adjust(&c)
        return c
    }

    func error(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> InputError? {
        do { try body() } catch { return error as? InputError }
        XCTFail("expected an InputError", file: file, line: line)
        return nil
    }

    func testTheFileKeyIsReadAndMergedWithTheFlags() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("measured-\(UUID().uuidString).json")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try Data(#"{"formatVersion": 1, "target": "Stage", "measuredOn": {"Days Since Last Activity": "2026-06-30"}}"#.utf8).write(to: url)
        let file = try TrainingConfiguration.load(path: url.path)
        XCTAssertEqual(file.measuredOn, [Self.column: "2026-06-30"])
        var flags = TrainingConfiguration()
        flags.measuredOn = [Self.column: "2026-07-31", "Days Since Demo": "2026-07-31"]
        XCTAssertEqual(file.overridden(by: flags).measuredOn, [Self.column: "2026-07-31", "Days Since Demo": "2026-07-31"], "a flag replaces the file's date")
        XCTAssertEqual(file.overridden(by: TrainingConfiguration()).measuredOn, file.measuredOn)
    }

    /// A date that is not a day is refused naming the configuration file,
    /// the column, the value and the key.
    func testABadDateIsRefusedNamingTheFileAndKey() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("measured-\(UUID().uuidString).json")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try Data(#"{"formatVersion": 1, "measuredOn": {"Days Since Last Activity": "30/06/2026"}}"#.utf8).write(to: url)
        let e = try XCTUnwrap(error { _ = try TrainingConfiguration.load(path: url.path) })
        XCTAssertEqual(e.kind, .badConfiguration)
        XCTAssertEqual(e.location, InputLocation(file: url.path, column: Self.column, value: "30/06/2026"))
        XCTAssertTrue(e.problem.hasPrefix("measuredOn must give the day the column was measured as an ISO 8601 date"), e.problem)
        XCTAssertTrue(e.remedy.contains("e.g. \"2026-06-30\""), e.remedy)
        for bad in ["2026-02-30", "2026-06-30T25:00", ""] {
            XCTAssertEqual(error { try self.configuration { $0.measuredOn = [Self.column: bad] }.validate(source: "opts") }?.kind, .badConfiguration, bad)
        }
    }

    /// A column with another role would never be aged: refused, naming the
    /// role.
    func testAColumnWithAnotherRoleIsRefused() throws {
        XCTAssertNoThrow(try configuration().validate(source: "opts"))
        let roles: [(OptionKey, (inout TrainingConfiguration) -> Void)] = [
            (.target, { $0.target = Self.column }), (.ids, { $0.ids = [Self.column] }), (.exclude, { $0.exclude = ["X", Self.column] }),
            (.weight, { $0.weight = Self.column }), (.timeColumn, { $0.timeColumn = Self.column }),
        ]
        for (role, adjust) in roles {
            let e = try XCTUnwrap(error { try self.configuration(adjust).validate(source: "config.json") }, role.rawValue)
            XCTAssertEqual(e.location?.file, "config.json")
            XCTAssertEqual(e.location?.column, Self.column)
            // The target is refused first by its own check when it is the column.
            XCTAssertTrue(e.problem.contains(role.mention) || role == .target, "\(role): \(e.problem)")
        }
        let typed = try XCTUnwrap(error { try self.configuration { $0.types = [Self.column: .categorical] }.validate(source: "opts") })
        XCTAssertTrue(typed.problem.contains("declared categorical"), typed.problem)
        XCTAssertNoThrow(try configuration { $0.types = [Self.column: .numeric] }.validate(source: "opts"))
    }

    // MARK: With the data

    func table(_ csv: String) throws -> RawTable {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("measured-\(UUID().uuidString).csv")
        try Data(csv.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return try RawTable.read(path: url.path, parser: ValueParser(), levelCap: { _ in 51 })
    }

    /// 60 rows: a days count, a category, free text and the outcome; row
    /// `negativeAt` (if any) holds -4 days.
    func deals(negativeAt: Int? = nil) throws -> RawTable {
        var csv = "Days Since Last Activity,Industry,Note,Stage\n"
        for i in 0..<60 {
            csv += "\(i == negativeAt ? -4 : i % 40),\(["Retail", "Software"][i % 2]),note \(i),\(["Closed Won", "Closed Lost"][i % 3 == 0 ? 0 : 1])\n"
        }
        return try table(csv)
    }

    func testANumericDaysColumnIsAccepted() throws {
        var t = try deals()
        XCTAssertNoThrow(try SchemaInference.infer(&t, config: configuration()))
    }

    func testAColumnNotInTheFileIsNamed() throws {
        var t = try deals()
        let e = try XCTUnwrap(error { _ = try SchemaInference.infer(&t, config: self.configuration { $0.measuredOn = ["Days Since Last Activty": "2026-06-30"] }) })
        XCTAssertEqual(e.kind, .missingColumn)
        XCTAssertEqual(e.location?.column, "Days Since Last Activty")
        XCTAssertTrue(e.problem.contains(OptionKey.measuredOn.mention), e.problem)
    }

    func testAColumnThatIsNotANumericFeatureIsRefused() throws {
        var t = try deals()
        let category = try XCTUnwrap(error { _ = try SchemaInference.infer(&t, config: self.configuration { $0.measuredOn = ["Industry": "2026-06-30"] }) })
        XCTAssertEqual(category.kind, .badConfiguration)
        XCTAssertEqual(category.location?.column, "Industry")
        XCTAssertTrue(category.problem.contains("read as categorical"), category.problem)
        let text = try XCTUnwrap(error { _ = try SchemaInference.infer(&t, config: self.configuration { $0.measuredOn = ["Note": "2026-06-30"] }) })
        XCTAssertTrue(text.problem.contains("not a feature of the model"), text.problem)
    }

    /// A negative count of days is refused with its line and value.
    func testANegativeCountIsRefusedWithItsLine() throws {
        var t = try deals(negativeAt: 7)
        let e = try XCTUnwrap(error { _ = try SchemaInference.infer(&t, config: self.configuration()) })
        XCTAssertEqual(e.kind, .invalidValue)
        XCTAssertEqual(e.location?.line, 9, "row 7 is line 9 (the header is line 1)")
        XCTAssertEqual(e.location?.value, "-4")
        XCTAssertEqual(e.location?.column, Self.column)
    }
}
