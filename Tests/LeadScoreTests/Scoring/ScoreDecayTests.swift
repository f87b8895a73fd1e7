import Foundation
import XCTest

@testable import LeadScore

/// Scores aged with the as-of day (`ScoringOptions.asOfDays`) on generated
/// deals, whose true model has a linear recency effect: −0.02 log-odds per
/// day since the last activity (`SyntheticDeals.trueEffects`), counted to
/// the export date 2026-06-30. Scored 0, 30, 60 and 90 days after it, a
/// lead's log-odds must fall by 0.02 per day.
///
/// The deals are generated without the accounts' hidden effect
/// (`accountEffect: 0`): the true coefficients are then those of a model
/// that does not know the account, which a trained card is compared with.
/// With the effect, such a card estimates the coefficients times
/// `SyntheticDeals.marginalShrinkage` (0.943), −0.0189 per day.
final class ScoreDecayTests: XCTestCase {
    static let column = "Days Since Last Activity"
    static let exportDay = 20_634  // 2026-06-30, SyntheticDeals.lastDay
    static let days = [0, 30, 60, 90]

    /// A model trained on 20,000 generated deals (16,000 after the 20%
    /// holdout) without account effect, with the export date of the
    /// days-since column.
    static let trained: ModelCard = try! TrainedCards.train(rows: 20_000, seed: 20_261_123, accountEffect: 0) {
        $0.exclude = ["Company Name", "Created Date"]
        $0.measuredOn = [column: "2026-06-30"]
    }

    /// 400 new leads from the same generator (no account effect), as a CSV
    /// file.
    static let leads: String = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("decay-leads-\(UUID().uuidString).csv")
        let out = try! AtomicOutput(path: url.path)
        let writer = CSVWriter(output: out)
        writer.writeRow(SyntheticDeals.header)
        SyntheticDeals(rows: 400, seed: 20_261_124, accountEffect: 0).generate { writer.writeRow($0) }
        try! out.commit()
        return url.path
    }()

    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: leads)
        super.tearDown()
    }

    /// The log-odds of every lead of `leads` under `card`, scored through
    /// the scorer `score` and `evaluate` use.
    func logOdds(_ card: ModelCard, asOfDays: Int?) throws -> [Double] {
        let reader = try CSVReader(path: Self.leads)
        var scorer = try ModelScorer(model: card, header: reader.header, file: Self.leads, options: ScoringOptions(reasons: 0, asOfDays: asOfDays))
        var eta: [Double] = []
        while try reader.nextRecord() { eta.append(try scorer.logOdds(reader: reader)) }
        return eta
    }

    /// The true model as a model card: the trained card's encoders with
    /// every numeric column read as its raw value (mean 0, SD 1), the true
    /// coefficients per raw unit, and the true intercept.
    func truthCard() throws -> ModelCard {
        var card = Self.trained
        card.schema.encoders.columns = card.schema.encoders.columns.map { column in
            guard case .numeric(var e) = column else { return column }
            (e.mean, e.standardDeviation, e.log1p) = (0, 1, false)
            return .numeric(e)
        }
        for case .categorical(let e) in card.schema.encoders.columns {
            XCTAssertEqual(SyntheticDeals.trueCoefficient(of: "\(e.column) = \(e.reference)"), 0, "the card's reference is the truth's: \(e.column)")
        }
        for j in card.features.indices {
            card.features[j].coefficient = try XCTUnwrap(SyntheticDeals.trueCoefficient(of: card.features[j].name), card.features[j].name)
        }
        card.intercept.coefficient = SyntheticDeals.trueIntercept
        return card
    }

    /// The true log-odds of each lead `days` days after the export, from
    /// its fields and `SyntheticDeals.trueEffects` alone (not through
    /// LeadScore's encoders): a level's effect when the field has that level
    /// ("(missing)" when empty, "(other)" for a rare country), a number's
    /// effect per unit, a flag's when true; the days since the last activity
    /// counted `days` further.
    func trueLogOdds(days: Int) throws -> [Double] {
        let reader = try CSVReader(path: Self.leads)
        var eta: [Double] = []
        while try reader.nextRecord() {
            var sum = SyntheticDeals.trueIntercept
            for effect in SyntheticDeals.trueEffects where effect.coefficient != 0 {
                let parts = effect.feature.components(separatedBy: " = ")
                let field = reader.field(try XCTUnwrap(reader.header.firstIndex(of: parts[0]), parts[0]))
                if parts.count == 2 {
                    let level = field.isEmpty ? CategoricalEncoder.missingLevel : SyntheticDeals.rareCountries.contains(field) ? CategoricalEncoder.otherLevel : field
                    if level == parts[1] { sum += effect.coefficient }
                } else if let flag = ValueParser.boolean(field), ValueParser.number(field) == nil {
                    if flag { sum += effect.coefficient }
                } else {
                    let x = try XCTUnwrap(ValueParser.number(field), "\(effect.feature): \(field)")
                    sum += effect.coefficient * (x + (effect.feature == Self.column ? Double(days) : 0))
                }
            }
            eta.append(sum)
        }
        return eta
    }

    /// The true model's card scored as of 0, 30, 60 and 90 days after the
    /// export gives the true log-odds of each lead on that day, and its
    /// change is the true coefficient times the days. Tolerance 1e-12: the
    /// sums of up to 45 terms of at most a few units, added in another order
    /// than the reference's, round differently in the last bits.
    func testTheTrueModelAgesByItsCoefficientPerDay() throws {
        let truth = try truthCard()
        let perDay = try XCTUnwrap(SyntheticDeals.trueCoefficient(of: Self.column))
        XCTAssertEqual(perDay, -0.02)
        let unaged = try logOdds(truth, asOfDays: nil)
        XCTAssertEqual(unaged.count, 400)
        let atExport = try logOdds(truth, asOfDays: Self.exportDay)
        XCTAssertEqual(atExport.map(\.bitPattern), unaged.map(\.bitPattern), "as of the export date, the scores as exported")
        for days in Self.days {
            let aged = try logOdds(truth, asOfDays: Self.exportDay + days)
            assertClose(aged, try trueLogOdds(days: days), absolute: 1e-12, "the true log-odds \(days) days after the export")
            assertClose(zip(aged, unaged).map { $0 - $1 }, [Double](repeating: perDay * Double(days), count: aged.count), absolute: 1e-12, "change after \(days) days")
        }
        XCTAssertEqual(try logOdds(truth, asOfDays: Self.exportDay + 90).count, 400)
    }

    /// As of 30 days before the export, a lead active within those days
    /// counts as active on that day (0 days), the others 30 days less.
    func testScoringBeforeTheExportStopsAtZeroDays() throws {
        let truth = try truthCard()
        let unaged = try logOdds(truth, asOfDays: nil)
        let earlier = try logOdds(truth, asOfDays: Self.exportDay - 30)
        let reader = try CSVReader(path: Self.leads)
        let index = try XCTUnwrap(reader.header.firstIndex(of: Self.column))
        var expected: [Double] = [], recent = 0
        for eta in unaged {
            XCTAssertTrue(try reader.nextRecord())
            let x = try XCTUnwrap(ValueParser.number(reader.field(index)))
            if x < 30 { recent += 1 }
            expected.append(eta - 0.02 * (max(x - 30, 0) - x))
        }
        XCTAssertGreaterThan(recent, 100, "the leads include recently active ones (median 16 days)")
        assertClose(earlier, expected, absolute: 1e-12, "30 days before the export")
    }

    /// A trained card ages by its own coefficient per day (its coefficient
    /// on the standardised feature over the column's SD), within 1e-12 per
    /// day of arithmetic; and that coefficient is the truth's within 3
    /// standard errors (per day, from the card), so after 90 days the
    /// change is the true one, −1.8, within 270 standard errors of a day's
    /// effect (about ±0.3 here). With a fixed seed the test is
    /// deterministic; a seed whose fit lands beyond 3 SE, which happens
    /// for 0.3% of seeds, would fail it.
    func testATrainedModelAgesByItsEstimateWithinItsStandardError() throws {
        let card = Self.trained
        XCTAssertEqual(card.formatVersion, 3)
        let feature = try XCTUnwrap(card.features.first { $0.name == Self.column })
        let encoder = try XCTUnwrap(card.schema.encoders.columns.lazy.compactMap { c -> NumericEncoder? in
            if case .numeric(let e) = c, e.column == Self.column { return e } else { return nil }
        }.first)
        XCTAssertFalse(encoder.log1p)
        let perDay = feature.coefficient / encoder.standardDeviation
        let standardError = feature.standardError / encoder.standardDeviation
        XCTAssertLessThan(standardError, 0.002, "16,000 deals pin the effect of a day down")
        let truePerDay = try XCTUnwrap(SyntheticDeals.trueCoefficient(of: Self.column))
        XCTAssertLessThanOrEqual(abs(perDay - truePerDay), 3 * standardError, "estimate \(perDay) ± \(standardError) per day")
        let unaged = try logOdds(card, asOfDays: nil)
        for days in Self.days {
            let change = zip(try logOdds(card, asOfDays: Self.exportDay + days), unaged).map { $0 - $1 }
            let d = Double(days)
            assertClose(change, [Double](repeating: perDay * d, count: change.count), absolute: 1e-12 * max(d, 1), "the card's own change after \(days) days")
            for c in change {
                XCTAssertLessThanOrEqual(abs(c - truePerDay * d), 3 * standardError * d + 1e-12 * max(d, 1), "after \(days) days")
            }
        }
    }

    /// A reason names the days since the last activity as of the scoring
    /// day, the value the lead was scored with, not the exported one.
    func testReasonsShowTheAgedValue() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("decay-scores-\(UUID().uuidString).csv").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: out) }
        _ = try Scorer.score(model: Self.trained, inputPath: Self.leads, outputPath: out, options: ScoringOptions(reasons: 3, asOfDays: Self.exportDay + 90))
        var exported: [String: String] = [:]
        let leads = try CSVReader(path: Self.leads)
        let days = try XCTUnwrap(leads.header.firstIndex(of: Self.column))
        while try leads.nextRecord() { exported[leads.field(0)] = leads.field(days) }
        let scores = try CSVReader(path: out)
        var shown = 0
        while try scores.nextRecord() {
            for i in 0..<scores.fieldCount where scores.field(i).hasPrefix(Self.column + " = ") {
                let text = scores.field(i).dropFirst(Self.column.count + 3).prefix { $0 != ":" }
                XCTAssertEqual(String(text), ModelNumber.text(try XCTUnwrap(Double(try XCTUnwrap(exported[scores.field(0)]))) + 90), scores.field(0))
                shown += 1
            }
        }
        XCTAssertGreaterThan(shown, 300, "90 days without activity is a reason against most leads")
    }

    /// The points export carries the model's measurement dates, so the
    /// points table ages as the model does.
    func testThePointsExportKeepsTheDates() throws {
        let export = try PointsExport.make(model: Self.trained, modelName: "m.json", data: Self.leads)
        XCTAssertEqual(export.rules.measuredOn, [Self.column: "2026-06-30"])
        let yaml = try XCTUnwrap(export.rules.yamlText())
        XCTAssertEqual(try RuleSet.decode(yaml: yaml).measuredOn, [Self.column: "2026-06-30"])
        var plain = Self.trained
        plain.schema.measuredOn = nil
        XCTAssertNil(try PointsExport.make(model: plain, modelName: "m.json", data: Self.leads).rules.measuredOn)
    }
}
