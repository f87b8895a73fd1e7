import Foundation
import XCTest

@testable import LeadScore

/// The training profile's bins (`ColumnProfile`) and its place in the
/// model card: the deciles by their definition, bins closed on the right,
/// old cards read without one, new cards covered by the checksum.
final class TrainingProfileTests: XCTestCase {
    func deciles(_ values: [Double]) -> [Double] {
        var v = values
        return ColumnProfile.deciles(&v)
    }

    /// x₍⌈n·k/10⌉₎ for k = 1…9, equal deciles once; on an exact multiple
    /// (n = 1000, n·k/10 whole) the index is not rounded up.
    func testDecilesAreTheInverseOfTheEmpiricalDistribution() {
        XCTAssertEqual(deciles((1...1000).map(Double.init).shuffled()), [100, 200, 300, 400, 500, 600, 700, 800, 900])
        XCTAssertEqual(deciles((1...10).map(Double.init).reversed()), [1, 2, 3, 4, 5, 6, 7, 8, 9])
        // n = 3: ⌈0.3⌉…⌈0.9⌉ = 1, ⌈1.2⌉…⌈1.8⌉ = 2, ⌈2.1⌉…⌈2.7⌉ = 3.
        XCTAssertEqual(deciles([5, 1, 3]), [1, 3, 5])
        // n = 11: ⌈1.1⌉ = 2, so the first decile is the second value.
        XCTAssertEqual(deciles((0...10).map(Double.init)), [1, 2, 3, 4, 5, 6, 7, 8, 9])
        // Counts with ties: six zeros, two ones, a two and a five.
        XCTAssertEqual(deciles([0, 5, 0, 1, 0, 2, 0, 1, 0, 0]), [0, 1, 2])
        XCTAssertEqual(deciles([7, 7, 7]), [7])
        XCTAssertEqual(deciles([]), [])
    }

    func testNumbersAreBinnedClosedOnTheRightWithMissingLast() {
        let p = ColumnProfile(column: "Visits", kind: .numeric, edges: [0, 1, 2], shares: [0.4, 0.3, 0.2, 0.1, 0])
        XCTAssertEqual(p.binCount, 5)
        XCTAssertEqual([-1, 0, 0.5, 1, 1.5, 2, 2.5, 100].map(p.bin(number:)), [0, 0, 1, 1, 2, 2, 3, 3])
        XCTAssertEqual(p.bin(number: .nan), 4)
        XCTAssertEqual(p.binLabels, ["≤ 0", "(0, 1]", "(1, 2]", "> 2", "(missing)"])
        XCTAssertNil(p.problem)
        let none = ColumnProfile(column: "Empty", kind: .numeric, edges: [], shares: [0, 1])
        XCTAssertEqual(none.binLabels, ["all values", "(missing)"])
        XCTAssertEqual(none.bin(number: 3), 0)
    }

    func testEdgesAreWrittenShortOrToFourSignificantDigits() {
        XCTAssertEqual([2, 0.25, 1234.5, 0.018070636078, 12345.678, -0.5536, 0].map(ColumnProfile.edgeText), ["2", "0.25", "1234.5", "0.01807", "12346", "-0.5536", "0"])
    }

    /// A numeric profile from values: the deciles, then every value's bin.
    func testNumericProfileShares() {
        var values: [Double] = [0, 0, 0, 0, 0, 0, 1, 1, 2, 5]
        let p = ColumnProfile.numbers(column: "Visits", kind: .numeric, present: &values, missing: 10)
        XCTAssertEqual(p.edges, [0, 1, 2])
        XCTAssertEqual(p.shares, [0.3, 0.1, 0.05, 0.05, 0.5])
        XCTAssertNil(p.problem)
    }

    /// A category's bins: the kept levels, the reference first and the
    /// others by the encoder's order (most frequent first), then "(other)"
    /// and "(missing)", whether or not the encoder kept those two.
    func testCategoryBinsPutOtherAndMissingLast() {
        let e = CategoricalEncoder(column: "Plan", reference: "A", levels: ["B", "(missing)", "(other)", "C"], pooled: ["E"], counts: [5, 4, 3, 2, 9])
        XCTAssertEqual(ColumnProfile.levels(of: e), ["A", "B", "C", "(other)", "(missing)"])
        let otherFirst = CategoricalEncoder(column: "Plan", reference: "(other)", levels: ["A", "B"], pooled: ["x", "y"], counts: [5, 4, 9])
        XCTAssertEqual(ColumnProfile.levels(of: otherFirst), ["A", "B", "(other)", "(missing)"])
    }

    func testDamagedProfilesAreNamed() {
        var p = ColumnProfile(column: "Visits", kind: .numeric, edges: [0, 1], shares: [0.5, 0.25, 0.25, 0])
        XCTAssertNil(p.problem)
        p.edges = [1, 0]
        XCTAssertNotNil(p.problem)
        p.edges = [0, 1]
        p.shares = [0.5, 0.25, 0.25]
        XCTAssertNotNil(p.problem, "one share per bin")
        p.shares = [0.5, 0.5, 0.25, 0]
        XCTAssertNotNil(p.problem, "shares add up to 1")
        XCTAssertNotNil(ColumnProfile(column: "Plan", kind: .categorical, levels: ["A", "A"], shares: [0.5, 0.5]).problem)
    }

    // MARK: The card

    static let card: ModelCard = try! TrainedCards.train(rows: 1500, seed: 11)

    /// Every encoder column, in order, and the score; the training rows
    /// are the fitted ones (the 20% holdout is not in them).
    func testTrainedCardCarriesAProfileOfItsFittedRows() throws {
        let card = Self.card
        let profile = try XCTUnwrap(card.trainingProfile)
        XCTAssertEqual(profile.rows, card.training.rows)
        XCTAssertEqual(profile.columns.map(\.column), card.schema.encoders.columns.map(\.column))
        XCTAssertEqual(profile.columns.map(\.kind), card.schema.encoders.columns.map(\.kind))
        for c in profile.columns + [profile.score] { XCTAssertNil(c.problem, c.column) }
        // The score's deciles cut the training rows into tenths (no ties
        // among probabilities from continuous features).
        for share in profile.score.shares.dropLast() { XCTAssertEqual(share * Double(profile.rows), Double(profile.rows) / 10, accuracy: 1) }
        XCTAssertEqual(profile.score.shares.last, 0, "the score is never missing")
        // A date column is profiled as days before the as-of date.
        let created = try XCTUnwrap(profile.columns.first { $0.column == "Created Date" })
        XCTAssertEqual(created.kind, .date)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(created.edges?.first), 0)
    }

    /// The profile asks for no newer format: a card without groups is still
    /// format 2, and the profile is inside the checksum.
    func testProfileKeepsTheFormatAndIsCoveredByTheChecksum() throws {
        XCTAssertEqual(Self.card.formatVersion, 2)
        XCTAssertEqual(Self.card.requiredFormatVersion, 2)
        let text = String(decoding: try Self.card.jsonData(), as: UTF8.self)
        XCTAssertTrue(text.contains("\"trainingProfile\" : {"))
        XCTAssertEqual(try ModelCard.decode(Data(text.utf8), file: "m.json").trainingProfile, Self.card.trainingProfile)
        // One training share changed by hand: the card is refused as edited.
        let share = try XCTUnwrap(Self.card.trainingProfile?.columns.first { $0.kind == .numeric }?.shares.first)
        let written = ModelNumber.text(share)
        XCTAssertTrue(text.contains(written))
        let edited = text.replacingOccurrences(of: written, with: ModelNumber.text(share + 0.01))
        XCTAssertThrowsError(try ModelCard.decode(Data(edited.utf8), file: "m.json")) { XCTAssertEqual(($0 as! InputError).kind, .editedModel) }
    }

    /// A card written before the profile (none) reads and verifies as it
    /// did, and writes the same bytes: the key is absent, not null.
    func testCardWithoutAProfileIsReadAsBefore() throws {
        var old = Self.card
        old.trainingProfile = nil
        let text = String(decoding: try old.jsonData(), as: UTF8.self)
        XCTAssertFalse(text.contains("trainingProfile"))
        let back = try ModelCard.decode(Data(text.utf8), file: "old.json")
        XCTAssertEqual(back.integrity, .verified)
        XCTAssertNil(back.trainingProfile)
        XCTAssertEqual(String(decoding: try back.jsonData(), as: UTF8.self), text)
        // The committed bundled model, when written before the profile, loads too.
        let bundled = try ModelCard.load(path: Fixtures.repositoryRoot.appendingPathComponent("models/b2b-deals.json").path)
        XCTAssertEqual(bundled.integrity, .verified)
    }
}
