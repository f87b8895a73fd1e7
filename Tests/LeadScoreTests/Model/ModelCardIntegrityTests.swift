import Foundation
import XCTest

@testable import LeadScore

/// The card's checksum over its own content (`ModelCard+Integrity.swift`).
final class ModelCardIntegrityTests: XCTestCase {
    static let card: ModelCard = try! TrainedCards.train(rows: 1500, seed: 5)

    func written() throws -> String { String(decoding: try Self.card.jsonData(), as: UTF8.self) }

    /// The first coefficient's text in a written card, and the same with
    /// its last digit changed.
    func editedCoefficient(_ text: String) throws -> String {
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("\"coefficient\" : ") })
        var edited = String(line)
        let digit = try XCTUnwrap(edited.lastIndex { $0.isNumber })
        edited.replaceSubrange(digit...digit, with: edited[digit] == "1" ? "2" : "1")
        return text.replacingOccurrences(of: String(line), with: edited)
    }

    func testWrittenCardVerifies() throws {
        let text = try written()
        let back = try ModelCard.decode(Data(text.utf8), file: "m.json")
        XCTAssertEqual(back.integrity, .verified)
        XCTAssertNil(back.integrityNotice)
        XCTAssertEqual(back.checksum, try Self.card.contentChecksum())
        XCTAssertEqual(String(decoding: try back.jsonData(), as: UTF8.self), text, "re-serialised, the card is the same bytes and verifies again")
    }

    func testOneEditedDigitIsRefused() throws {
        let edited = try editedCoefficient(try written())
        XCTAssertThrowsError(try ModelCard.decode(Data(edited.utf8), file: "m.json")) {
            let error = $0 as! InputError
            XCTAssertEqual(error.kind, .editedModel)
            XCTAssertTrue(error.problem.contains("changed after training"), error.problem)
            XCTAssertTrue(error.remedy.contains(OptionKey.allowEditedModel.mention), error.remedy)
        }
    }

    func testEditedCardIsReadWhenAllowedWithAWarning() throws {
        let edited = try editedCoefficient(try written())
        let card = try ModelCard.decode(Data(edited.utf8), file: "m.json", allowEdited: true)
        XCTAssertEqual(card.integrity, .editedAllowed(file: "m.json"))
        let notice = try XCTUnwrap(card.integrityNotice)
        XCTAssertTrue(notice.hasPrefix("warning: m.json was changed after training"), notice)
    }

    func testRemovedChecksumIsRefused() throws {
        let text = try written().split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("  \"checksum\" : ") }.joined(separator: "\n")
        XCTAssertThrowsError(try ModelCard.decode(Data(text.utf8), file: "m.json")) {
            XCTAssertEqual(($0 as! InputError).kind, .editedModel)
            XCTAssertTrue(($0 as! InputError).problem.contains("no checksum"))
        }
    }

    /// A format 1 card (no checksum) is read, with a note.
    func testFormatOneCardIsReadWithANote() throws {
        let text = try written().split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("  \"checksum\" : ") }
            .joined(separator: "\n")
            .replacingOccurrences(of: "\"formatVersion\" : \(ModelCard.formatVersion),", with: "\"formatVersion\" : 1,")
        let card = try ModelCard.decode(Data(text.utf8), file: "old.json")
        XCTAssertEqual(card.integrity, .predatesChecksum(file: "old.json"))
        XCTAssertTrue(try XCTUnwrap(card.integrityNotice).contains("format 1"))
    }

    /// The checksum is `sha256sum` of the written bytes without the
    /// "checksum" line (the first key): computed here by the system's
    /// sha256sum, not by LeadScore.
    func testChecksumIsSHA256OfTheCardWithoutTheField() throws {
        let text = try written()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines[1].hasPrefix("  \"checksum\" : \""), "the checksum is the first key")
        let without = lines.filter { !$0.hasPrefix("  \"checksum\" : ") }.joined(separator: "\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(without.utf8))
        try input.fileHandleForWriting.close()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let independent = String(printed.prefix(64))
        XCTAssertEqual(independent.count, 64)
        XCTAssertEqual(Self.card.integrity, .verified)
        XCTAssertEqual(try Self.card.contentChecksum(), independent)
        XCTAssertTrue(lines[1].contains(independent))
    }
}
