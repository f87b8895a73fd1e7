import XCTest

@testable import LeadScore

/// The dictionary of a column's levels numbers distinct byte strings in
/// order of first appearance: checked against a Swift dictionary on keys
/// chosen to collide in the interner's words (same length, same first and
/// last eight bytes, another middle) and in its slots (thousands of keys,
/// so the table grows and probes).
final class ByteInternerTests: XCTestCase {
    func testLevelsAreNumberedAsADictionaryNumbersThem() {
        var keys: [[UInt8]] = []
        for n in 0...40 {
            keys.append([UInt8](repeating: 0x61, count: n))
            if n > 0 {
                // The same bytes but one, at each position.
                for i in 0..<n {
                    var k = [UInt8](repeating: 0x61, count: n)
                    k[i] = 0x62
                    keys.append(k)
                }
            }
        }
        var g = SeededGenerator(seed: 11)
        for _ in 0..<5_000 { keys.append((0..<Int.random(in: 1...24, using: &g)).map { _ in UInt8.random(in: 0x41...0x5A, using: &g) }) }
        keys += [Array("United States".utf8), Array("Closed Won".utf8), Array("é".utf8), Array("e\u{301}".utf8)]
        // Every key twice, shuffled: the second time it must be found.
        var order = keys + keys
        order.shuffle(using: &g)

        var interner = ByteInterner()
        var reference: [[UInt8]: Int] = [:]
        for key in order {
            let expected = reference[key]
            let found = key.withUnsafeBufferPointer { interner.index(of: $0) }
            XCTAssertEqual(found, expected, "\(key)")
            let (index, added) = key.withUnsafeBufferPointer { interner.intern($0) }
            if let expected {
                XCTAssertEqual(index, expected)
                XCTAssertFalse(added)
            } else {
                XCTAssertEqual(index, reference.count)
                XCTAssertTrue(added)
                reference[key] = index
            }
        }
        XCTAssertEqual(interner.count, reference.count)
        for (key, index) in reference { XCTAssertEqual(interner.withLevel(index) { Array($0) }, key) }
    }
}
