import XCTest

@testable import LeadScore

/// The byte formatters must write exactly the text of their `String`
/// counterparts: `description`, `String(Int64)`, `ModelNumber.fixed` and
/// `ModelNumber.signed`.
final class NumberBytesTests: XCTestCase {
    func text(_ body: (UnsafeMutablePointer<UInt8>) -> Int) -> String {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: NumberBytes.maximumLength)
        defer { buffer.deallocate() }
        let n = body(buffer)
        if n > NumberBytes.maximumLength { XCTFail("\(n) bytes written") }
        return String(decoding: UnsafeBufferPointer(start: buffer, count: n), as: UTF8.self)
    }

    /// XCTAssertEqual without its cost on the passing path (millions of checks).
    func check(_ got: String, _ expected: String, _ message: @autoclosure () -> String, line: UInt = #line) {
        if got != expected { XCTFail("\(message()): \"\(got)\" != \"\(expected)\"", line: line) }
    }

    static let edgeDoubles: [Double] = [
        0, -0.0, 1, -1, 0.5, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 0.05, 0.15, 0.25, 0.35, 0.45, 0.95, 0.05000000000000001,
        0.049999999999999996, 1e-4, 1e-5, 9.9999e-5, 0.0001, 0.00009999999999999999, 1e-16, 1e16, 1e15, 123456789012345680,
        2e-308, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, .ulpOfOne, 1 - .ulpOfOne / 2,
        1.0.nextDown, 0.0.nextUp, 0.5.nextUp, 0.5.nextDown, 4.35, 1.005, 2.5, 3.5, -2.5, 0.95.nextUp, 0.96, 9.95, 99.95,
        1e18, 8.99e17, 9e17, 8.999999999999999e17, 4.5e15, 4503599627370496.5, 9007199254740993, 1.25, -1.25, -0.04, -0.05,
        0.03009934453690478, 0.926749752890886, .infinity, -.infinity, .nan, 6e122, 1e21,
    ]

    func testShortestIsDescription() {
        for v in Self.edgeDoubles { XCTAssertEqual(text { NumberBytes.shortest(v, into: $0) }, v.description, "\(v)") }
        var g = SeededGenerator(seed: 5)
        for _ in 0..<100_000 {
            // Probabilities (uniform, and spread over many magnitudes), and any bit pattern.
            let u = Double.random(in: 0...1, using: &g)
            let tiny = u * pow(10, -Double(Int.random(in: 0...30, using: &g)))
            let any = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &g))
            for v in [u, tiny, any] where !v.isNaN {
                check(text { NumberBytes.shortest(v, into: $0) }, v.description, "\(v.bitPattern)")
            }
        }
    }

    func testOddsIsModelNumber() {
        var g = SeededGenerator(seed: 9)
        var values: [Double] = [0, 0.05, -0.05, log(9.96), log(0.0996), 30, -30, 700, -700]
        for _ in 0..<50_000 { values.append(Double.random(in: -8...8, using: &g)) }
        for c in values { check(text { NumberBytes.odds(c, into: $0) }, ModelNumber.odds(c), "\(c)") }
    }

    func testIntegerIsString() {
        for n: Int64 in [0, 1, -1, 9, 10, 99, 100, 12345, -987654321, .max, .min, .max - 1, .min + 1] {
            XCTAssertEqual(text { NumberBytes.integer(n, into: $0) }, String(n))
        }
        var g = SeededGenerator(seed: 6)
        for _ in 0..<20_000 {
            let n = Int64.random(in: .min ... .max, using: &g) >> Int64.random(in: 0...63, using: &g)
            check(text { NumberBytes.integer(n, into: $0) }, String(n), "\(n)")
        }
    }

    func testFixedAndSignedAreModelNumber() {
        var values = Self.edgeDoubles
        var g = SeededGenerator(seed: 8)
        for _ in 0..<50_000 {
            values.append(Double.random(in: -12...12, using: &g))
            // Exactly on and next to the rounding boundaries k.k5.
            let tie = (Double(Int.random(in: -2000...2000, using: &g)) + 0.5) / 10
            values += [tie, tie.nextUp, tie.nextDown]
            values.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &g)))
            values.append(Double.random(in: -1e19...1e19, using: &g))
        }
        for v in values {
            for digits in [0, 1, 2, 4] {
                check(text { NumberBytes.fixed(v, digits, into: $0) }, ModelNumber.fixed(v, digits), "\(v) \(digits)")
            }
            check(text { NumberBytes.signed(v, into: $0) }, ModelNumber.signed(v), "\(v)")
        }
        XCTAssertEqual(text { NumberBytes.signed(1.94, into: $0) }, "+1.9")
        XCTAssertEqual(text { NumberBytes.signed(-0.04, into: $0) }, "0.0")
        XCTAssertEqual(text { NumberBytes.signed(-1.25, into: $0) }, "-1.3")
        XCTAssertEqual(text { NumberBytes.signed(0.05, into: $0) }, "+0.1")
    }

    /// Round half away from zero, as `Double.rounded()`.
    func testRoundedNonNegative() {
        for x in [0, 0.49999999999999994, 0.5, 1.5, 2.5, 2.4999999999999996, 4503599627370495.5, 4503599627370497, 9007199254740993, 8.9e18] {
            XCTAssertEqual(NumberBytes.roundedNonNegative(x), x.rounded(), "\(x)")
        }
        var g = SeededGenerator(seed: 9)
        for _ in 0..<100_000 {
            let x = Double.random(in: 0..<1, using: &g) * pow(2, Double(Int.random(in: 0...62, using: &g)))
            if NumberBytes.roundedNonNegative(x) != x.rounded() { XCTFail("\(x)") }
        }
    }
}
