import Foundation
import XCTest

@testable import LeadScore

/// The card's checksum over its own content (`ModelCard+Integrity.swift`).
final class ModelCardIntegrityTests: XCTestCase {
    static let card: ModelCard = try! TrainedCards.train(rows: 1500, seed: 5)

    func written() throws -> String { String(decoding: try Self.card.jsonData(), as: UTF8.self) }

    /// The written card with the first coefficient's leading digit
    /// changed. (Not its last digit: the 17th significant digit of a
    /// shortest round-trip number can change without changing the double,
    /// which is then the same content, and which digits a card has depends
    /// on the CPU's BLAS kernel.)
    func editedCoefficient(_ text: String) throws -> String {
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("\"coefficient\" : ") })
        var edited = String(line)
        let value = try XCTUnwrap(edited.range(of: "\"coefficient\" : "))
        let digit = try XCTUnwrap(edited[value.upperBound...].firstIndex { $0.isNumber })
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

    /// A format 1 card (no checksum) is read, with a warning.
    func testFormatOneCardIsReadWithAWarning() throws {
        let text = try written().split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("  \"checksum\" : ") }
            .joined(separator: "\n")
            .replacingOccurrences(of: "\"formatVersion\" : \(Self.card.formatVersion),", with: "\"formatVersion\" : 1,")
        let card = try ModelCard.decode(Data(text.utf8), file: "old.json")
        XCTAssertEqual(card.integrity, .predatesChecksum(file: "old.json"))
        let notice = try XCTUnwrap(card.integrityNotice)
        XCTAssertTrue(notice.hasPrefix("warning: old.json is a format 1 model card"), notice)
        XCTAssertTrue(notice.contains("cannot be checked"), notice)
        XCTAssertTrue(try XCTUnwrap(card.integrityReportNote).contains("could not be checked"))
    }

    /// A format 1 card that carries a checksum (a field only format 2
    /// writes) had its format version lowered: refused as edited, even when
    /// the checksum matches.
    func testFormatOneCardWithAChecksumIsRefused() throws {
        let text = try written().replacingOccurrences(of: "\"formatVersion\" : \(Self.card.formatVersion),", with: "\"formatVersion\" : 1,")
        XCTAssertThrowsError(try ModelCard.decode(Data(text.utf8), file: "m.json")) {
            XCTAssertEqual(($0 as! InputError).kind, .editedModel)
            XCTAssertTrue(($0 as! InputError).problem.contains("carries a checksum"), ($0 as! InputError).problem)
        }
        XCTAssertEqual(try ModelCard.decode(Data(text.utf8), file: "m.json", allowEdited: true).integrity, .editedAllowed(file: "m.json"))
    }

    /// The card as written verifies by its own bytes: they are
    /// `writtenChecksum`'s layout, and without the checksum line they hash
    /// to the checksum.
    func testWrittenBytesWithoutTheChecksumLineHashToTheChecksum() throws {
        let data = try Self.card.jsonData()
        let w = try XCTUnwrap(ModelCard.writtenChecksum(data))
        XCTAssertEqual(w.claimed, w.digest)
        XCTAssertEqual(w.digest, try Self.card.contentChecksum())
    }

    /// A card written by a toolchain that formats numbers otherwise (here a
    /// coefficient written with a trailing zero, the same double) still
    /// verifies by its bytes, although re-encoding it here gives other
    /// bytes.
    func testBytesVerifyWhateverThisBuildsEncoderWrites() throws {
        let lines = try written().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let k = try XCTUnwrap(lines.firstIndex {
            guard let value = $0.components(separatedBy: "\"coefficient\" : ").dropFirst().first else { return false }
            return value.contains(".") && !value.contains("e")
        })
        var content = lines
        content.remove(at: 1)
        content[k - 1] = content[k - 1].replacingOccurrences(of: ",", with: "0,")
        let digest = FileDigest.sha256(data: Data(content.joined(separator: "\n").utf8))
        content.insert("  \"checksum\" : \"\(digest)\",", at: 1)
        let data = Data(content.joined(separator: "\n").utf8)
        let card = try ModelCard.decode(data, file: "m.json")
        XCTAssertEqual(card.integrity, .verified)
        XCTAssertEqual(card.features, Self.card.features, "the trailing zero changes no value")
        XCTAssertNotEqual(try card.contentChecksum(), digest, "the canonical re-encoding alone would refuse it")
    }

    /// The card re-indented by another tool (Python's json.dumps with four
    /// spaces, numbers in its own shortest form) is not laid out as written,
    /// and verifies by its content.
    func testReindentedCardVerifiesByItsContent() throws {
        let reindented = try reindent(try written())
        XCTAssertNil(ModelCard.writtenChecksum(Data(reindented.utf8)))
        let card = try ModelCard.decode(Data(reindented.utf8), file: "m.json")
        XCTAssertEqual(card.integrity, .verified)
        XCTAssertEqual(card.features, Self.card.features)
    }

    /// One changed digit fails both ways: as written, and re-indented.
    func testOneChangedDigitFailsBothWays() throws {
        let edited = try editedCoefficient(try written())
        let w = try XCTUnwrap(ModelCard.writtenChecksum(Data(edited.utf8)))
        XCTAssertNotEqual(w.claimed, w.digest)
        for (text, name) in [(edited, "as written"), (try reindent(edited), "re-indented")] {
            XCTAssertThrowsError(try ModelCard.decode(Data(text.utf8), file: "m.json"), name) {
                XCTAssertEqual(($0 as! InputError).kind, .editedModel, name)
            }
        }
    }

    /// `text` through `python3 -c 'json.dumps(json.load(stdin), indent=4)'`.
    func reindent(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import json, sys; sys.stdout.write(json.dumps(json.load(sys.stdin), indent=4))"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        do { try process.run() } catch { throw XCTSkip("python3 is not available: \(error)") }
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("python3 could not re-indent the card") }
        XCTAssertTrue(printed.hasPrefix("{\n    \""), String(printed.prefix(40)))
        return printed
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
