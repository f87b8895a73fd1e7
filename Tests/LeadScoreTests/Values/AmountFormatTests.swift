import Foundation
import XCTest

@testable import LeadScore

/// Amounts with currency signs and thousands marks, in each format
/// (`FieldParser.amount(_:format:)`), checked against the plain number of
/// the same digits as `Double(String)` (strtod) reads it.
final class AmountFormatTests: XCTestCase {
    func value(_ s: String, _ format: AmountFormat) -> Double? { ValueParser.amount(s, format: format)?.value }
    func currency(_ s: String, _ format: AmountFormat) -> String? { ValueParser.amount(s, format: format)?.currency.text }

    func testCRMAmounts() {
        XCTAssertEqual(value("$18,111.00", .decimalPoint), 18111)
        XCTAssertEqual(currency("$18,111.00", .decimalPoint), "$")
        XCTAssertEqual(value("USD 18,111.00", .decimalPoint), 18111)
        XCTAssertEqual(currency("USD 18,111.00", .decimalPoint), "USD")
        XCTAssertEqual(value("18,111.00 USD", .decimalPoint), 18111)
        XCTAssertEqual(value("18.111,00 €", .decimalComma), 18111)
        XCTAssertEqual(currency("18.111,00 €", .decimalComma), "€")
        XCTAssertEqual(value("EUR 1.234.567,89", .decimalComma), 1_234_567.89)
        XCTAssertEqual(value("-$1,234.5", .decimalPoint), -1234.5)
        XCTAssertEqual(value("$-1,234.5", .decimalPoint), -1234.5)
        XCTAssertEqual(value("$120", .decimalPoint), 120)
        XCTAssertEqual(value("£ 7", .decimalComma), 7)
        // A plain number is an amount with a decimal point, with its own
        // value; with a decimal comma only when it is an integer.
        XCTAssertEqual(value("18111.00", .decimalPoint), 18111)
        XCTAssertEqual(currency("18111.00", .decimalPoint), "")
        XCTAssertNil(value("18111.00", .decimalComma))
        XCTAssertEqual(value("18111", .decimalComma), 18111)
        XCTAssertEqual(value("1e3", .decimalPoint), 1000)
        XCTAssertNil(value("1e3", .decimalComma))
        // The same text, two values: the reason a column's format is decided
        // from all its values, or given.
        XCTAssertEqual(value("1,234", .decimalPoint), 1234)
        XCTAssertEqual(value("1,234", .decimalComma), 1.234)
        XCTAssertEqual(value("1.234", .decimalPoint), 1.234)
        XCTAssertEqual(value("1.234", .decimalComma), 1234)
        // One format only.
        XCTAssertNil(value("1,234.5", .decimalComma))
        XCTAssertNil(value("1.234,5", .decimalPoint))
        XCTAssertEqual(value("1,23", .decimalComma), 1.23)
        XCTAssertNil(value("1,23", .decimalPoint))
    }

    func testNotAmounts() {
        for text in [
            "", "$", "USD", "-", "$$5", "--5", "5%", "1 234", "1'234", "1_000", "(1,234)", "12,34,567", "1,2345", "1234,567.00", ",5", "5,",
            "$ 5 USD", "USD5 USD", "€5$", "abc", "5 apples", "0x10", "1.234,5.6", "  ", "$ ", "-$", "5-",
        ] {
            XCTAssertNil(ValueParser.amount(text, format: .decimalPoint), "\"\(text)\" (point)")
            if text != "1,2345" && text != "12,34,567" {
                XCTAssertNil(ValueParser.amount(text, format: .decimalComma), "\"\(text)\" (comma)")
            }
        }
        // With a decimal comma these are decimals, not groups.
        XCTAssertEqual(value("1,2345", .decimalComma), 1.2345)
        XCTAssertNil(value("12,34,567", .decimalComma))
    }

    /// Random amounts written with a sign or code, thousands marks and
    /// cents in each format, against strtod on the plain digits.
    func testRandomAmountsAgainstStrtod() {
        var g = SeededGenerator(seed: 5)
        for _ in 0..<20_000 {
            let whole = Int.random(in: 0...9_999_999_999, using: &g)
            let cents = Int.random(in: 0...99, using: &g)
            let withCents = Bool.random(using: &g)
            let negative = Int.random(in: 0..<10, using: &g) == 0
            let plain = (negative ? "-" : "") + "\(whole)" + (withCents ? "." + (cents < 10 ? "0" : "") + "\(cents)" : "")
            let expected = Double(plain)!
            for format in AmountFormat.allCases {
                let (group, decimal) = format == .decimalPoint ? (",", ".") : (".", ",")
                var digits = String(whole), grouped = ""
                while digits.count > 3 {
                    grouped = group + digits.suffix(3) + grouped
                    digits.removeLast(3)
                }
                grouped = digits + grouped + (withCents ? decimal + (cents < 10 ? "0" : "") + "\(cents)" : "")
                let mark = ["$", "USD ", "€", " EUR", "£", ""][Int.random(in: 0...5, using: &g)]
                let text = mark.hasPrefix(" ") ? (negative ? "-" : "") + grouped + mark : (negative ? "-" : "") + mark + grouped
                XCTAssertEqual(ValueParser.amount(text, format: format)?.value.bitPattern, expected.bitPattern, "\"\(text)\" \(format)")
                XCTAssertEqual(
                    ValueParser.amount(text, format: format)?.currency.text, mark.trimmingCharacters(in: .whitespaces), "\"\(text)\"")
            }
        }
    }

    func testFormatSpellings() {
        XCTAssertEqual(AmountFormat(spelling: "1,234.56"), .decimalPoint)
        XCTAssertEqual(AmountFormat(spelling: "1.234,56"), .decimalComma)
        XCTAssertNil(AmountFormat(spelling: "1234.56"))
        XCTAssertEqual(Currency("USD").text, "USD")
        XCTAssertEqual(Currency("€").text, "€")
        XCTAssertNotEqual(Currency("$"), Currency("USD"))
    }
}
