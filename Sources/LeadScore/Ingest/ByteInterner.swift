#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Distinct byte strings (a column's category levels) numbered in order of
/// first appearance: the dictionary encoding of a column read from raw CSV
/// bytes, without making a `String` per field.
///
/// Open addressing with linear probing over a power-of-two slot array kept
/// at most half full; the key bytes live in one arena. The hash is FNV-1a
/// (64-bit): short CRM values make a simple byte hash the cheapest.
struct ByteInterner {
    /// Level index + 1 per slot, 0 when empty.
    private var slots: [Int32] = [Int32](repeating: 0, count: 16)
    private var hashes: [UInt64] = []
    /// Level k is arena[starts[k] ..< starts[k + 1]].
    private var starts: [Int] = [0]
    private var arena: [UInt8] = []

    var count: Int { hashes.count }

    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in key { h = (h ^ UInt64(c)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// The index of `key`, or nil when it is not in the table.
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        index(of: key, hash: ByteInterner.hash(key))
    }

    private func index(of key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int? {
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = Int(slots[s])
            if v == 0 { return nil }
            let k = v - 1
            if hashes[k] == h && equals(k, key) { return k }
            s = (s + 1) & mask
        }
    }

    private func equals(_ k: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[k], n = starts[k + 1] - start
        guard n == key.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            n == 0 || memcmp(a.baseAddress! + start, key.baseAddress!, n) == 0
        }
    }

    /// The index of `key`, adding it as the next level when absent.
    @inline(__always)
    mutating func intern(_ key: UnsafeBufferPointer<UInt8>) -> (index: Int, added: Bool) {
        let h = ByteInterner.hash(key)
        if let k = index(of: key, hash: h) { return (k, false) }
        return (append(key, hash: h), true)
    }

    private mutating func append(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int {
        let k = hashes.count
        hashes.append(h)
        arena.append(contentsOf: key)
        starts.append(arena.count)
        if 2 * hashes.count > slots.count {
            rehash(capacity: slots.count * 2)
        } else {
            place(k, hash: h)
        }
        return k
    }

    private mutating func place(_ k: Int, hash h: UInt64) {
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while slots[s] != 0 { s = (s + 1) & mask }
        slots[s] = Int32(k + 1)
    }

    private mutating func rehash(capacity: Int) {
        slots = [Int32](repeating: 0, count: capacity)
        for k in hashes.indices { place(k, hash: hashes[k]) }
    }

    /// Calls `body` with the bytes of level `k`.
    func withLevel<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        arena.withUnsafeBufferPointer { a in
            body(UnsafeBufferPointer(start: a.baseAddress.map { $0 + starts[k] }, count: starts[k + 1] - starts[k]))
        }
    }

    func level(_ k: Int) -> String { withLevel(k) { String(decoding: $0, as: UTF8.self) } }
}
