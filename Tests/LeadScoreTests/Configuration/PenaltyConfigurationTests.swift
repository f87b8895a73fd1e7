import XCTest

@testable import LeadScore

/// The penalty keys of the configuration file (`penalty`, `l1Ratio`, `cv`,
/// `cvMetric`, `cvRule`): read, checked, and overridden by flags.
final class PenaltyConfigurationTests: XCTestCase {
    func testKeysAreReadAndGiveTheSolversAlpha() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("penalty-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.json").path
        try Data(#"{"penalty": "elasticnet", "l1Ratio": 0.25, "cv": 4, "cvMetric": "auc", "cvRule": "1se"}"#.utf8).write(to: URL(fileURLWithPath: path))
        let c = try TrainingConfiguration.load(path: path)
        XCTAssertEqual(c.effectivePenalty, .elasticnet)
        XCTAssertEqual(c.effectiveL1Ratio, 0.25)
        XCTAssertEqual(c.cv, 4)
        XCTAssertEqual(c.effectiveCVMetric, .auc)
        XCTAssertEqual(c.effectiveCVRule, .oneStandardError)
        var l1 = TrainingConfiguration()
        l1.penalty = .l1
        XCTAssertEqual(l1.effectiveL1Ratio, 1)
        XCTAssertEqual(TrainingConfiguration().effectiveL1Ratio, 0)
        XCTAssertEqual(TrainingConfiguration().effectiveCVRule, .min)
    }

    /// The way λ is set (given, `l2`, or chosen, `cv`) of the overriding
    /// side wins.
    func testFlagsChooseBetweenGivenAndCrossValidatedLambda() throws {
        var file = TrainingConfiguration()
        file.l2 = 3
        var flags = TrainingConfiguration()
        flags.cv = 5
        let merged = file.overridden(by: flags)
        XCTAssertNil(merged.l2)
        XCTAssertEqual(merged.cv, 5)
        XCTAssertNoThrow(try merged.validate(source: "flags"))
        var back = TrainingConfiguration()
        back.l2 = 2
        let again = merged.overridden(by: back)
        XCTAssertNil(again.cv)
        XCTAssertEqual(again.l2, 2)
    }

    func testRefusalsNameTheKeyAndTheValue() {
        func refusal(_ change: (inout TrainingConfiguration) -> Void) -> InputError? {
            var c = TrainingConfiguration()
            change(&c)
            do { try c.validate(source: "c.json") } catch { return error }
            return nil
        }
        let bad = refusal { $0.penalty = .elasticnet; $0.l1Ratio = -0.1 }
        XCTAssertEqual(bad?.location?.value, "-0.1")
        XCTAssertTrue(bad?.problem.contains(OptionKey.l1Ratio.mention) ?? false)
        XCTAssertNotNil(refusal { $0.l1Ratio = 0.5 })
        XCTAssertNotNil(refusal { $0.penalty = .elasticnet })
        XCTAssertNil(refusal { $0.penalty = .elasticnet; $0.cv = 5 })
        XCTAssertEqual(refusal { $0.cv = 1 }?.location?.value, "1")
        XCTAssertNotNil(refusal { $0.cvRule = .oneStandardError })
        XCTAssertNotNil(refusal { $0.cv = 3; $0.l2 = 1 })
    }
}
