/// Sorting of scores by radix sort on order-preserving integer keys: the
/// sort of `RankedScores`, and of the leakage check's numeric columns.
///
/// The order of doubles is carried over to unsigned integers by
/// `key(_:)`: for x ≥ +0 the IEEE 754 bit pattern with the sign bit set,
/// for x < 0 the complement of the bit pattern. Then for doubles a, b that
/// are not NaN, a < b ⇔ key(a) < key(b) and a == b ⇔ key(a) == key(b)
/// (−0 is mapped to +0 first, as −0 == +0). Sorting keys is a least
/// significant digit radix sort: one counting pass per 11-bit digit, each
/// stable, so rows with equal keys keep their input order. A digit on which
/// all keys agree is skipped.
///
/// NaN is not ordered with anything and has no key: callers check for it
/// first (`RankedScores` then has no ranking).
enum ScoreSort {
    static let signBit: UInt64 = 1 << 63

    /// Order-preserving key of a double that is not NaN.
    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        let bits = (x == 0 ? 0.0 : x).bitPattern
        return bits & signBit != 0 ? ~bits : bits | signBit
    }

    /// The double of a key (inverse of `key`; −0 comes back as +0).
    @inline(__always)
    static func value(ofKey k: UInt64) -> Double {
        Double(bitPattern: k & signBit != 0 ? k & ~signBit : ~k)
    }

    static let digitBits = 11
    static let digitCount = (64 + digitBits - 1) / digitBits
    static let buckets = 1 << digitBits

    /// Sorts `keys` ascending, in place.
    static func sort(_ keys: inout [UInt64]) {
        var none: [UInt32] = []
        sort(&keys, carrying: &none)
    }

    /// Sorts `keys` ascending, in place and stably, applying the same
    /// permutation to `payload` (when it is not empty; it then has the
    /// length of `keys`).
    static func sort(_ keys: inout [UInt64], carrying payload: inout [UInt32]) {
        let n = keys.count
        guard n > 1 else { return }
        let carry = !payload.isEmpty
        precondition(!carry || payload.count == n)
        // All digit histograms in one pass.
        var counts = [Int](repeating: 0, count: digitCount * buckets)
        let mask = UInt64(buckets - 1)
        keys.withUnsafeBufferPointer { k in
            counts.withUnsafeMutableBufferPointer { c in
                for i in 0..<n {
                    var x = k[i]
                    for d in 0..<digitCount {
                        c[d * buckets + Int(x & mask)] += 1
                        x >>= UInt64(digitBits)
                    }
                }
            }
        }
        var otherKeys = [UInt64](repeating: 0, count: n)
        var otherPayload = [UInt32](repeating: 0, count: carry ? n : 0)
        var offsets = [Int](repeating: 0, count: buckets)
        for d in 0..<digitCount {
            let shift = UInt64(d * digitBits)
            // Skip a digit on which every key agrees (one bucket holds all).
            let first = counts[d * buckets + Int((keys[0] >> shift) & mask)]
            if first == n { continue }
            var total = 0
            for b in 0..<buckets {
                offsets[b] = total
                total += counts[d * buckets + b]
            }
            keys.withUnsafeBufferPointer { src in
                otherKeys.withUnsafeMutableBufferPointer { dst in
                    offsets.withUnsafeMutableBufferPointer { o in
                        if carry {
                            payload.withUnsafeBufferPointer { ps in
                                otherPayload.withUnsafeMutableBufferPointer { pd in
                                    for i in 0..<n {
                                        let x = src[i]
                                        let b = Int((x >> shift) & mask)
                                        let at = o[b]
                                        o[b] = at + 1
                                        dst[at] = x
                                        pd[at] = ps[i]
                                    }
                                }
                            }
                        } else {
                            for i in 0..<n {
                                let x = src[i]
                                let b = Int((x >> shift) & mask)
                                let at = o[b]
                                o[b] = at + 1
                                dst[at] = x
                            }
                        }
                    }
                }
            }
            swap(&keys, &otherKeys)
            if carry { swap(&payload, &otherPayload) }
        }
    }
}
