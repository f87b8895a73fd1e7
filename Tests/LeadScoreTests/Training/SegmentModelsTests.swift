import Foundation
import XCTest

@testable import LeadScore

/// `train --segment` (`SegmentModels`): the fit against the generator's
/// ground truth (APAC's deals follow coefficients of their own,
/// `SyntheticDeals.regionDifferences`; every other region the global
/// ones), the penalised objective's optimality conditions recomputed here,
/// and scoring's choice of each lead's model.
final class SegmentModelsTests: XCTestCase {
    /// Generated deals with a Region column (account effect 0, so that a
    /// logistic regression on the export is correctly specified), in a
    /// temporary file; `edit` may change each row's fields.
    static func regionsFile(rows: Int, seed: UInt64, edit: ((inout [String]) -> Void)? = nil) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("regions-\(UUID().uuidString).csv").path
        try TrainedCards.writeDeals(rows: rows, seed: seed, accountEffect: 0, regions: true, to: path) { _, fields in edit?(&fields) }
        return path
    }

    /// The configuration of these tests: Region is the segment and not a
    /// feature (each segment model's unpenalised intercept carries its base
    /// rate); Created Date, not in the true model, is left out.
    static func configuration(segmentL2: Double? = nil, minConversions: Int? = nil) -> TrainingConfiguration {
        var config = TrainingConfiguration()
        config.target = "Stage"
        config.positive = ["Closed Won"]
        config.negative = ["Closed Lost"]
        config.ids = ["Deal ID"]
        config.exclude = ["Account ID", "Company Name", "Created Date", "Region"]
        config.segment = "Region"
        config.segmentL2 = segmentL2
        config.minConversions = minConversions
        return config
    }

    static func train(_ path: String, _ config: TrainingConfiguration) throws -> ModelCard {
        var request = TrainingRequest(dataPath: path, configuration: config)
        request.trainingDate = "2026-12-07"
        return try Trainer.train(request)
    }

    /// β_s − β_g of `segment`, per unit of the raw value: divided by the
    /// standard deviation for a numeric feature (the card's coefficients
    /// are per SD), as is for a level or a boolean (0/1 features).
    static func differences(_ card: ModelCard, segment: String) throws -> [String: Double] {
        let s = try XCTUnwrap(card.segments?.segments.first { $0.value == segment })
        let beta = try XCTUnwrap(s.coefficients, "\(segment) has a model")
        var out: [String: Double] = [:]
        var sd: [String: Double] = [:]
        for c in card.schema.encoders.columns {
            if case .numeric(let e) = c { sd[e.column] = e.standardDeviation }
        }
        for (j, f) in card.features.enumerated() { out[f.name] = (beta[j] - f.coefficient) / (sd[f.name] ?? 1) }
        return out
    }

    static func norm(_ d: [String: Double]) -> Double { d.values.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// The segment that truly differs is recovered, the others stay near
    /// the global model, λ is chosen by cross-validation where the segments
    /// beat the global model, and LATAM, too small, has no model.
    func testTheDifferingRegionIsRecoveredAndTheOthersAreShrunkToTheGlobalModel() throws {
        let path = try Self.regionsFile(rows: 60000, seed: 3)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let card = try Self.train(path, Self.configuration())
        let segments = try XCTUnwrap(card.segments)
        XCTAssertEqual(card.formatVersion, 5)
        XCTAssertEqual(segments.column, "Region")
        XCTAssertEqual(segments.selection.method, SegmentModels.Selection.crossValidation)
        XCTAssertEqual(segments.minConversions, TrainingConfiguration.defaultMinConversions)
        // Cross-validation: the chosen λ is the grid's smallest deviance,
        // and the segment models beat the global model out of fold.
        let deviances = try XCTUnwrap(segments.selection.deviances)
        XCTAssertEqual(deviances.map(\.l2), SegmentModels.lambdaGrid)
        let best = try XCTUnwrap(deviances.min { $0.deviance < $1.deviance })
        XCTAssertEqual(segments.l2, best.l2)
        XCTAssertLessThan(best.deviance, try XCTUnwrap(segments.selection.globalDeviance) - 20)
        XCTAssertGreaterThan(segments.l2, SegmentModels.lambdaGrid.first!, "some pooling helps")
        XCTAssertLessThan(segments.l2, SegmentModels.lambdaGrid.last!, "the segments differ")

        // Rows and conversions per region, counted here from the file.
        let reader = try CSVReader(path: path)
        let region = try XCTUnwrap(reader.header.firstIndex(of: "Region")), stage = try XCTUnwrap(reader.header.firstIndex(of: "Stage"))
        var rows: [String: Int] = [:], won: [String: Int] = [:]
        while try reader.nextRecord() {
            let s = reader.field(stage)
            guard s == "Closed Won" || s == "Closed Lost" else { continue }
            rows[reader.field(region), default: 0] += 1
            if s == "Closed Won" { won[reader.field(region), default: 0] += 1 }
        }
        XCTAssertEqual(Set(segments.segments.map(\.value)), ["North America", "EMEA", "APAC", "LATAM"])
        for s in segments.segments {
            XCTAssertEqual(s.rows, rows[s.value], s.value)
            XCTAssertEqual(s.conversions, won[s.value] ?? 0, s.value)
        }
        XCTAssertEqual(segments.segments.map(\.rows), segments.segments.map(\.rows).sorted(by: >), "largest first")
        let latam = try XCTUnwrap(segments.segments.first { $0.value == "LATAM" })
        XCTAssertLessThan(latam.conversions, TrainingConfiguration.defaultMinConversions)
        XCTAssertFalse(latam.hasModel, "too few conversions: the global model")
        XCTAssertTrue(card.training.notices.contains { $0.contains("\"LATAM\"") && $0.contains("scored with the global model") })

        // The difference between APAC and the regions that follow the
        // global truth, against the truth: partial pooling shrinks it
        // toward 0, so it is recovered to within 40% of its size, and
        // never overshoots by more than 15%.
        let apac = try Self.differences(card, segment: "APAC")
        let northAmerica = try Self.differences(card, segment: "North America")
        let emea = try Self.differences(card, segment: "EMEA")
        XCTAssertEqual(SyntheticDeals.regionDifferences.count, 3)
        for truth in SyntheticDeals.regionDifferences {
            for (name, other) in [("North America", northAmerica), ("EMEA", emea)] {
                let estimate = try XCTUnwrap(apac[truth.feature]) - (try XCTUnwrap(other[truth.feature]))
                XCTAssertEqual(estimate / truth.coefficient, 0.85, accuracy: 0.3, "APAC − \(name), \(truth.feature): \(estimate) against \(truth.coefficient)")
            }
        }
        // The regions without a difference stay close to the global
        // model: their distance is a third of APAC's or less, and no
        // coefficient moves by more than 0.2.
        for (name, d) in [("North America", northAmerica), ("EMEA", emea)] {
            XCTAssertLessThan(Self.norm(d), Self.norm(apac) / 3, name)
            XCTAssertLessThan(d.values.map(abs).max()!, 0.2, name)
        }

        // Shrinkage: with a penalty a hundred times weaker, EMEA and North
        // America move further from the global model, pulled by their
        // own noise, while APAC's difference barely grows.
        let loose = try Self.train(path, Self.configuration(segmentL2: segments.l2 / 100))
        XCTAssertEqual(loose.segments?.selection.method, SegmentModels.Selection.given)
        XCTAssertGreaterThan(Self.norm(try Self.differences(loose, segment: "EMEA")), 1.3 * Self.norm(emea))
        XCTAssertGreaterThan(Self.norm(try Self.differences(loose, segment: "North America")), 1.1 * Self.norm(northAmerica), "the largest segment, least pooled")
        // The global model is fitted before the segments, so it is the
        // same whatever their penalty.
        XCTAssertEqual(loose.features.map(\.coefficient), card.features.map(\.coefficient))
    }

    /// The stored segment model is the minimum of the objective documented
    /// on `SegmentModels`: recomputed here from each lead's features, the
    /// gradient Σ s_i (σ(η_i) − y_i) x_i + λ(β_s − β_g) and its intercept
    /// part Σ s_i (σ(η_i) − y_i) vanish.
    func testSegmentModelsSatisfyTheirOptimalityConditions() throws {
        let path = try Self.regionsFile(rows: 12000, seed: 11)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lambda = 5.0
        let card = try Self.train(path, Self.configuration(segmentL2: lambda, minConversions: 50))
        let segments = try XCTUnwrap(card.segments)
        XCTAssertEqual(segments.l2, lambda)
        let modelled = segments.segments.filter(\.hasModel)
        XCTAssertEqual(Set(modelled.map(\.value)), ["North America", "EMEA", "APAC"])

        let p = card.features.count
        var gradients = [String: [Double]]()
        var counts = [String: Int]()
        let reader = try CSVReader(path: path)
        var scorer = try ModelScorer(model: card, header: reader.header, file: path, options: ScoringOptions())
        let region = try XCTUnwrap(reader.header.firstIndex(of: "Region")), stage = try XCTUnwrap(reader.header.firstIndex(of: "Stage"))
        while try reader.nextRecord() {
            let s = reader.field(stage)
            guard s == "Closed Won" || s == "Closed Lost", let segment = modelled.first(where: { $0.value == reader.field(region) }) else { continue }
            _ = try scorer.logOdds(reader: reader)
            let x = scorer.withFeatures { Array($0) }
            var eta = segment.intercept!
            for j in 0..<p { eta += segment.coefficients![j] * x[j] }
            let residual = 1 / (1 + exp(-eta)) - (s == "Closed Won" ? 1 : 0)
            var g = gradients[segment.value] ?? [Double](repeating: 0, count: p + 1)
            for j in 0..<p { g[j] += residual * x[j] }
            g[p] += residual
            gradients[segment.value] = g
            counts[segment.value, default: 0] += 1
        }
        for segment in modelled {
            var g = try XCTUnwrap(gradients[segment.value])
            for j in 0..<p { g[j] += lambda * (segment.coefficients![j] - card.features[j].coefficient) }
            let n = Double(try XCTUnwrap(counts[segment.value]))
            XCTAssertEqual(Int(n), segment.rows)
            XCTAssertLessThan(g.map(abs).max()! / n, 1e-9, "\(segment.value): ‖∇‖∞ / n")
            XCTAssertEqual(segment.converged, true)
        }
    }

    /// `score` gives each lead its segment's model, the global model to a
    /// value not seen in training, a missing value and a segment without a
    /// model, bit for bit as the predictors sum them, and counts them in a
    /// note; on one thread and in parallel parts alike.
    func testScoringPicksEachLeadsModel() throws {
        let training = try Self.regionsFile(rows: 6000, seed: 5)
        defer { try? FileManager.default.removeItem(atPath: training) }
        let card = try Self.train(training, Self.configuration(segmentL2: 3, minConversions: 40))
        let segments = try XCTUnwrap(card.segments)
        XCTAssertEqual(Set(segments.segments.filter(\.hasModel).map(\.value)), ["North America", "EMEA", "APAC"])
        XCTAssertEqual(segments.segments.filter { !$0.hasModel }.map(\.value), ["LATAM"])
        // New leads: some with a region not seen in training, a missing
        // one, or one written with spaces (read trimmed, as training reads
        // it); LATAM, without a model, every 50th.
        let regionColumn = SyntheticDeals.header.count
        var row = 0
        let path = try Self.regionsFile(rows: 3000, seed: 6) { fields in
            row += 1
            if row % 97 == 0 { fields[regionColumn] = "Antarctica" }
            if row % 89 == 0 { fields[regionColumn] = "" }
            if row % 83 == 0 { fields[regionColumn] = "  APAC " }
            if row % 50 == 0 { fields[regionColumn] = "LATAM" }
        }
        defer { try? FileManager.default.removeItem(atPath: path) }

        // Each row's expected log-odds, from its features and the
        // predictor its Region names.
        let reader = try CSVReader(path: path)
        var scorer = try ModelScorer(model: card, header: reader.header, file: path, options: ScoringOptions())
        let region = try XCTUnwrap(reader.header.firstIndex(of: "Region"))
        var expected: [Double] = []
        var unseen = 0, missing = 0, pooledLeads = 0
        let global = LinearPredictor(model: card)
        while try reader.nextRecord() {
            let eta = try scorer.logOdds(reader: reader)
            let x = scorer.withFeatures { Array($0.prefix(card.features.count)) }
            let value = reader.field(region).trimmingCharacters(in: .whitespaces)
            let segment = segments.segments.first { $0.value == value }
            let predictor = segment.flatMap { s in s.coefficients.map { LinearPredictor(intercept: s.intercept!, coefficients: $0) } } ?? global
            XCTAssertEqual(eta.bitPattern, predictor.logOdds(features: x).bitPattern, "line \(reader.recordLine)")
            if value.isEmpty { missing += 1 } else if segment == nil { unseen += 1 } else if !segment!.hasModel { pooledLeads += 1 }
            expected.append(eta)
        }
        XCTAssertGreaterThan(unseen, 10)
        XCTAssertGreaterThan(missing, 10)
        XCTAssertGreaterThan(pooledLeads, 10)
        // Through `Scorer`, on one thread and in parts: the probabilities
        // of these log-odds, and the counts in the note.
        for plan in [SegmentPlan.Choice.sequential, .segments(bytes: 40_000, workers: 2)] {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("scores-\(UUID().uuidString).csv").path
            defer { try? FileManager.default.removeItem(atPath: out) }
            let summary = try Scorer.score(model: card, inputPath: path, outputPath: out, options: ScoringOptions(reasons: 0), progress: nil, plan: plan)
            XCTAssertEqual(summary.rows, expected.count)
            let scores = try CSVReader(path: out)
            let probability = try XCTUnwrap(scores.header.firstIndex(of: "probability"))
            var i = 0
            while try scores.nextRecord() {
                XCTAssertEqual(scores.field(probability), String(sigmoid(expected[i])), "row \(i + 1)")
                i += 1
            }
            XCTAssertEqual(i, expected.count)
            let note = try XCTUnwrap(summary.notes.first { $0.contains("scored with the global model") })
            XCTAssertTrue(note.contains("\(unseen) leads with a \"Region\" value not seen in training"), note)
            XCTAssertTrue(note.contains("\(missing) leads without a \"Region\" value"), note)
            XCTAssertTrue(note.contains("\(pooledLeads) leads in segments with too few training deals for a model of their own (\"LATAM\" \(pooledLeads))"), note)
        }
    }

    /// With fit and engagement groups, each lead's sub-scores are its
    /// segment model's: round(100·σ(b_s + F_s + Ē)) and
    /// round(100·σ(b_s + F̄ + E_s)), F_s and E_s summed here from the
    /// lead's features and the segment's coefficients; the means F̄ and Ē
    /// are over the training rows, each with its own model's parts.
    func testSubScoresAreEachLeadsSegmentModels() throws {
        let path = try Self.regionsFile(rows: 6000, seed: 17)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var config = Self.configuration(segmentL2: 3, minConversions: 40)
        config.fit = TrainedCards.fitColumns
        config.engagement = TrainedCards.engagementColumns.filter { $0 != "Created Date" }
        let card = try Self.train(path, config)
        let scale = try XCTUnwrap(card.subScores)
        let segments = try XCTUnwrap(card.segments)
        let isFit = card.features.map { $0.group == .fit }

        let reader = try CSVReader(path: path)
        var scorer = try ModelScorer(model: card, header: reader.header, file: path, options: ScoringOptions())
        let region = try XCTUnwrap(reader.header.firstIndex(of: "Region")), stage = try XCTUnwrap(reader.header.firstIndex(of: "Stage"))
        var sumFit = 0.0, sumEngagement = 0.0, closed = 0, bySegment = Set<String>()
        while try reader.nextRecord() {
            _ = try scorer.logOdds(reader: reader)
            let x = scorer.withFeatures { Array($0.prefix(card.features.count)) }
            let segment = segments.segments.first { $0.value == reader.field(region) && $0.hasModel }
            let beta = segment?.coefficients ?? card.coefficients, b = segment?.intercept ?? card.intercept.coefficient
            var f = 0.0, e = 0.0
            for j in beta.indices { if isFit[j] { f += beta[j] * x[j] } else { e += beta[j] * x[j] } }
            let (scores, _) = try XCTUnwrap(scorer.grid())
            XCTAssertEqual(scores.fit, Int((100 / (1 + exp(-(b + f + scale.meanEngagement)))).rounded()), "line \(reader.recordLine)")
            XCTAssertEqual(scores.engagement, Int((100 / (1 + exp(-(b + scale.meanFit + e)))).rounded()), "line \(reader.recordLine)")
            if let segment { bySegment.insert(segment.value) }
            if reader.field(stage) == "Closed Won" || reader.field(stage) == "Closed Lost" {
                sumFit += f
                sumEngagement += e
                closed += 1
            }
        }
        XCTAssertEqual(bySegment, ["North America", "EMEA", "APAC"])
        XCTAssertEqual(scale.meanFit, sumFit / Double(closed), accuracy: 1e-9)
        XCTAssertEqual(scale.meanEngagement, sumEngagement / Double(closed), accuracy: 1e-9)
    }

    /// A card with segments is format 5 and reads back equal; a segment
    /// model whose coefficients do not match the features is refused; one
    /// segment's model is a card of its own (for a points export), which
    /// scores that segment's leads as the segmented card does.
    func testCardsWithSegmentsRoundTripAndOneSegmentIsACardOfItsOwn() throws {
        let path = try Self.regionsFile(rows: 6000, seed: 7)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let card = try Self.train(path, Self.configuration(segmentL2: 10, minConversions: 40))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("segments-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try card.write(to: file)
        var read = try ModelCard.load(path: file)
        read.checksum = card.checksum
        XCTAssertEqual(read.segments, card.segments)
        XCTAssertEqual(read.formatVersion, ModelCard.segmentsFormatVersion)
        XCTAssertNil(card.globalModel.segments)
        XCTAssertLessThan(card.globalModel.requiredFormatVersion, ModelCard.segmentsFormatVersion)

        var broken = card
        broken.segments!.segments[0].coefficients!.removeLast()
        XCTAssertNotNil(broken.segmentsProblem)
        XCTAssertNil(card.segmentsProblem)

        let apac = try XCTUnwrap(card.segments?.segments.first { $0.value == "APAC" })
        let own = try card.model(ofSegment: "APAC")
        XCTAssertNil(own.segments)
        XCTAssertEqual(own.intercept.coefficient, apac.intercept)
        XCTAssertEqual(own.coefficients, apac.coefficients)
        XCTAssertEqual(try card.model(ofSegment: SegmentModels.globalName).coefficients, card.coefficients)
        XCTAssertThrowsError(try card.model(ofSegment: "Atlantis"))
        XCTAssertThrowsError(
            try PointsExport.make(model: card, modelName: "segments.json", data: path), "a points table holds one model"
        ) { error in
            XCTAssertTrue((error as? InputError)?.remedy.contains(OptionKey.segment.mention) ?? false)
        }
    }
}
