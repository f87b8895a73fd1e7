#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte-level state machine behind `CSVReader`: a read buffer, the
/// current record's unescaped bytes in one reusable buffer, and the end
/// offset of each field in it (field `i` spans `ends[i-1] ..< ends[i]`).
@usableFromInline
final class CSVScanner {
    let path: String
    let fileSize: Int?
    private let fd: Int32
    private let closeOnDeinit: Bool

    // Input buffer: buf[pos ..< end] is unparsed; buf[0] is byte `base` of the input.
    private var buf: UnsafeMutablePointer<UInt8>
    private var bufCapacity: Int
    private let chunkSize: Int
    private var pos = 0
    private var end = 0
    private var base = 0
    private var atEOF = false

    // Position.
    private var line = 1
    /// The previous record ended with CR: an LF right after it belongs to it.
    private var skipLF = false
    /// Input offset of the last CR seen inside a quoted field (for CRLF).
    private var lastQuotedCR = -2

    // Current record.
    @usableFromInline @exclusivity(unchecked) private(set) var rec: UnsafeMutablePointer<UInt8>
    private var recCapacity: Int
    @usableFromInline @exclusivity(unchecked) private(set) var ends: UnsafeMutablePointer<Int>
    private var endsCapacity: Int
    @usableFromInline @exclusivity(unchecked) private(set) var fieldCount = 0
    private(set) var recordLine = 1

    private var delimiter = CSVDialect.comma
    private var header: [String] = []
    /// Records starting at or after this input offset are not read.
    var limit = Int.max
    /// Input offset where the current record starts (or where reading stopped).
    private(set) var recordOffset = 0
    var currentLine: Int { line }

    var bytesConsumed: Int { base + pos }

    init(path: String, chunkSize: Int) throws(InputError) {
        self.path = path
        self.chunkSize = chunkSize
        if path == "-" {
            fd = STDIN_FILENO
            closeOnDeinit = false
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw InputError(
                    .io, at: InputLocation(file: path),
                    "cannot open the file for reading (\(CSVScanner.errorText(errno))).",
                    remedy: "Check the path, and that the file exists and is readable.")
            }
            closeOnDeinit = true
        }
        var info = stat()
        let known = fstat(fd, &info) == 0
        let fileType = info.st_mode & 0o170000
        if known && fileType == 0o040000 {
            if closeOnDeinit { close(fd) }
            throw InputError(
                .io, at: InputLocation(file: path), "this is a directory, not a CSV file.",
                remedy: "Give the path of the CSV file itself.")
        }
        fileSize = known && fileType == 0o100000 ? Int(info.st_size) : nil
        bufCapacity = max(chunkSize, 64)
        buf = .allocate(capacity: bufCapacity)
        recCapacity = bufCapacity
        rec = .allocate(capacity: recCapacity)
        endsCapacity = 64
        ends = .allocate(capacity: endsCapacity)
    }

    deinit {
        if closeOnDeinit { close(fd) }
        buf.deallocate()
        rec.deallocate()
        ends.deallocate()
    }

    // MARK: Start of file

    /// Drops a BOM, skips leading blank lines, and returns the delimiter:
    /// `given` (validated) or detected from the header line.
    func start(delimiter given: UInt8?) throws(InputError) -> UInt8 {
        try ensureBuffered(3)
        if end - pos >= 3, buf[pos] == 0xEF, buf[pos + 1] == 0xBB, buf[pos + 2] == 0xBF { pos += 3 }
        guard try skipBlankLines() else {
            throw InputError(
                .malformedCSV, at: InputLocation(file: path), "the file is empty: it has no header line.",
                remedy: "Export the data again with a first line of column names.")
        }
        if let given {
            guard CSVDialect.isValidDelimiter(given) else {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: path),
                    "the delimiter must be one ASCII character other than a double quote or a line break.",
                    remedy: "Use a comma, semicolon or tab, or let the delimiter be detected.")
            }
            delimiter = given
            return given
        }
        // Look at the header line, buffering up to 1 MiB of it (enough for any real header).
        let limit = max(chunkSize, 1 << 20)
        var counter = DelimiterCounter()
        var scanned = 0
        while true {
            let available = end - pos
            if scanned < available {
                if counter.scan(UnsafeBufferPointer(start: buf + pos + scanned, count: available - scanned)) { break }
                scanned = available
            }
            if atEOF || available >= limit { break }
            try ensureBuffered(available + 1)
            if end - pos == available { break }
        }
        delimiter = counter.best
        // A file with another delimiter than the header's most frequent one
        // is refused here, naming the delimiter it seems to use, rather
        // than at its first record with a wrong number of fields.
        // Reads no more than those records need (at most 64 KiB), so that
        // leads piped in a few at a time are scored as they come.
        while !atEOF && end - pos < DelimiterSniffer.sniffBytes {
            let have = end - pos
            let records = DelimiterSniffer.fieldCounts(UnsafeBufferPointer(start: buf + pos, count: have), delimiter: delimiter, complete: false)
            if records.count > DelimiterSniffer.lines { break }
            try ensureBuffered(have + 1)
        }
        let sniffed = UnsafeBufferPointer(start: buf + pos, count: min(end - pos, DelimiterSniffer.sniffBytes))
        if let seeming = DelimiterSniffer.better(than: delimiter, in: sniffed, complete: atEOF && end - pos <= DelimiterSniffer.sniffBytes) {
            throw DelimiterSniffer.error(path: path, used: delimiter, seeming: seeming)
        }
        return delimiter
    }

    /// Reads the header record; the file is known not to be empty.
    func readHeader() throws(InputError) -> [String] {
        guard try next(expectedCount: nil) else { return [] }
        header = (0..<fieldCount).map { withFieldBytes($0) { String(decoding: $0, as: UTF8.self) } }
        return header
    }

    // MARK: Records

    /// Parses the next record into `rec` / `ends`; false at the end of input.
    /// With `expectedCount`, a record with another number of fields throws.
    func next(expectedCount: Int?) throws(InputError) -> Bool {
        guard try skipBlankLines() else {
            fieldCount = 0
            recordOffset = base + pos
            return false
        }
        recordOffset = base + pos
        if recordOffset >= limit {
            fieldCount = 0
            return false
        }
        recordLine = line
        fieldCount = 0
        let d = delimiter
        let quote = CSVDialect.quote, lf = CSVDialect.lf, cr = CSVDialect.cr
        var len = 0
        var high: UInt8 = 0  // OR of all bytes: bit 7 set means some non-ASCII
        var highWord: UInt64 = 0  // the same, eight bytes at a time
        let delimiterWord = UInt64(d) &* lowBits, lfWord = UInt64(lf) &* lowBits, crWord = UInt64(cr) &* lowBits
        var nf = 0
        var fieldEnds = ends
        var p = pos, e = end, b = buf
        reserveRecord(e - p, keeping: 0)
        var r = rec

        record: while true {
            // Start of a field: refill first if the buffer is used up.
            if p == e {
                pos = p
                if try refill() {
                    p = pos; e = end; b = buf
                    reserveRecord(len + e - p, keeping: len); r = rec
                } else {
                    p = pos; e = end
                }
            }
            if p < e && b[p] == quote {
                let quoteLine = line, quoteField = nf, fieldStart = len
                p += 1
                quoted: while true {
                    if p == e {
                        pos = p
                        let more = try refill()
                        p = pos; e = end; b = buf
                        guard more else {
                            throw unterminatedQuote(line: quoteLine, field: quoteField, from: fieldStart, to: len)
                        }
                        reserveRecord(len + e - p, keeping: len); r = rec
                    }
                    while p < e {
                        let c = b[p]
                        if c == quote { break }
                        r[len] = c
                        len += 1
                        high |= c
                        if c <= cr {
                            if c == lf {
                                if base + p - 1 != lastQuotedCR { line += 1 }
                            } else if c == cr {
                                line += 1
                                lastQuotedCR = base + p
                            }
                        }
                        p += 1
                    }
                    if p == e { continue quoted }
                    p += 1  // the quote
                    if p == e {
                        pos = p
                        let more = try refill()
                        p = pos; e = end; b = buf
                        guard more else { break quoted }
                        reserveRecord(len + e - p, keeping: len); r = rec
                    }
                    if b[p] == quote {  // doubled quote
                        r[len] = quote
                        len += 1
                        p += 1
                        continue quoted
                    }
                    break quoted
                }
                if p < e {
                    let c = b[p]
                    if c != d && c != lf && c != cr {
                        pos = p
                        throw textAfterQuote(line: quoteLine, field: quoteField, from: fieldStart, to: len, next: c)
                    }
                }
            } else {
                unquoted: while true {
                    // Eight bytes at a time: copy the word, then look for the delimiter, LF or CR in it.
                    while p &+ 8 <= e {
                        let w = UInt64(littleEndian: UnsafeRawPointer(b + p).loadUnaligned(as: UInt64.self))
                        UnsafeMutableRawPointer(r + len).storeBytes(of: w.littleEndian, as: UInt64.self)
                        let stops = zeroBytes(w ^ delimiterWord) | zeroBytes(w ^ lfWord) | zeroBytes(w ^ crWord)
                        if stops != 0 {
                            let k = stops.trailingZeroBitCount &>> 3
                            highWord |= w & ((1 &<< UInt64(k &<< 3)) &- 1)
                            p &+= k
                            len &+= k
                            break unquoted
                        }
                        highWord |= w
                        p &+= 8
                        len &+= 8
                    }
                    // The last few bytes of the buffer, one at a time.
                    while p < e {
                        let c = b[p]
                        if c == d || c == lf || c == cr { break }
                        r[len] = c
                        len += 1
                        high |= c
                        p += 1
                    }
                    if p < e { break unquoted }
                    pos = p
                    let more = try refill()
                    p = pos; e = end; b = buf
                    guard more else { break unquoted }
                    reserveRecord(len + e - p, keeping: len); r = rec
                }
            }
            // End of a field: at a delimiter, a line break, or the end of input (p == e).
            if nf == endsCapacity {
                growEnds(keeping: nf)
                fieldEnds = ends
            }
            fieldEnds[nf] = len
            nf += 1
            if p == e { break record }
            let c = b[p]
            p += 1
            if c == d { continue record }
            line += 1
            if c == cr { skipLF = true }
            break record
        }
        pos = p
        fieldCount = nf

        if let expectedCount, nf != expectedCount { throw wrongFieldCount(expected: expectedCount) }
        if high & 0x80 != 0 || highWord & highBits != 0 { try validateUTF8() }
        return true
    }

    @inlinable
    func withFieldBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        precondition(i >= 0 && i < fieldCount, "field index \(i) out of range 0..<\(fieldCount)")
        let start = i == 0 ? 0 : ends[i - 1]
        return try body(UnsafeBufferPointer(start: rec + start, count: ends[i] - start))
    }

    /// Skips empty lines; false at the end of input.
    private func skipBlankLines() throws(InputError) -> Bool {
        while true {
            if pos == end, try !refill() { return false }
            let c = buf[pos]
            if c == CSVDialect.lf {
                if skipLF { skipLF = false } else { line += 1 }
            } else if c == CSVDialect.cr {
                line += 1
                skipLF = true
            } else {
                skipLF = false
                return true
            }
            pos += 1
        }
    }

    /// Positions the scanner at input offset `offset` of a regular file, at
    /// physical line `line`, to read records with a known delimiter and header.
    func seek(to offset: Int, line: Int, delimiter: UInt8, header: [String]) throws(InputError) {
        guard lseek(fd, off_t(offset), SEEK_SET) == off_t(offset) else {
            throw InputError(
                .io, at: InputLocation(file: path), "cannot seek in the file (\(CSVScanner.errorText(errno))).",
                remedy: "Give the path of a regular file.")
        }
        base = offset
        pos = 0
        end = 0
        atEOF = false
        skipLF = false
        lastQuotedCR = -2
        self.line = line
        recordLine = line
        recordOffset = offset
        self.delimiter = delimiter
        self.header = header
    }

    // MARK: Buffers

    /// Reads the next chunk into the emptied buffer; false at the end of input.
    private func refill() throws(InputError) -> Bool {
        base += end
        pos = 0
        end = 0
        if atEOF { return false }
        let n = try readSome(into: buf, count: min(chunkSize, bufCapacity))
        end = n
        return n > 0
    }

    /// Makes at least `count` unparsed bytes available unless the input ends
    /// first, moving them to the front of the buffer and growing it if needed.
    private func ensureBuffered(_ count: Int) throws(InputError) {
        if end - pos >= count { return }
        if pos > 0 {
            let remaining = end - pos
            if remaining > 0 { (buf).update(from: buf + pos, count: remaining) }
            base += pos
            end = remaining
            pos = 0
        }
        while end < count && !atEOF {
            if end == bufCapacity {
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: bufCapacity * 2)
                bigger.initialize(from: buf, count: end)
                buf.deallocate()
                buf = bigger
                bufCapacity *= 2
            }
            end += try readSome(into: buf + end, count: min(chunkSize, bufCapacity - end))
        }
    }

    /// One `read(2)`, retried on EINTR; 0 sets `atEOF`.
    private func readSome(into target: UnsafeMutablePointer<UInt8>, count: Int) throws(InputError) -> Int {
        while true {
            let n = read(fd, target, count)
            if n > 0 { return n }
            if n == 0 {
                atEOF = true
                return 0
            }
            let code = errno
            if code == EINTR { continue }
            throw InputError(
                .io, at: InputLocation(file: path, line: line), "cannot read the file (\(CSVScanner.errorText(code))).",
                remedy: "Check that the path names a readable CSV file.")
        }
    }

    /// Makes the record buffer hold at least `capacity` bytes, keeping the
    /// first `keeping`.
    @inline(__always)
    private func reserveRecord(_ capacity: Int, keeping: Int) {
        if capacity > recCapacity { growRecord(capacity, keeping: keeping) }
    }

    private func growRecord(_ capacity: Int, keeping: Int) {
        let newCapacity = max(capacity, recCapacity * 2)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.initialize(from: rec, count: keeping)
        rec.deallocate()
        rec = bigger
        recCapacity = newCapacity
    }

    private func growEnds(keeping count: Int) {
        let bigger = UnsafeMutablePointer<Int>.allocate(capacity: endsCapacity * 2)
        bigger.initialize(from: ends, count: count)
        ends.deallocate()
        ends = bigger
        endsCapacity *= 2
    }

    // MARK: Errors

    /// A column's header name, or `#n` when it has no (known) name.
    private func columnName(_ i: Int) -> String {
        i < header.count && !header[i].isEmpty ? header[i] : "#\(i + 1)"
    }

    private func text(from start: Int, to stop: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: rec + start, count: stop - start), as: UTF8.self)
    }

    private func wrongFieldCount(expected: Int) -> InputError {
        let firstOff = min(fieldCount, expected)  // first missing or first extra column
        let value = fieldCount > expected ? withFieldBytes(expected) { String(decoding: $0, as: UTF8.self) } : nil
        return InputError(
            .malformedCSV,
            at: InputLocation(file: path, line: recordLine, column: columnName(firstOff), value: value),
            "line \(recordLine) has \(fieldCount) fields but the header has \(expected).",
            remedy: "Check for an unquoted delimiter or a missing quote on this line; fields containing the "
                + "\(CSVDialect.name(of: delimiter)) must be in double quotes.")
    }

    private func unterminatedQuote(line quoteLine: Int, field: Int, from start: Int, to stop: Int) -> InputError {
        var preview = text(from: start, to: min(stop, start + 60))
        if let lineBreak = preview.firstIndex(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            preview = String(preview[..<lineBreak])
        }
        return InputError(
            .malformedCSV, at: InputLocation(file: path, line: quoteLine, column: columnName(field), value: preview),
            "the quoted field starting on line \(quoteLine) has no closing quote before the end of the file.",
            remedy: "Add the missing closing double quote; a double quote inside a quoted field must be written twice (\"\").")
    }

    private func textAfterQuote(line quoteLine: Int, field: Int, from start: Int, to stop: Int, next: UInt8) -> InputError {
        let shown = next < 0x80 ? String(Character(Unicode.Scalar(next))) : "a non-ASCII character"
        return InputError(
            .malformedCSV,
            at: InputLocation(file: path, line: quoteLine, column: columnName(field), value: text(from: start, to: stop)),
            "the quoted field is followed by \(shown.debugDescription) instead of a delimiter or the end of the line.",
            remedy: "A double quote inside a quoted field must be written twice (\"\"); "
                + "otherwise put the whole field in quotes or remove the quotes.")
    }

    /// Validates the fields of a record known to contain non-ASCII bytes.
    private func validateUTF8() throws(InputError) {
        var start = 0
        for i in 0..<fieldCount {
            let stop = ends[i]
            if let bad = CSVScanner.firstInvalidUTF8(rec + start, count: stop - start) {
                let byte = rec[start + bad]
                let hex = String(byte, radix: 16, uppercase: true)
                throw InputError(
                    .malformedCSV,
                    at: InputLocation(file: path, line: recordLine, column: columnName(i), value: text(from: start, to: stop)),
                    "this value is not valid UTF-8 text (byte 0x\(hex) at byte \(bad + 1) of the value).",
                    remedy: "Export or save the file as UTF-8 (in Excel: \"CSV UTF-8\"), or convert it, "
                        + "for example with iconv -f WINDOWS-1252 -t UTF-8.")
            }
            start = stop
        }
    }

    /// The offset of the first byte that does not belong to a well-formed
    /// UTF-8 sequence (no overlongs, surrogates or values above U+10FFFF).
    static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, count n: Int) -> Int? {
        var i = 0
        while i < n {
            let c = p[i]
            if c < 0x80 {
                i += 1
                continue
            }
            let need: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF  // allowed range of the second byte
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; high = 0x9F
            case 0xF0: need = 3; low = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; high = 0x8F
            default: return i
            }
            if i + need >= n { return i }
            let second = p[i + 1]
            if second < low || second > high { return i }
            var k = 2
            while k <= need {
                if p[i + k] & 0xC0 != 0x80 { return i }
                k += 1
            }
            i += need + 1
        }
        return nil
    }

    static func errorText(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message)
    }
}

private let lowBits: UInt64 = 0x0101_0101_0101_0101
private let highBits: UInt64 = 0x8080_8080_8080_8080

/// Bit 7 set in the lowest byte of `x` that is zero (higher bytes may be
/// flagged spuriously by the borrow, which is fine: only the lowest is used).
@inline(__always)
private func zeroBytes(_ x: UInt64) -> UInt64 {
    (x &- lowBits) & ~x & highBits
}
