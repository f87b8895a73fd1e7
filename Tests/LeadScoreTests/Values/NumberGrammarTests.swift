import XCTest

@testable import LeadScore

/// The number grammar of `FieldParser.number` (and `ValueParser.number`,
/// which calls it): exactly which texts are numbers, and their values.
final class NumberGrammarTests: XCTestCase {
    func number(_ s: String) -> Double? {
        var s = s
        return s.withUTF8(FieldParser.number)
    }

    func testAcceptedTextsAndTheirValues() {
        let accepted: [(String, Double)] = [
            ("12", 12), ("-3.5", -3.5), (".5", 0.5), ("5.", 5), ("1e3", 1000), ("2.5E-2", 0.025), ("+5", 5), ("-.5", -0.5),
            ("+.5e+1", 5), ("0", 0), ("007", 7), ("1E+03", 1000), ("-0", -0.0), ("123456789012345678", 123456789012345678),
            ("00000000000000000000001", 1), ("5.e2", 500), ("1e-400", 0), ("1.7976931348623157e308", 1.7976931348623157e308),
        ]
        for (text, value) in accepted {
            XCTAssertEqual(number(text)?.bitPattern, value.bitPattern, "\"\(text)\"")
            XCTAssertEqual(ValueParser.number(text)?.bitPattern, value.bitPattern, "\"\(text)\"")
        }
    }

    func testRefusedTexts() {
        let refused = [
            "0x10", "0X10", "0x1p3", "0x1P-2", "-0x10", "inf", "-inf", "+inf", "Infinity", "infinity", "INF", "nan", "NaN", "-nan",
            "1e309", "-1e400", "", "-", "+", ".", "-.", "e3", ".e3", "1e", "1e+", "1e3.5", "1.2.3", "1,234", "3,5", "1 000", "1_000",
            "1'000", "$120", "120$", "12%", "12abc", "abc", "1d", "1f", "1.5L", "++5", "+-5", "5-", "1e3e4", "١٢", "１２", " 12",
            "12 ", "0b101", "0o17", "1..2", "..5",
        ]
        for text in refused {
            XCTAssertNil(number(text), "\"\(text)\"")
            XCTAssertNil(ValueParser.number(text), "\"\(text)\"")
        }
    }

    /// Booleans read numbers with the same grammar: 1 and 0 spellings.
    func testBooleansUseTheGrammar() {
        XCTAssertEqual(ValueParser.boolean("1.0"), true)
        XCTAssertEqual(ValueParser.boolean("0e0"), false)
        XCTAssertNil(ValueParser.boolean("0x1"))
        XCTAssertNil(ValueParser.boolean("0x0"))
    }

    func testFormattedNumbersAreNamed() {
        let cases: [(String, NumberLookalike?)] = [
            ("1,234", .thousandsSeparator), ("1,234,567.89", .thousandsSeparator), ("1.234.567", .thousandsSeparator),
            ("1.234,5", .thousandsSeparator), ("1 234", .thousandsSeparator), ("1'234", .thousandsSeparator), ("1_000", .thousandsSeparator),
            ("3,5", .decimalComma), ("-0,25", .decimalComma), ("$120", .currency), ("€ 1.200,50", .currency), ("120 USD", .currency),
            ("-£3", .currency), ("12%", .percentage), ("12,5 %", .percentage),
            ("1.234", nil), ("12", nil), ("abc", nil), ("0x10", nil), ("2024-01-05", nil), ("1,2,3", nil), ("Acme, Inc", nil),
        ]
        for (text, kind) in cases { XCTAssertEqual(NumberLookalike(text), kind, "\"\(text)\"") }
    }
}
