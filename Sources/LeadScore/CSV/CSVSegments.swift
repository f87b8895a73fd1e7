import Foundation

/// A CSV file cut into segments at line starts, to be read on several
/// threads: the one place that decides where a file is cut, and how a cut
/// that fell inside a quoted field is repaired. Training (`RawTable.read`)
/// reads one segment per core; scoring (`SegmentPlan`) segments of 4 MiB.
///
/// Cuts. The data after the header is cut just after the first line feed
/// at or after each nominal offset (equal shares of the file, or multiples
/// of a segment size). A cut that finds no line feed within 1 MiB (a file
/// with CR line ends, a huge record), or that does not move past the one
/// before, is dropped: its segment joins the one before.
///
/// Repair. A line feed may lie inside a quoted field that spans lines, so
/// a segment after the first is read speculatively, with its lines counted
/// from 1 (`speculativeReader`), and its records are used only if the
/// first one starts exactly where the records of the segment before
/// stopped. Otherwise, or when the speculative read failed, the segment is
/// read again from where the segment before stopped, with the file's line
/// numbers (`settle`). So the records, their line numbers and any error are
/// those of reading the file on one thread.
struct CSVSegments: Sendable {
    let path: String
    let delimiter: UInt8
    let header: [String]
    /// Where each segment starts; the first is where the data starts.
    let starts: [Int]

    var count: Int { starts.count }

    /// Cuts the file of `reader` (which has read the header) at the line
    /// starts after each of `nominal(dataStart, size)`'s offsets. Standard
    /// input, and a file whose size is unknown, is one segment.
    init(reader: CSVReader, nominal: (_ dataStart: Int, _ size: Int) -> [Int]) {
        let dataStart = reader.bytesConsumed
        var starts = [dataStart]
        if reader.path != "-", let size = reader.fileSize {
            for offset in nominal(dataStart, size) {
                if let cut = CSVSegments.lineStart(path: reader.path, atOrAfter: offset), cut > starts[starts.count - 1], cut < size {
                    starts.append(cut)
                }
            }
        }
        path = reader.path
        delimiter = reader.delimiter
        header = reader.header
        self.starts = starts
    }

    /// `parts` equal shares of the data.
    static func shares(_ parts: Int) -> (Int, Int) -> [Int] {
        { dataStart, size in (1..<max(parts, 1)).map { dataStart + (size - dataStart) * $0 / parts } }
    }

    /// Segments of `bytes` each.
    static func every(_ bytes: Int) -> (Int, Int) -> [Int] {
        { dataStart, size in Array(stride(from: dataStart + bytes, to: size, by: max(bytes, 1))) }
    }

    /// Where segment `k`'s records must end: the next segment's start.
    func limit(_ k: Int) -> Int { k + 1 < starts.count ? starts[k + 1] : Int.max }

    /// A reader of segment `k` (after the first) from its start, its lines
    /// counted from 1.
    func speculativeReader(_ k: Int) throws(InputError) -> CSVReader {
        try CSVReader(path: path, delimiter: delimiter, header: header, offset: starts[k], line: 1, limit: limit(k))
    }

    /// Segment `k` as the file has it, given where the records of the
    /// segments before it stopped (`stop`, an offset and the file's line):
    /// its speculative read (nil when that failed) if its first record
    /// starts exactly there (`firstOffset`), else `read` of a reader from
    /// there, counting the file's lines. `reread` tells which: a speculative
    /// read still counts its lines from 1.
    func settle<T>(
        _ k: Int, speculative: T?, firstOffset: Int, after stop: (offset: Int, line: Int), read: (CSVReader) throws(InputError) -> T
    ) throws(InputError) -> (value: T, reread: Bool) {
        if let speculative, firstOffset == stop.offset { return (speculative, false) }
        let reader = try CSVReader(path: path, delimiter: delimiter, header: header, offset: stop.offset, line: stop.line, limit: limit(k))
        return (try read(reader), true)
    }

    /// The offset just after the first line feed at or after `offset`, or
    /// nil when there is none within 1 MiB (or the file cannot be read).
    static func lineStart(path: String, atOrAfter offset: Int) -> Int? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // A line is usually found in the first 4 KiB; then 64 KiB at a time.
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var at = offset, window = 4 << 10
        while at - offset < 1 << 20 {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, window, off_t(at)) }
            window = buffer.count
            guard n > 0 else { return nil }
            if let i = buffer[0..<n].firstIndex(of: 0x0A) { return at + i + 1 }
            at += n
        }
        return nil
    }
}
