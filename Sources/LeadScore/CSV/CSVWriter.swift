/// Writes CSV rows that `CSVReader` (and spreadsheets) read back exactly.
///
/// Conventions: UTF-8 without a byte order mark, LF line endings, comma
/// delimiter unless another is given. A field is put in double quotes only
/// when it contains the delimiter, `"`, CR or LF (quotes inside are
/// doubled), with one exception: a row made of a single empty field is
/// written as `""`, since an empty line would be skipped as blank when read
/// back. Fields without special bytes are copied straight into the output
/// buffer.
///
/// The bytes go to an `AtomicOutput` (a file, whose `commit()` reports
/// errors) or to a `ByteBuffer` in memory.
public struct CSVWriter<Output: CSVOutput> {
    public let output: Output
    public let delimiter: UInt8

    /// `delimiter` must be an ASCII byte other than `"`, CR and LF.
    public init(output: Output, delimiter: UInt8 = 0x2C) {
        precondition(CSVDialect.isValidDelimiter(delimiter), "invalid CSV delimiter \(delimiter)")
        self.output = output
        self.delimiter = delimiter
    }

    /// Writes one row and its line break.
    public func writeRow(_ fields: [String]) {
        if fields.count == 1 && fields[0].isEmpty {
            for byte in "\"\"\n".utf8 { output.append(byte) }
            return
        }
        var first = true
        for field in fields {
            let separated = !first
            first = false
            if field.utf8.withContiguousStorageIfAvailable({ writeField($0, separated: separated) }) == nil {
                var copy = field
                copy.withUTF8 { writeField($0, separated: separated) }
            }
        }
        output.append(CSVDialect.lf)
    }

    /// Writes the delimiter (unless first) and the field, quoted if needed:
    /// with `endRow()`, a row written field by field from bytes. (A row of
    /// one empty field must go through `writeRow`.)
    @inline(__always)
    func writeField(_ bytes: UnsafeBufferPointer<UInt8>, separated: Bool) {
        let d = delimiter
        var special = false
        for c in bytes where c == d || c == CSVDialect.quote || c == CSVDialect.lf || c == CSVDialect.cr {
            special = true
            break
        }
        if !special, let source = bytes.baseAddress, bytes.count < output.bufferCapacity {
            let n = bytes.count
            output.withSpace(n + 1) { target in
                if separated {
                    target.pointee = d
                    (target + 1).update(from: source, count: n)
                    return n + 1
                }
                target.update(from: source, count: n)
                return n
            }
            return
        }
        if separated { output.append(d) }
        if !special {
            output.append(bytes)
            return
        }
        output.append(CSVDialect.quote)
        for c in bytes {
            if c == CSVDialect.quote { output.append(CSVDialect.quote) }
            output.append(c)
        }
        output.append(CSVDialect.quote)
    }

    /// Writes the delimiter and the bytes that `body` puts at the pointer it
    /// is given (at most `reserve`) and counts; for text known to need no
    /// quotes, such as numbers. `reserve + 1` must not exceed the output's
    /// buffer size.
    @inline(__always)
    func writeUnquotedField(reserve: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        let d = delimiter
        output.withSpace(reserve + 1) { target in
            target.pointee = d
            return body(target + 1) + 1
        }
    }

    /// Ends a row written with `writeField`.
    @inline(__always)
    func endRow() {
        output.append(CSVDialect.lf)
    }
}

/// Where `CSVWriter` puts its bytes.
public protocol CSVOutput: AnyObject {
    /// Appends one byte.
    func append(_ byte: UInt8)
    /// Appends bytes.
    func append(_ bytes: UnsafeBufferPointer<UInt8>)
    /// Gives `body` room for `reserve` bytes (at most `bufferCapacity`) at
    /// the end of the output; `body` returns how many it wrote.
    func withSpace(_ reserve: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int)
    /// The most `withSpace` can reserve at once.
    var bufferCapacity: Int { get }
    /// How many bytes have been written so far.
    var bytesWritten: Int { get }
}

/// Bytes in memory, growing as needed: one part of an output produced on
/// another thread (see `Scorer`).
public final class ByteBuffer: CSVOutput {
    public private(set) var count = 0
    private var capacity: Int
    private var storage: UnsafeMutablePointer<UInt8>

    public init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 16)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    /// Empties the buffer, keeping its memory for the next bytes.
    public func removeAll() { count = 0 }

    /// The bytes written so far, valid until the next write.
    public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }

    public var bufferCapacity: Int { Int.max / 2 }

    public var bytesWritten: Int { count }

    @inline(__always)
    public func append(_ byte: UInt8) {
        if count == capacity { grow(count + 1) }
        storage[count] = byte
        count += 1
    }

    public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if bytes.count > capacity - count { grow(count + bytes.count) }
        (storage + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    public func withSpace(_ reserve: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if reserve > capacity - count { grow(count + reserve) }
        count += body(storage + count)
    }

    private func grow(_ needed: Int) {
        let larger = max(needed, 2 * capacity)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: storage, count: count)
        storage.deallocate()
        storage = moved
        capacity = larger
    }
}

/// A CSV written atomically (temporary file, then rename).
extension AtomicOutput: CSVOutput {}
