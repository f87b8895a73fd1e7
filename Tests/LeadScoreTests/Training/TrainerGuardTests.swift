import XCTest

@testable import LeadScore

/// The checks training makes before it fits (`Trainer.swift`): enough rows,
/// folds that fit the classes, usable weights, a penalty that leaves the
/// data a voice, and an outcome column with one role.
final class TrainerGuardTests: XCTestCase {
    /// Labels of `won` won rows then `lost` lost ones, and their indices.
    func labels(won: Int, lost: Int) -> ([Int], [Double]) {
        let y = [Double](repeating: 1, count: won) + [Double](repeating: 0, count: lost)
        return (Array(y.indices), y)
    }

    func kind(_ body: () throws -> Void) -> InputError.Kind? {
        do { try body() } catch { return (error as? InputError)?.kind }
        return nil
    }

    func testTooFewRowsOfAClassAreRefusedAtTheMinimum() throws {
        let (rows, y) = labels(won: 1, lost: 1)
        XCTAssertThrowsError(try Trainer.requireEnoughRows(rows, labels: y, file: "two.csv", column: "Stage")) {
            let e = $0 as! InputError
            XCTAssertEqual(e.kind, .noTrainingData)
            XCTAssertTrue(e.problem.contains("1 won and 1 lost"), e.problem)
            XCTAssertTrue(e.problem.contains("at least 5"), e.problem)
        }
        let (r9, y9) = labels(won: 4, lost: 500)
        XCTAssertEqual(kind { try Trainer.requireEnoughRows(r9, labels: y9, file: "f", column: "c") }, .noTrainingData)
        let (r10, y10) = labels(won: 5, lost: 5)
        XCTAssertNoThrow(try Trainer.requireEnoughRows(r10, labels: y10, file: "f", column: "c"), "5 of each is enough")
        let (r0, y0) = labels(won: 0, lost: 3)
        XCTAssertNoThrow(try Trainer.requireEnoughRows(r0, labels: y0, file: "f", column: "c"), "one class is requireBothClasses' to report")
    }

    func testFoldsMayNotOutnumberTheSmallerClass() throws {
        let (rows, y) = labels(won: 12, lost: 300)
        XCTAssertNoThrow(try Trainer.requireFoldsFit(12, rows: rows, labels: y, file: "f", column: "c"))
        XCTAssertThrowsError(try Trainer.requireFoldsFit(13, rows: rows, labels: y, file: "f", column: "c")) {
            XCTAssertTrue(($0 as! InputError).problem.contains("has 12 won"), "\($0)")
        }
    }

    func testWeightsOfUnusableScaleAreRefused() throws {
        for bad in [[1e300, 1e300], [1e-300, 1e-300], [1e-7, 1e7], [1.1e15, 1.1e15], [1e16, 1e16]] {
            XCTAssertEqual(kind { try Trainer.requireUsableWeights(bad, file: "f", column: "W") }, .invalidValue, "\(bad)")
        }
        // Deal amounts in currencies of small units (IDR, VND) are usable.
        for good in [[1, 1], [0.5, 3], [1e-3, 1e3], [2e8, 3e8], [2.8e9, 2.8e9], [1e10, 1e12], [1e15, 1e15]] {
            XCTAssertNoThrow(try Trainer.requireUsableWeights(good, file: "f", column: "W"), "\(good)")
        }
    }

    /// Weights averaging 1,000 or more: the card says the standard errors
    /// count them as deals, and, when there is a penalty, that it is
    /// negligible.
    func testLargeWeightsAreNoticed() throws {
        XCTAssertNil(Trainer.weightScaleNotice([1, 900, 1000], column: "Amount", l2: 1))
        let note = try XCTUnwrap(Trainer.weightScaleNotice([2.8e9, 2.8e9], column: "Amount", l2: 1))
        XCTAssertTrue(note.hasPrefix("The sample weights in \"Amount\" average 2800000000: the standard errors count each unit of weight as a deal"), note)
        XCTAssertTrue(note.contains("L2 penalty (1) is negligible"), note)
        let unpenalised = try XCTUnwrap(Trainer.weightScaleNotice([1000, 1000], column: "Amount", l2: 0))
        XCTAssertFalse(unpenalised.contains("penalty"), unpenalised)
    }

    /// λ may be at most 10 × the rows' total weight.
    func testAPenaltyThatSwampsTheDataIsRefused() throws {
        XCTAssertNoThrow(try Trainer.requirePenaltyLeavesDataAVoice(l2: 1000, dataWeight: 100, rows: 100, file: "f"))
        XCTAssertEqual(kind { try Trainer.requirePenaltyLeavesDataAVoice(l2: 1000.5, dataWeight: 100, rows: 100, file: "f") }, .badConfiguration)
        XCTAssertEqual(kind { try Trainer.requirePenaltyLeavesDataAVoice(l2: 1e308, dataWeight: 19_418, rows: 19_418, file: "f") }, .badConfiguration)
        XCTAssertNoThrow(try Trainer.requirePenaltyLeavesDataAVoice(l2: 0, dataWeight: 1e-300, rows: 2, file: "f"))
    }

    func testTheOutcomeColumnHasOneRole() throws {
        var c = TrainingConfiguration()
        c.target = "Stage"
        XCTAssertNoThrow(try c.validate(source: "opts"))
        for adjust in [{ (c: inout TrainingConfiguration) in c.ids = ["Stage"] }, { $0.exclude = ["X", "Stage"] }, { $0.weight = "Stage" }] {
            var d = c
            adjust(&d)
            XCTAssertThrowsError(try d.validate(source: "opts")) {
                XCTAssertTrue(($0 as! InputError).problem.contains(OptionKey.target.mention), "\($0)")
            }
        }
    }

    /// Below `LeakageCheck.chanceRowsPerClass` rows of the smaller class a
    /// separating column is blamed on chance first, the smaller class named
    /// with its count; from there on, on leakage.
    func testLeakageOnFewDealsIsBlamedOnChance() {
        let columns = [
            LeakageCheck.ColumnSeparation(column: "Industry", auc: 0.944, filledAUC: 0.944, filledShare: 1),
            LeakageCheck.ColumnSeparation(column: "Country", auc: 0.91, filledAUC: 0.91, filledShare: 1),
        ]
        let few = Trainer.leakageRefusal(columns, won: 8, lost: 60, file: "few.csv")
        XCTAssertEqual(few.kind, .leakage)
        XCTAssertEqual(few.location?.column, "Industry")
        XCTAssertTrue(few.problem.contains("\"Industry\" (AUC 0.944 alone), \"Country\" (AUC 0.910 alone) separate won from lost"), few.problem)
        XCTAssertTrue(few.problem.contains("only 8 won deals (and 60 lost)"), few.problem)
        XCTAssertTrue(few.problem.contains("by chance"), few.problem)
        XCTAssertTrue(few.remedy.contains("at least 30 won and 30 lost"), few.remedy)
        XCTAssertTrue(few.remedy.contains("confirming the columns with \(OptionKey.allowLeakage.mention)"), few.remedy)
        XCTAssertTrue(few.remedy.contains("unwise"), few.remedy)
        let lostFew = Trainer.leakageRefusal([columns[0]], won: 200, lost: 29, file: "f.csv")
        XCTAssertTrue(lostFew.problem.contains("only 29 lost deals (and 200 won)"), lostFew.problem)
        let enough = Trainer.leakageRefusal([columns[0]], won: 30, lost: 500, file: "f.csv")
        XCTAssertTrue(enough.problem.contains("likely filled in after the outcome"), enough.problem)
        XCTAssertFalse(enough.problem.contains("by chance"), enough.problem)
        XCTAssertTrue(enough.remedy.contains("\(OptionKey.allowLeakage.mention) \"Industry\""), enough.remedy)
    }

    /// A column at the warning level (0.90) stops training by default.
    func testTheDefaultLeakageStopIsTheWarningLevel() {
        XCTAssertEqual(LeakageCheck.defaultStopThreshold, LeakageCheck.columnAUCWarning)
        XCTAssertTrue(LeakageCheck.isLeakageNotice("Possible leakage: \"Tags\" alone separates won from lost with AUC 0.920."))
        XCTAssertFalse(LeakageCheck.isLeakageNotice("12 rows have no outcome"))
    }
}
