/// A short byte string read as two 64-bit words, so that it can be hashed
/// and compared without a loop or a call: for n bytes, n ≥ 8, the first
/// eight and the last eight; 4 ≤ n < 8, the first four and the last four;
/// 1 ≤ n < 4, bytes 0, n/2 and n−1; n = 0, zeros. The loads overlap and
/// cover every byte, so together with n the two words determine a string
/// of at most 16 bytes; a longer one must still be compared byte for byte
/// when its words match. Used by the missing-value markers
/// (`FieldParser.present`), a column's levels (`ByteInterner`) and the
/// "Select" placeholder count (`PartReader`).
struct ByteWords: Equatable {
    var first: UInt64, last: UInt64

    @inline(__always)
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard let p = bytes.baseAddress, n > 0 else {
            (first, last) = (0, 0)
            return
        }
        let raw = UnsafeRawPointer(p)
        if n >= 8 {
            first = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            last = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        } else if n >= 4 {
            first = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            last = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)))
        } else {
            first = UInt64(p[0]) | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1]) << 16
            last = 0
        }
    }

    /// The words of a text's UTF-8 bytes.
    init(_ text: String) {
        var text = text
        self = text.withUTF8 { ByteWords($0) }
    }
}
