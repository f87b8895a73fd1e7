import XCTest

@testable import LeadScore

/// `NumberTextMemo.text(v)` must be exactly its `make`'s bytes for `v`
/// (here the `String` texts of `ModelNumber`), and its plain flag
/// `ScoresLayout.isPlain` of them, whatever the table held before: values
/// met again (hits), values that share a slot and push each other out
/// (a table of a few slots), texts too long to keep, and values that
/// differ only in their last bit or their sign.
final class NumberTextMemoTests: XCTestCase {
    /// A memo of `make`'s `String`, and that `String` to compare with.
    func memo(slots: Int, _ make: @escaping (Double) -> String) -> NumberTextMemo {
        NumberTextMemo(slots: slots) { v, target in
            var n = 0
            for b in make(v).utf8 {
                target[n] = b
                n += 1
            }
            return n
        }
    }

    func check(_ memo: NumberTextMemo, _ values: [Double], _ make: (Double) -> String, _ name: String, line: UInt = #line) {
        var failures = 0
        for v in values {
            let (bytes, plain) = memo.text(v)
            let got = String(decoding: bytes, as: UTF8.self)
            let expected = make(v)
            let expectedPlain = Array(expected.utf8).withUnsafeBufferPointer { ScoresLayout.isPlain($0) }
            if got != expected || plain != expectedPlain {
                failures += 1
                if failures <= 5 {
                    XCTFail("\(name), \(v) (\(v.bitPattern)): \"\(got)\" plain \(plain), expected \"\(expected)\" plain \(expectedPlain)", line: line)
                }
            }
        }
    }

    /// The values of a scores file's reasons, met again and again, and the
    /// edges: ±0, the neighbours of a value, subnormals, the largest
    /// doubles, infinities, NaN.
    func values(seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed)
        let edges: [Double] = [
            0, -0.0, 0.05, -0.05, 0.05.nextUp, 0.05.nextDown, 1, -1, 1.0.nextUp, log(9.96), log(0.0996), -28, -30, 30, 700, -700,
            .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity,
            -.infinity, .nan, 1e300, -1e-300,
        ]
        // A few hundred distinct contributions, as a model's columns give.
        let pool = (0..<300).map { _ in Double.random(in: -4...4, using: &g) } + edges
        return (0..<20_000).map { i in i < pool.count ? pool[i] : pool.randomElement(using: &g)! }
    }

    func testTheTextIsMakesWhateverTheTableHeld() {
        let odds = { (c: Double) in ": odds \u{D7}" + ModelNumber.odds(c) }
        let signed = { (c: Double) in " (" + ModelNumber.signed(c) + ")" }
        let values = values(seed: 41)
        for slots in [2, 8, 2048] {
            check(memo(slots: slots, odds), values, odds, "odds, \(slots) slots")
            check(memo(slots: slots, signed), values, signed, "signed, \(slots) slots")
            check(memo(slots: slots, ModelNumber.text), values, ModelNumber.text, "aged value, \(slots) slots")
        }
    }

    /// Texts up to `NumberTextMemo.longest` are kept, longer ones made
    /// each time; texts with a comma, a quote or a control character are
    /// not plain. Here each value's text is as long as the value says.
    func testLongAndNotPlainTexts() {
        let lengths = 1..<70
        let text = { (v: Double) -> String in
            let n = Int(abs(v))
            let filler = v < 0 ? "\"" : (v.truncatingRemainder(dividingBy: 7) == 0 ? "," : "x")
            return String(repeating: "a", count: n - 1) + filler
        }
        var g = SeededGenerator(seed: 42)
        let values = (0..<5_000).map { _ in Double(Int.random(in: lengths, using: &g)) * (Bool.random(using: &g) ? 1 : -1) }
        for slots in [4, 64] { check(memo(slots: slots, text), values, text, "lengths, \(slots) slots") }
        XCTAssertEqual(NumberTextMemo.longest, 22)
    }
}
