/// The levels of a model's categorical columns keyed by their UTF-8 bytes,
/// so that a CSV field can be looked up without making a `String`: the
/// byte-level twin of `CategoricalEncoder.makeLookup` / `activeIndex` and
/// of the unseen test of `RowEncoder`.
///
/// One open-addressing table (linear probing, FNV-1a hash of the column
/// number and the bytes) holds every column's levels, pooled levels and
/// reference. Each key carries what the `String` functions answer for that
/// value: the active feature index (or none, for the reference), whether
/// the value counts as unseen, and whether it is shown as `[rare]` in
/// reasons (unseen or pooled).
///
/// Byte equality is not `String` equality: Swift compares strings by
/// canonical equivalence, under which, for example, the Kelvin sign U+212A
/// equals the letter K, and "é" written as one scalar equals "e" followed
/// by a combining accent. So the table answers only when that makes no
/// difference, and `match` returns nil otherwise, for the caller to use the
/// `String` functions:
/// - a column with two keys equal as strings but different in bytes is
///   left to the `String` functions entirely;
/// - otherwise a value found in the table gets that key's answer;
/// - a value not found is unknown to the model only when it and all the
///   column's keys are ASCII (ASCII strings are equal exactly when their
///   bytes are).
final class LevelTable {
    /// What the `String` functions answer for one value of one column.
    struct Match: Equatable {
        /// The feature index that is 1, or -1 for none (the reference).
        var active: Int32
        /// Unseen: not a level of the model, nor pooled, nor its reference.
        var unseen: Bool
        /// Shown as `[rare]` in reasons: unseen, or pooled into "(other)".
        var rare: Bool
    }

    /// Per column (encoder column order): whether every key is ASCII,
    /// whether a key found by its bytes gives the `String` answer (no two
    /// keys equal as strings with different bytes), the answer for a value
    /// that is not in the table, and for a missing value.
    private let asciiKeys: UnsafeMutablePointer<Bool>
    private let trustHits: UnsafeMutablePointer<Bool>
    private let unknown: UnsafeMutablePointer<Match>
    private let missing: UnsafeMutablePointer<Match>
    private let columnCount: Int

    private let keyBytes: UnsafeMutablePointer<UInt8>
    private let keyStart: UnsafeMutablePointer<Int>
    private let keyLength: UnsafeMutablePointer<Int>
    private let keyColumn: UnsafeMutablePointer<Int>
    private let matches: UnsafeMutablePointer<Match>
    /// Slot → key index + 1 (0 for an empty slot).
    private let slots: UnsafeMutablePointer<Int32>
    private let mask: Int
    private let keyCount: Int

    /// Builds the table for `columns`; non-categorical columns get no keys.
    init(columns: [ColumnEncoder]) {
        // Each key's answer comes from the String functions themselves
        // (makeLookup, activeIndex, isUnseen, pooled); a level listed twice
        // with the same bytes is stored once.
        var keys: [(column: Int, bytes: [UInt8], match: Match)] = []
        var asciiKeys: [Bool] = [], trustHits: [Bool] = [], unknown: [Match] = [], missing: [Match] = []
        for (k, column) in columns.enumerated() {
            guard case .categorical(let e) = column else {
                asciiKeys.append(true)
                trustHits.append(true)
                unknown.append(Match(active: -1, unseen: false, rare: false))
                missing.append(Match(active: -1, unseen: false, rare: false))
                continue
            }
            let lookup = e.makeLookup()
            func answer(_ level: String) -> Match {
                // Pooled levels were seen in training, even when "(other)"
                // is the reference and they are not in the lookup.
                let unseen = lookup[level] == nil && level != e.reference && !e.pooled.contains(level)
                return Match(active: Int32(e.activeIndex(level, lookup: lookup) ?? -1), unseen: unseen, rare: unseen || e.pooled.contains(level))
            }
            let other = e.levels.firstIndex(of: CategoricalEncoder.otherLevel)
            unknown.append(Match(active: Int32(other ?? -1), unseen: true, rare: true))
            let m = e.activeIndex(nil, lookup: lookup)
            missing.append(Match(active: Int32(m ?? -1), unseen: false, rare: false))
            let levels = e.levels + e.pooled + [e.reference]
            asciiKeys.append(levels.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } })
            var spellings: [String: Set<[UInt8]>] = [:]
            for level in levels { spellings[level, default: []].insert(Array(level.utf8)) }
            trustHits.append(spellings.values.allSatisfy { $0.count == 1 })
            var stored = Set<[UInt8]>()
            for level in levels where stored.insert(Array(level.utf8)).inserted {
                keys.append((k, Array(level.utf8), answer(level)))
            }
        }
        columnCount = columns.count
        self.asciiKeys = .allocate(capacity: max(columnCount, 1))
        self.asciiKeys.initialize(from: asciiKeys, count: columnCount)
        self.trustHits = .allocate(capacity: max(columnCount, 1))
        self.trustHits.initialize(from: trustHits, count: columnCount)
        self.unknown = .allocate(capacity: max(columnCount, 1))
        self.unknown.initialize(from: unknown, count: columnCount)
        self.missing = .allocate(capacity: max(columnCount, 1))
        self.missing.initialize(from: missing, count: columnCount)

        keyCount = keys.count
        let total = keys.reduce(0) { $0 + $1.bytes.count }
        keyBytes = .allocate(capacity: max(total, 1))
        keyStart = .allocate(capacity: max(keyCount, 1))
        keyLength = .allocate(capacity: max(keyCount, 1))
        keyColumn = .allocate(capacity: max(keyCount, 1))
        matches = .allocate(capacity: max(keyCount, 1))
        var size = 16
        while size < 2 * keyCount { size *= 2 }
        mask = size - 1
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        var offset = 0
        for (i, key) in keys.enumerated() {
            (keyStart + i).initialize(to: offset)
            (keyLength + i).initialize(to: key.bytes.count)
            (keyColumn + i).initialize(to: key.column)
            (matches + i).initialize(to: key.match)
            for b in key.bytes {
                keyBytes[offset] = b
                offset += 1
            }
            var s = key.bytes.withUnsafeBufferPointer { LevelTable.hash(column: key.column, $0).hash } & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = Int32(i + 1)
        }
    }

    deinit {
        asciiKeys.deallocate()
        trustHits.deallocate()
        unknown.deallocate()
        missing.deallocate()
        keyBytes.deallocate()
        keyStart.deallocate()
        keyLength.deallocate()
        keyColumn.deallocate()
        matches.deallocate()
        slots.deallocate()
    }

    /// The answer for a missing value of column `k`.
    @inline(__always)
    func missing(column k: Int) -> Match { missing[k] }

    /// Whether `n` bytes at `a` and `b` are equal (levels are short: a
    /// plain loop beats a call to memcmp).
    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ n: Int) -> Bool {
        guard let b else { return n == 0 }
        var i = 0
        while i + 8 <= n {
            if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// FNV-1a over the column number and the bytes; also whether all bytes
    /// are ASCII.
    @inline(__always)
    static func hash(column: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> (hash: Int, ascii: Bool) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(truncatingIfNeeded: column)
        var high: UInt8 = 0
        for b in bytes {
            h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3
            high |= b
        }
        return (Int(truncatingIfNeeded: h ^ (h >> 32)), high < 0x80)
    }

    /// The answer for the present (trimmed) value `bytes` of categorical
    /// column `k`, or nil when only the `String` functions can tell (see
    /// the type's notes).
    @inline(__always)
    func match(column k: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Match? {
        guard trustHits[k] else { return nil }
        let (h, ascii) = LevelTable.hash(column: k, bytes)
        var s = h & mask
        while true {
            let slot = Int(slots[s])
            if slot == 0 { break }
            let i = slot - 1
            let n = keyLength[i]
            if n == bytes.count && keyColumn[i] == k && LevelTable.equal(keyBytes + keyStart[i], bytes.baseAddress, n) {
                return matches[i]
            }
            s = (s + 1) & mask
        }
        // Not found: certain only when neither side could equal a
        // different byte sequence as a string.
        guard ascii && asciiKeys[k] else { return nil }
        return unknown[k]
    }
}
