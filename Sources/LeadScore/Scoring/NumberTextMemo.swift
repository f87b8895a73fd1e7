/// The text of a number, made once per value and then copied: for the
/// parts of a reason that depend on a double alone (its amount, `odds ×4.5`
/// or `(+1.5)`, and an aged value), which a scores file writes millions of
/// times for the few hundred values a model's columns give.
///
/// A direct-mapped table of `slots` entries (a power of two), each keyed by
/// the full bit pattern of its value (so +0 and −0, and every NaN payload,
/// are values of their own): a value's slot is the top bits of its bit
/// pattern times 2⁶⁴/φ (Fibonacci hashing). On a miss the text is made by
/// `make` and replaces the slot's; a text longer than `longest` is made
/// every time and not kept. So `text(v)` is always exactly `make`'s bytes
/// for `v`. Not thread-safe: one per thread.
final class NumberTextMemo {
    /// Makes the text of a value at a target with room for `room` bytes;
    /// returns its length.
    typealias Make = (Double, UnsafeMutablePointer<UInt8>) -> Int

    /// The most bytes `make` may write.
    static let room = 2 * NumberBytes.maximumLength
    /// The longest text kept in the table.
    static let longest = width - 10
    /// How many bytes past the end of a text `text(_:)` gives may be read
    /// (they belong to the table), for copies in whole 16-byte pieces.
    static let readable = 16
    /// An entry, one lookup reads it whole (half a cache line): the key
    /// (8 bytes), the text's length (0: empty slot), whether it is plain
    /// (`ScoresLayout.isPlain`), then the text.
    private static let width = 32

    let slots: Int
    private let shift: UInt64
    private let entries: UnsafeMutableRawPointer
    /// Where a text too long to keep is made.
    private let scratch: UnsafeMutablePointer<UInt8>
    private let make: Make

    /// `slots`: a power of two, at least 2 (2048 slots take 64 KiB).
    init(slots: Int = 2048, make: @escaping Make) {
        precondition(slots >= 2 && slots & (slots - 1) == 0, "slots must be a power of two")
        self.slots = slots
        shift = UInt64(64 - slots.trailingZeroBitCount)
        entries = .allocate(byteCount: slots * Self.width + Self.readable, alignment: Self.width)
        entries.initializeMemory(as: UInt8.self, repeating: 0, count: slots * Self.width + Self.readable)
        scratch = .allocate(capacity: Self.room + Self.readable)
        scratch.initialize(repeating: 0, count: Self.room + Self.readable)
        self.make = make
    }

    deinit {
        entries.deallocate()
        scratch.deallocate()
    }

    /// `make`'s text for `v`, valid until the next call, and whether it is
    /// plain (`ScoresLayout.isPlain`).
    @inline(__always)
    func text(_ v: Double) -> (bytes: UnsafeBufferPointer<UInt8>, plain: Bool) {
        let key = v.bitPattern
        let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        let entry = entries + slot * Self.width
        let length = Int(entry.load(fromByteOffset: 8, as: UInt8.self))
        if length == 0 || entry.load(as: UInt64.self) != key { return miss(key: key, entry: entry) }
        let text = (entry + 10).assumingMemoryBound(to: UInt8.self)
        return (UnsafeBufferPointer(start: text, count: length), entry.load(fromByteOffset: 9, as: UInt8.self) != 0)
    }

    private func miss(key: UInt64, entry: UnsafeMutableRawPointer) -> (bytes: UnsafeBufferPointer<UInt8>, plain: Bool) {
        let n = make(Double(bitPattern: key), scratch)
        let bytes = UnsafeBufferPointer(start: scratch, count: n)
        let plain = ScoresLayout.isPlain(bytes)
        guard n > 0 && n <= Self.longest else { return (bytes, plain) }
        entry.storeBytes(of: key, as: UInt64.self)
        entry.storeBytes(of: UInt8(n), toByteOffset: 8, as: UInt8.self)
        entry.storeBytes(of: plain ? 1 : 0, toByteOffset: 9, as: UInt8.self)
        let text = (entry + 10).assumingMemoryBound(to: UInt8.self)
        text.update(from: scratch, count: n)
        return (UnsafeBufferPointer(start: text, count: n), plain)
    }
}
