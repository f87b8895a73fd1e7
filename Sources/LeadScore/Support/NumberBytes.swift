import Foundation

/// Number text written straight into a byte buffer, for CSV output
/// produced row by row: each function writes exactly the bytes of its
/// `String` counterpart and returns how many it wrote. The target must have
/// room for `NumberBytes.maximumLength` bytes.
enum NumberBytes {
    /// Room needed by any of the functions below.
    static let maximumLength = 64

    /// `String(n)`.
    @inline(__always)
    static func integer(_ n: Int64, into target: UnsafeMutablePointer<UInt8>) -> Int {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        return withUnsafeMutableBytes(of: &digits) { scratch in
            var m = n.magnitude
            var k = scratch.count
            repeat {
                k -= 1
                scratch[k] = UInt8(truncatingIfNeeded: m % 10) &+ 0x30
                m /= 10
            } while m != 0
            var out = 0
            if n < 0 {
                target[0] = 0x2D
                out = 1
            }
            for i in k..<scratch.count {
                target[out] = scratch[i]
                out += 1
            }
            return out
        }
    }

    /// `v.description`: the shortest text that reads back as `v`, from the
    /// standard library's own formatter (`Double.write(to:)`), without
    /// making a `String` for finite values.
    static func shortest(_ v: Double, into target: UnsafeMutablePointer<UInt8>) -> Int {
        guard v.isFinite else { return copy(v.description, into: target) }
        var sink = Sink(target: target)
        v.write(to: &sink)
        return sink.count
    }

    /// `ModelNumber.fixed(v, digits)`, by the same arithmetic.
    static func fixed(_ v: Double, _ digits: Int, into target: UnsafeMutablePointer<UInt8>) -> Int {
        guard v.isFinite, digits <= 18 else { return copy(ModelNumber.fixed(v, digits), into: target) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        guard abs(v) * scale < 9e18 else { return copy(v.description, into: target) }
        let r = roundedNonNegative(abs(v) * scale) / scale
        var n = 0
        if v < 0 && r != 0 {
            target[0] = 0x2D
            n = 1
        }
        n += integer(Int64(r), into: target + n)
        if digits > 0 {
            target[n] = 0x2E
            n += 1
            let frac = Int64(roundedNonNegative((r - Double(Int64(r))) * scale))
            // Leading zeros up to `digits` characters, as ModelNumber pads.
            var width = 1
            var m = frac.magnitude
            while m >= 10 {
                m /= 10
                width += 1
            }
            if frac < 0 { width += 1 }
            for _ in 0..<max(0, digits - width) {
                target[n] = 0x30
                n += 1
            }
            n += integer(frac, into: target + n)
        }
        return n
    }

    /// `x.rounded()` (half away from zero) for 0 ≤ x < 2⁶³, without a call
    /// into the C library: t = ⌊x⌋ by truncation, then x − t is exact
    /// (t = 0, or t ≥ x/2), and the result is t or t + 1 (exact below
    /// 2⁵³; above, x is a whole number and x − t = 0). `r.rounded(.down)`
    /// is likewise `Double(Int64(r))` for such r.
    @inline(__always)
    static func roundedNonNegative(_ x: Double) -> Double {
        let t = Double(Int64(x))
        return x - t >= 0.5 ? t + 1 : t
    }

    /// `ModelNumber.signed(v, digits)`.
    static func signed(_ v: Double, _ digits: Int = 1, into target: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        if v >= 0 {
            target[0] = 0x2B
            n = 1
        }
        return n + fixed(v, digits, into: target + n)
    }

    /// `ModelNumber.odds(c)`: e^c with the decimals of
    /// `ModelNumber.oddsDecimals`.
    static func odds(_ c: Double, into target: UnsafeMutablePointer<UInt8>) -> Int {
        let f = exp(c)
        return fixed(f, ModelNumber.oddsDecimals(f), into: target)
    }

    private static func copy(_ s: String, into target: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        for b in s.utf8.prefix(maximumLength) {
            target[n] = b
            n += 1
        }
        return n
    }

    /// Receives the standard library's number text (as ASCII bytes, or as
    /// a `String` should it send one).
    private struct Sink: TextOutputStream {
        let target: UnsafeMutablePointer<UInt8>
        var count = 0

        mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
            for b in buffer where count < NumberBytes.maximumLength {
                target[count] = b
                count += 1
            }
        }

        mutating func write(_ string: String) {
            for b in string.utf8 where count < NumberBytes.maximumLength {
                target[count] = b
                count += 1
            }
        }
    }
}
