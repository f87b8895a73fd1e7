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
/// Errors are reported by `AtomicOutput.commit()`.
public struct CSVWriter {
    public let output: AtomicOutput
    public let delimiter: UInt8

    /// `delimiter` must be an ASCII byte other than `"`, CR and LF.
    public init(output: AtomicOutput, delimiter: UInt8 = 0x2C) {
        precondition(CSVDialect.isValidDelimiter(delimiter), "invalid CSV delimiter \(delimiter)")
        self.output = output
        self.delimiter = delimiter
    }

    /// Writes one row and its line break.
    public func writeRow(_ fields: [String]) {
        if fields.count == 1 && fields[0].isEmpty {
            output.write("\"\"\n")
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
