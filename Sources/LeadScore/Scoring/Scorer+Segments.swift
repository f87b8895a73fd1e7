import Foundation

/// Batch scoring on several cores: the file cut into segments that worker
/// threads score into buffers in memory, written out in file order.
///
/// The data after the header is cut into segments of about `segmentBytes`
/// at line starts (`CSVSegments`). Each worker takes the next segment,
/// reads and scores its records with its own `LeadRowWriter` (model,
/// features and reason buffers), and hands the rows over. Whichever thread
/// finishes the segment that is next in file order writes it, and any later
/// ones already done, to the output. At most `2 × workers` segments are in
/// flight, so memory is bounded by the segment size, not the file's.
///
/// A segment whose cut fell inside a quoted field, or whose read failed, is
/// read again by the writing thread from where the records before it
/// stopped, with the file's line numbers (`CSVSegments`): the output and
/// any error are those of reading the file on one thread. `ScorerTests`
/// compares them byte for byte, with segments small enough that cuts land
/// inside quoted fields.
///
/// Standard input, and files of fewer than two segments, are read on one
/// thread.
struct SegmentPlan {
    enum Choice {
        /// Segments of `SegmentPlan.segmentBytes`, one worker per core.
        case automatic
        /// One thread.
        case sequential
        /// As given (tests).
        case segments(bytes: Int, workers: Int)
    }

    /// The segment size: large enough that opening a reader and finding a
    /// line break cost little against scoring it (about 30,000 leads of a
    /// typical CRM export), small enough to keep memory low.
    static let segmentBytes = 4 << 20

    /// The file's segments (`CSVSegments`): where each starts, and how a
    /// segment whose cut fell inside a quoted field is read again.
    let segments: CSVSegments
    let workers: Int

    init?(reader: CSVReader, choice: Choice) {
        let bytes: Int
        switch choice {
        case .sequential:
            return nil
        case .automatic:
            bytes = SegmentPlan.segmentBytes
            workers = min(8, ProcessInfo.processInfo.activeProcessorCount)
            guard workers > 1, let size = reader.fileSize, size - reader.bytesConsumed >= 2 * bytes else { return nil }
        case .segments(let b, let w):
            bytes = max(b, 1)
            workers = max(w, 1)
        }
        segments = CSVSegments(reader: reader, nominal: CSVSegments.every(bytes))
        guard segments.count > 1 else { return nil }
    }

    var count: Int { segments.count }

    /// Where segment `k` starts.
    func cut(_ k: Int) -> Int { segments.starts[k] }

    /// One segment's rows and where its records start and stop.
    struct Segment {
        var rows: ByteBuffer
        var tally: ScoreTally
        /// Offset and line of the first record (or of where the reader
        /// stopped, with none), and of the first record after the segment.
        var firstOffset = 0, firstLine = 1
        var stopOffset = 0, stopLine = 1
        var error: InputError?
    }

    /// Reads and scores `reader`'s records into a segment whose rows go to
    /// `buffer`.
    func read(_ reader: CSVReader, with writer: LeadRowWriter, numbers: RowNumbers, into buffer: ByteBuffer) -> Segment {
        var segment = Segment(rows: buffer, tally: writer.emptyTally())
        do {
            let first = try writer.write(
                records: reader, to: ScoresWriter(output: segment.rows, layout: writer.layout), numbers: numbers, tally: &segment.tally)
            (segment.firstOffset, segment.firstLine) = first ?? (reader.stopOffset, reader.currentLine)
            (segment.stopOffset, segment.stopLine) = (reader.stopOffset, reader.currentLine)
        } catch {
            segment.error = error
        }
        return segment
    }

    /// Scores the file: `reader` has read the header; `writers` are one per
    /// worker. Returns the counts over all segments.
    func score(reader: CSVReader, writers: [LeadRowWriter], output: AtomicOutput, progress: ProgressHandler?) throws(InputError) -> ScoreTally {
        precondition(writers.count == workers)
        let numbers: RowNumbers = writers[0].idIndices.isEmpty ? .deferred : .none
        let queue = SegmentQueue(count: count, window: 2 * workers)
        // Written only by the thread that holds the queue's turn to write.
        let written = Written(tally: writers[0].emptyTally())
        let shared = UncheckedSendable((reader: reader, writers: writers, output: output))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let (reader, writers, output) = shared.value
            let writer = writers[w]
            while let (k, buffer) = queue.claim() {
                let segment: Segment
                if k == 0 {
                    // The header's reader: the file's own line numbers.
                    reader.limit = segments.limit(0)
                    segment = read(reader, with: writer, numbers: numbers, into: buffer)
                } else {
                    do throws(InputError) {
                        segment = read(try segments.speculativeReader(k), with: writer, numbers: numbers, into: buffer)
                    } catch {
                        segment = Segment(rows: buffer, tally: writer.emptyTally(), error: error)
                    }
                }
                queue.finish(k, segment) { (k, segment) throws(InputError) in
                    try write(k, segment, with: writer, to: output, written: written, numbers: numbers)
                    progress?(written.tally.rows, written.stopOffset)
                }
            }
        }
        if let failure = queue.failure { throw failure }
        return written.tally
    }

    /// What has been written so far: counts, and where the next record
    /// starts in the file.
    final class Written: @unchecked Sendable {
        var tally: ScoreTally
        var stopOffset = 0, stopLine = 1
        init(tally: ScoreTally) { self.tally = tally }
    }

    /// Writes segment `k`, reading it again first if it did not start
    /// where the records before it stopped, or failed.
    private func write(
        _ k: Int, _ speculative: Segment, with writer: LeadRowWriter, to output: AtomicOutput, written: Written, numbers: RowNumbers
    ) throws(InputError) {
        var segment = speculative
        if k == 0 {
            if let error = segment.error { throw error }
        } else {
            let settled = try segments.settle(
                k, speculative: speculative.error == nil ? speculative : nil, firstOffset: speculative.firstOffset,
                after: (written.stopOffset, written.stopLine)
            ) { (reader) throws(InputError) in
                speculative.rows.removeAll()
                let again = read(reader, with: writer, numbers: numbers, into: speculative.rows)
                if let error = again.error { throw error }
                return again
            }
            segment = settled.value
            if !settled.reread { segment.stopLine += written.stopLine - segment.firstLine }
        }
        let rows = segment.rows.bytes
        if numbers == .deferred {
            var row = written.tally.rows, from = 0
            let prefix = writer.layout.rowNumberPrefix
            for end in segment.tally.rowEnds {
                row += 1
                prefix.withUnsafeBufferPointer { output.append($0) }
                output.withSpace(NumberBytes.maximumLength) { NumberBytes.integer(Int64(row), into: $0) }
                output.append(UnsafeBufferPointer(rebasing: rows[from..<end]))
                from = end
            }
        } else {
            output.append(rows)
        }
        written.tally.add(segment.tally)
        (written.stopOffset, written.stopLine) = (segment.stopOffset, segment.stopLine)
    }
}

/// The segments' order: which one to read next, and whose turn it is to
/// write. Segment `k` is claimed once; once it is finished, the thread
/// that finds it next in file order writes it (one writer at a time, in
/// order). The first error stops the claiming.
final class SegmentQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let window: Int
    private var nextClaim = 0, nextWrite = 0
    private var finished: [Int: SegmentPlan.Segment] = [:]
    private var writing = false
    private var spare: [ByteBuffer] = []
    private var error: InputError?

    init(count: Int, window: Int) {
        self.count = count
        self.window = max(window, 1)
    }

    /// The first error a write threw.
    var failure: InputError? {
        condition.lock()
        defer { condition.unlock() }
        return error
    }

    /// The next segment to read and an empty buffer for its rows (one
    /// that a written segment left, so that its memory is reused), or nil
    /// when there is none left or a write failed. Waits while `window`
    /// segments are claimed but not written.
    func claim() -> (Int, ByteBuffer)? {
        condition.lock()
        defer { condition.unlock() }
        while error == nil && nextClaim < count && nextClaim - nextWrite >= window { condition.wait() }
        guard error == nil, nextClaim < count else { return nil }
        nextClaim += 1
        return (nextClaim - 1, spare.popLast() ?? ByteBuffer(capacity: 1 << 20))
    }

    /// Stores segment `k`; if no other thread is writing, writes it and
    /// every later finished segment, in order, with `write`.
    func finish(_ k: Int, _ segment: SegmentPlan.Segment, write: (Int, SegmentPlan.Segment) throws(InputError) -> Void) {
        condition.lock()
        defer { condition.unlock() }
        finished[k] = segment
        guard !writing else { return }
        writing = true
        while error == nil, let next = finished.removeValue(forKey: nextWrite) {
            let j = nextWrite
            condition.unlock()
            var thrown: InputError? = nil
            do { try write(j, next) } catch { thrown = error }
            condition.lock()
            if let thrown {
                error = thrown
                finished.removeAll()
            } else {
                nextWrite += 1
                next.rows.removeAll()
                spare.append(next.rows)
            }
            condition.broadcast()
        }
        writing = false
    }
}
