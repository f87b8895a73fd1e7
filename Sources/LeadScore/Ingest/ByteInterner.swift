#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Distinct byte strings (a column's category levels) numbered in order of
/// first appearance: the dictionary encoding of a column read from raw CSV
/// bytes, without making a `String` per field. It is looked up once per
/// cell of every coded column, the hottest loop of reading a training file.
///
/// Open addressing with linear probing over a power-of-two slot array kept
/// at most half full; the key bytes live in one arena.
///
/// A key is read as two 64-bit words (`ByteWords`), which with its length
/// determine a key of at most 16 bytes, which most CRM values are: such a
/// key is compared by its words and length in its slot, without touching
/// the arena. A longer key is compared byte for byte after its words
/// match. The hash multiplies the words into 128 bits and folds the halves
/// (constant time for a short key; a long key's middle bytes are folded in
/// eight at a time). Levels are numbered by appearance, so the hash
/// decides nothing a user sees.
struct ByteInterner {
    /// A slot: the key's words and length, and its level index + 1 (0 when
    /// the slot is empty).
    private struct Slot {
        var first: UInt64 = 0, last: UInt64 = 0
        var count: Int32 = 0, level: Int32 = 0
    }

    private var slots = [Slot](repeating: Slot(), count: 16)
    /// Level k is arena[starts[k] ..< starts[k + 1]].
    private var starts: [Int] = [0]
    private var arena: [UInt8] = []
    private var hashes: [UInt64] = []

    var count: Int { hashes.count }

    /// The hash of a key and its words.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>, _ w: ByteWords) -> UInt64 {
        var a = w.first ^ 0x243F_6A88_85A3_08D3, b = w.last ^ 0x1319_8A2E_0370_7344 ^ UInt64(key.count)
        if key.count > 16, let p = key.baseAddress {
            // The middle bytes, eight at a time (the words cover the ends).
            var i = 8
            while i < key.count - 8 {
                let m = (a ^ UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))).multipliedFullWidth(by: b ^ 0xA409_3822_299F_31D0)
                (a, b) = (m.high, m.low ^ UInt64(i))
                i += 8
            }
        }
        let m = a.multipliedFullWidth(by: b)
        return m.high ^ m.low
    }

    /// The index of `key`, or nil when it is not in the table.
    @inline(__always)
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let w = ByteWords(key)
        return index(of: key, w, hash: ByteInterner.hash(key, w))
    }

    @inline(__always)
    private func index(of key: UnsafeBufferPointer<UInt8>, _ w: ByteWords, hash h: UInt64) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            let n = Int32(key.count)
            while true {
                let slot = slots[s]
                if slot.level == 0 { return nil }
                if slot.first == w.first && slot.last == w.last && slot.count == n && (n <= 16 || equals(Int(slot.level) - 1, key)) {
                    return Int(slot.level) - 1
                }
                s = (s + 1) & mask
            }
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
        let w = ByteWords(key)
        let h = ByteInterner.hash(key, w)
        if let k = index(of: key, w, hash: h) { return (k, false) }
        return (append(key, w, hash: h), true)
    }

    private mutating func append(_ key: UnsafeBufferPointer<UInt8>, _ w: ByteWords, hash h: UInt64) -> Int {
        let k = hashes.count
        hashes.append(h)
        arena.append(contentsOf: key)
        starts.append(arena.count)
        if 2 * hashes.count > slots.count {
            rehash(capacity: slots.count * 2)
        } else {
            place(k, w, count: key.count, hash: h)
        }
        return k
    }

    private mutating func place(_ k: Int, _ w: ByteWords, count: Int, hash h: UInt64) {
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while slots[s].level != 0 { s = (s + 1) & mask }
        slots[s] = Slot(first: w.first, last: w.last, count: Int32(count), level: Int32(k + 1))
    }

    private mutating func rehash(capacity: Int) {
        slots = [Slot](repeating: Slot(), count: capacity)
        let arena = self.arena, starts = self.starts, hashes = self.hashes
        arena.withUnsafeBufferPointer { a in
            for k in hashes.indices {
                let key = UnsafeBufferPointer(start: a.baseAddress.map { $0 + starts[k] }, count: starts[k + 1] - starts[k])
                place(k, ByteWords(key), count: key.count, hash: hashes[k])
            }
        }
    }

    /// Calls `body` with the bytes of level `k`.
    func withLevel<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        arena.withUnsafeBufferPointer { a in
            body(UnsafeBufferPointer(start: a.baseAddress.map { $0 + starts[k] }, count: starts[k + 1] - starts[k]))
        }
    }

    func level(_ k: Int) -> String { withLevel(k) { String(decoding: $0, as: UTF8.self) } }
}
