import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The per-row values of a training table's columns, kept in memory or, for
// a file larger than the memory budget, in cache files on disk.
//
// On disk, each column is one file, mapped into memory (mmap, shared): the
// code that reads a column is the same either way, and the kernel keeps
// only the pages in use resident, writing them back and dropping them under
// memory pressure. Training a file larger than memory then needs memory for
// a few vectors of one number per row (labels, row lists, log-odds) and
// the blocks being worked on, not for the table. (The table goes to disk
// when it would take more than half the memory budget: see
// `TrainingRequest.memoryBudget`.)
//
// While the file is read, each part of it appends its values to a
// `SpilledValues`, which writes them to a scratch file of the part in
// chunks; the parts are then copied, in file order and with dictionary
// codes renumbered, into the table's final `ColumnValues`. Until the parts'
// scratch files are released at the end of the join, the disk holds the
// table about twice (the scratch files also hold the representations that
// the join drops). The space of each final file is reserved before it is
// mapped (posix_fallocate), so a full disk is an error that names the
// cache directory, not a crash on a write into the mapping.
//
// Cache files are created (mkstemps, mode 0600) in the directory given
// (default: $TMPDIR or /tmp) and unlinked at once: the open descriptor or
// the mapping keeps their contents until released, and nothing is left
// behind if the process is killed.

/// Where a training table's columns are kept.
public enum TableStorage: Sendable, Equatable {
    case memory
    /// Memory-mapped cache files in `directory` (nil: $TMPDIR or /tmp).
    case disk(directory: String?)
}

/// The values of one column, one per row: read-only once the table is
/// built, in memory or memory-mapped from a cache file.
public struct ColumnValues<Element: BitwiseCopyable>: RandomAccessCollection, @unchecked Sendable {
    /// Owns the memory or the mapping.
    private let storage: ValueStorage
    let buffer: UnsafeMutableBufferPointer<Element>

    /// `count` uninitialised values, in memory or in a cache file.
    init(uninitializedCount count: Int, storage kind: TableStorage) throws(InputError) {
        let bytes = count * MemoryLayout<Element>.stride
        switch kind {
        case .memory: storage = ValueStorage(memoryBytes: bytes)
        case .disk(let directory): storage = try ValueStorage(fileBytes: bytes, directory: directory)
        }
        buffer = UnsafeMutableBufferPointer(start: storage.base?.bindMemory(to: Element.self, capacity: count), count: count)
    }

    /// A copy of `values`, in memory.
    public init(_ values: [Element]) {
        storage = ValueStorage(memoryBytes: values.count * MemoryLayout<Element>.stride)
        buffer = UnsafeMutableBufferPointer(start: storage.base?.bindMemory(to: Element.self, capacity: values.count), count: values.count)
        if !values.isEmpty { _ = buffer.initialize(from: values) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { buffer.count }
    @inline(__always)
    public subscript(i: Int) -> Element { buffer[i] }

    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(buffer))
    }
}

extension ColumnValues: Equatable where Element: Equatable {
    public static func == (a: ColumnValues, b: ColumnValues) -> Bool { a.elementsEqual(b) }
}

extension ColumnValues: ExpressibleByArrayLiteral {
    public init(arrayLiteral values: Element...) { self.init(values) }
}

/// Memory from malloc, or a shared mapping of an unlinked cache file.
final class ValueStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer?
    private let byteCount: Int
    private let mapped: Bool

    init(memoryBytes bytes: Int) {
        byteCount = bytes
        mapped = false
        base = bytes > 0 ? UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16) : nil
    }

    init(fileBytes bytes: Int, directory: String?) throws(InputError) {
        byteCount = bytes
        mapped = bytes > 0
        guard bytes > 0 else {
            base = nil
            return
        }
        let file = try CacheFile(prefix: "leadscore-columns", directory: directory)
        defer { close(file.descriptor) }
        #if os(Linux)
            let reserved = posix_fallocate(file.descriptor, 0, off_t(bytes))
            guard reserved == 0 else { throw file.error(reserved, bytes: bytes) }
        #else
            guard ftruncate(file.descriptor, off_t(bytes)) == 0 else { throw file.error(errno, bytes: bytes) }
        #endif
        let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, file.descriptor, 0)
        guard let p, p != MAP_FAILED else { throw file.error(errno, bytes: bytes) }
        base = p
    }

    deinit {
        guard let base else { return }
        if mapped { munmap(base, byteCount) } else { base.deallocate() }
    }
}

/// Values appended one at a time while a part of the file is read.
///
/// In memory they go into chunks that are never moved: the first grows
/// (by `realloc`) up to `memoryChunkBytes`, later ones are allocated whole.
/// So a growing column is not copied again and again as an array that
/// doubles would be (a 10M-row read faulted 627,000 pages with arrays,
/// 477,000 with chunks). When the part spills, the values are written to the
/// part's scratch file in chunks of `spill.chunkValues` with only the last
/// chunk in memory.
///
/// The values live in a buffer the copies of one `SpilledValues` share: a
/// part's column has one writer, and copies are only read (`join`).
struct SpilledValues<Element: BitwiseCopyable> {
    private let store: Store

    init(spill: SpillFile?) { store = Store(spill: spill) }

    var count: Int { store.sealed * store.chunk + store.tailCount }

    /// The values not yet in a full chunk (those of a spilled part that are
    /// still in memory).
    var tail: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: store.tail, count: store.tailCount) }

    @inline(__always)
    mutating func append(_ value: Element) {
        let s = store
        if s.tailCount == s.tailCapacity { s.makeRoom() }
        s.tail.unsafelyUnwrapped[s.tailCount] = value
        s.tailCount &+= 1
    }

    /// Calls `body` with the values in order, a chunk at a time.
    func forEachChunk(_ body: (UnsafeBufferPointer<Element>) -> Void) throws(InputError) {
        if let spill = store.spill {
            if !store.offsets.isEmpty {
                let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: store.chunk)
                defer { buffer.deallocate() }
                for offset in store.offsets {
                    try spill.read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
                    body(UnsafeBufferPointer(buffer))
                }
            }
        } else {
            for chunk in store.full { body(UnsafeBufferPointer(start: chunk, count: store.chunk)) }
        }
        body(tail)
    }

    /// The values of `parts`, in order, copied into one column in
    /// `storage`; `adjust(k, values)` then changes, in place, values just
    /// copied from part k (renumbered codes, shifted line numbers).
    static func join(
        _ parts: [SpilledValues], _ storage: TableStorage,
        adjust: ((Int, UnsafeMutableBufferPointer<Element>) -> Void)? = nil
    ) throws(InputError) -> ColumnValues<Element> {
        let column = try ColumnValues<Element>(uninitializedCount: parts.reduce(0) { $0 + $1.count }, storage: storage)
        var at = column.buffer.baseAddress
        for (k, part) in parts.enumerated() {
            try part.forEachChunk { chunk in
                guard let from = chunk.baseAddress, let to = at else { return }
                to.initialize(from: from, count: chunk.count)
                adjust?(k, UnsafeMutableBufferPointer(start: to, count: chunk.count))
                at = to + chunk.count
            }
        }
        return column
    }

    /// Bytes of a full chunk in memory.
    static var memoryChunkBytes: Int { 2 << 20 }

    final class Store {
        let spill: SpillFile?
        /// Values in a full chunk.
        let chunk: Int
        // Written on every append; only the part's reading thread writes.
        @exclusivity(unchecked) var tail: UnsafeMutablePointer<Element>?
        @exclusivity(unchecked) var tailCount = 0
        @exclusivity(unchecked) var tailCapacity = 0
        /// In memory: the full chunks. Spilled: their offsets in the file.
        var full: [UnsafeMutablePointer<Element>] = []
        var offsets: [Int] = []
        var sealed: Int { spill == nil ? full.count : offsets.count }

        init(spill: SpillFile?) {
            self.spill = spill
            chunk = spill?.chunkValues ?? max(SpilledValues.memoryChunkBytes / MemoryLayout<Element>.stride, 1)
        }

        deinit {
            free(tail)
            for chunk in full { free(chunk) }
        }

        /// The tail is full: it grows (the first chunk, until it has a
        /// chunk's values), or is sealed and a new one begun.
        func makeRoom() {
            let stride = MemoryLayout<Element>.stride
            if tailCapacity < chunk {
                let capacity = min(max(2 * tailCapacity, 1024), chunk)
                guard let grown = realloc(tail, capacity * stride) else { fatalError("out of memory reading the file") }
                tail = grown.bindMemory(to: Element.self, capacity: capacity)
                tailCapacity = capacity
                return
            }
            if let spill {
                offsets.append(spill.write(UnsafeRawBufferPointer(start: tail, count: tailCount * stride)))
                tailCount = 0
                return
            }
            full.append(tail!)
            guard let raw = malloc(chunk * stride) else { fatalError("out of memory reading the file") }
            tail = raw.bindMemory(to: Element.self, capacity: chunk)
            tailCount = 0
        }
    }
}

/// One part's scratch file: chunks of values appended with write(2) and
/// read back with pread(2). A failed write is remembered and reported when
/// the chunks are read back (appending cannot throw in the parser's loop).
final class SpillFile: @unchecked Sendable {
    private let file: CacheFile
    private var size = 0
    private var failure: (code: Int32, bytes: Int)?
    /// Values per chunk of every `SpilledValues` of the part.
    let chunkValues: Int

    /// A scratch file for a part of a file with `columns` columns.
    init(directory: String?, columns: Int) throws(InputError) {
        file = try CacheFile(prefix: "leadscore-read", directory: directory)
        chunkValues = Self.chunkValues(columns: columns)
    }

    /// Chunks of up to 32,768 values, fewer for wide files, so that the
    /// chunks a part fills at the same time (up to three representations
    /// of every column: 20 bytes a value) take about 16 MiB; at least 1,024.
    static func chunkValues(columns: Int) -> Int {
        let fit = (16 << 20) / (20 * max(columns, 1))
        return min(32_768, max(1_024, fit / 1_024 * 1_024))
    }

    deinit { close(file.descriptor) }

    /// Appends `raw`'s bytes; returns their offset.
    func write(_ raw: UnsafeRawBufferPointer) -> Int {
        let offset = size
        let bytes = raw.count
        size += bytes
        guard failure == nil, let base = raw.baseAddress else { return offset }
        var done = 0
        while done < bytes {
            let n = pwrite(file.descriptor, base + done, bytes - done, off_t(offset + done))
            if n > 0 {
                done += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                failure = (n < 0 ? errno : ENOSPC, size)
                break
            }
        }
        return offset
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(InputError) {
        if let failure { throw file.error(failure.code, bytes: failure.bytes) }
        var done = 0
        while done < buffer.count {
            let n = pread(file.descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n > 0 {
                done += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                throw file.error(n < 0 ? errno : EIO, bytes: size, reading: true)
            }
        }
    }
}
