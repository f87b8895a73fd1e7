import Foundation
import XCTest

@testable import LeadScore

/// The byte-level parser must read every value exactly as `ValueParser`
/// reads its text, and its numbers as `Double(String)` (strtod) reads the
/// texts of the grammar (`NumberGrammarTests` has the grammar itself),
/// compared bit for bit.
final class FieldParserTests: XCTestCase {
    func bytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var s = s
        return s.withUTF8(body)
    }

    static let corpus: [String] = [
        "", " ", "\t", "0", "-0", "1", "12", "007", "-12", "1.5", "-1.5", "2.50", "0.1", "0.3", "1.0", "0.0",
        "3.14159", "123456789012345", "1234567890123456", "12345678901234567", "0.000000000000001",
        "9007199254740993", "1.7976931348623157e308", "1e400", "-1e400", "1e-400", "5e-324", "1e3", "1E3", "-3e2",
        "+5", "+0.5", ".5", "5.", "-", ".", "1.2.3", "1,5", "1 000", "0x10", "0x1p3", "inf", "-inf", "Infinity",
        "nan", "NaN", "NA", "N/A", "null", "None", "Select", "abc", "12abc", " 12 ", "\t3.5\t", "١٢", "é",
        "yes", "Yes", "YES", "no", "No", "true", "TRUE", "False", "y", "N", "t", "F", "1.00", "0.000", "2",
        "yess", "nope", "truE ", "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-32",
        "2024-1-05", "2024-01-05T10:00:00Z", "2024-01-05 10:00", "2024-01-05x", "0000-01-01", "9999-12-31",
        "2024/01/05", "20240105", "2024-01-05T25:61", "2024-01-05T10:15+02:00", "-2024-01-05", "0.1234567890123456789", "99999999999999.9", "4.35", "1.005",
        "123.456e1", "00000000000000000000001", "-0.0", "1_000",
    ]

    func testNumbersMatchDoubleParsingBitForBit() {
        // The grammar (`FieldParser.number`), written as a regular expression.
        let grammar = try! NSRegularExpression(pattern: "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$")
        for s in Self.corpus {
            let inGrammar = grammar.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
            let expected = inGrammar ? Double(s).flatMap { $0.isFinite ? $0 : nil } : nil
            let got = bytes(s) { FieldParser.number($0) }
            XCTAssertEqual(got?.bitPattern, expected?.bitPattern, "\"\(s)\"")
            XCTAssertEqual(ValueParser.number(s)?.bitPattern, expected?.bitPattern, "\"\(s)\"")
        }
        // Random plain decimals: the fast path against strtod.
        var g = SeededGenerator(seed: 7)
        for _ in 0..<20_000 {
            let intDigits = Int.random(in: 1...9, using: &g), fracDigits = Int.random(in: 0...7, using: &g)
            var s = Bool.random(using: &g) ? "-" : ""
            s += String((0..<intDigits).map { _ in Character(String(Int.random(in: 0...9, using: &g))) })
            if fracDigits > 0 { s += "." + String((0..<fracDigits).map { _ in Character(String(Int.random(in: 0...9, using: &g))) }) }
            XCTAssertEqual(bytes(s) { FieldParser.number($0) }?.bitPattern, Double(s)?.bitPattern, s)
        }
    }

    func testBooleansDatesAndMissingMatchValueParser() {
        let parser = ValueParser(missingMarkers: ValueParser.defaultMissingMarkers + ["Select", " n/a "])
        let fields = FieldParser(parser)
        for s in Self.corpus {
            XCTAssertEqual(bytes(s) { FieldParser.boolean($0) }, ValueParser.boolean(s), "boolean \"\(s)\"")
            XCTAssertEqual(bytes(s) { FieldParser.isoDate($0) }, ValueParser.isoDate(s), "date \"\(s)\"")
            let present = bytes(s) { fields.present($0).map { String(decoding: $0, as: UTF8.self) } }
            XCTAssertEqual(present, parser.present(s), "present \"\(s)\"")
        }
        XCTAssertEqual(bytes("2024-03-01") { FieldParser.isoDate($0) }, 19783)
        XCTAssertNil(bytes(" Select\t") { fields.present($0) })
        XCTAssertNil(bytes("n/a") { fields.present($0) })
    }

    /// Markers are told apart from values by their length, first byte and
    /// two words (the whole text when longer than 16 bytes): markers of
    /// every length from 1 to 40, ASCII or not, against values that share
    /// their length, first byte, first and last eight bytes.
    func testMissingMarkersOfEveryLengthAgainstValueParser() {
        let long = "not applicable to this lead"  // 27 bytes
        let markers = ["-", "?", "~~", "n.v.", "—", "keine Angabe", "0123456789abcdef", long, String(repeating: "x", count: 40)]
        let parser = ValueParser(missingMarkers: markers)
        let fields = FieldParser(parser)
        var values = markers + ["--", "!", "~", "n.v", "n.V.", "–", "keine angabe", "0123456789abcdeF", "1123456789abcdef"]
        // Same first and last eight bytes as the long marker, another middle.
        values.append("not applicXble to this lead")
        values.append(String(repeating: "x", count: 20) + "y" + String(repeating: "x", count: 19))
        values += (1...40).map { String(repeating: "x", count: $0) }
        for s in values {
            let present = bytes(s) { fields.present($0).map { String(decoding: $0, as: UTF8.self) } }
            XCTAssertEqual(present, parser.present(s), "present \"\(s)\"")
        }
        XCTAssertNil(bytes(long) { fields.present($0) })
        XCTAssertEqual(bytes("not applicXble to this lead") { fields.present($0) }?.count, 27)
    }

    /// Dates in every format and amounts in both: the text and byte
    /// readers agree on every value of the corpus and of the CRM formats.
    func testDatesInFormatsAndAmountsMatchValueParser() {
        let crm = [
            "07/01/2024", "01.07.2024", "1-7-2024", "7/1/2024 9:05 PM", "07/01/2024 10:15", "02/30/2024", "13/13/2024", "07/01/2024 25:61",
            "00/01/2024", "07/01/24", "07/01/2024T10:15:00", "07/01/2024 10:15 UTC", "$18,111.00", "USD 18,111.00", "18.111,00 €",
            "1,234", "1.234", "1,234.5", "1.234,5", "-$5", "$-5", "18111.00", "€ 1.000", "1,2345", "(5)", "5 %",
        ]
        for s in Self.corpus + crm {
            XCTAssertEqual(bytes(s) { FieldParser.dateFields($0) }, ValueParser.dateFields(s), "fields \"\(s)\"")
            for format in DateFormat.allCases {
                XCTAssertEqual(bytes(s) { FieldParser.date($0, format: format) }, ValueParser.date(s, format: format), "\(format) \"\(s)\"")
            }
            XCTAssertEqual(ValueParser.date(s, format: .iso), ValueParser.isoDate(s), "iso \"\(s)\"")
            for format in AmountFormat.allCases {
                let got = bytes(s) { FieldParser.amount($0, format: format) }, want = ValueParser.amount(s, format: format)
                XCTAssertEqual(got?.value.bitPattern, want?.value.bitPattern, "\(format) \"\(s)\"")
                XCTAssertEqual(got?.currency, want?.currency, "\(format) \"\(s)\"")
            }
            // A plain number is an amount with a decimal point, the same double.
            if let v = ValueParser.number(s) {
                XCTAssertEqual(ValueParser.amount(s, format: .decimalPoint)?.value.bitPattern, v.bitPattern, s)
            }
        }
    }
}
