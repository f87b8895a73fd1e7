#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An output file that appears complete or not at all.
///
/// Bytes go through a 1 MiB buffer into a temporary file beside the
/// destination (`.<name>.tmp-<pid>-<random>` in the same directory, which is
/// created if missing). `commit()` flushes, syncs and closes it and renames
/// it over the destination in one step, so readers never see a half-written
/// file and a failure never leaves one behind: if the object is released
/// without a successful `commit()`, the temporary file is removed, and so it
/// is when the run is interrupted (`TemporaryFiles`). An existing
/// destination keeps its permissions (and, for root, its owner).
///
/// Only a regular file is ever replaced. What else an output path may name:
/// - `"-"`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`:
///   that descriptor of this process; bytes are written as they go, and
///   `commit()` flushes the rest (bytes still buffered when the object is
///   released without `commit()` are dropped).
/// - a character device (`/dev/null`, a terminal) or a FIFO: written
///   through, as a shell's `>` would; a write error (`/dev/full`) is an
///   error.
/// - a symbolic link to a regular file: that file is replaced (the link
///   stays); a link to a device or FIFO writes through it; a dangling link
///   is refused.
/// - a directory, a block device or a socket: refused.
///
/// `write` does not throw, so that producers can stream rows from
/// non-throwing closures; a write error (such as a full disk) is remembered,
/// later writes are dropped, and `commit()` throws it.
public final class AtomicOutput {
    /// The destination path as given ("-" for standard output).
    public let path: String
    private let fd: Int32
    /// The temporary file, when the destination is a regular file.
    private let tempPath: String?
    /// The regular file the temporary file replaces (`path`, or the file a
    /// symbolic link at `path` names).
    private let renameTarget: String
    /// The temporary file's slot in `TemporaryFiles`.
    private let slot: Int?
    /// Whether `fd` was opened here (closed at the end) or is this process's
    /// standard output or another inherited descriptor (left open).
    private let ownsDescriptor: Bool
    private var buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var count = 0
    /// Bytes handed to `write(2)` so far.
    private var flushed = 0
    /// Bytes of the temporary file handed to the kernel's writeback so far
    /// (`startWriteback`).
    private var writebackStart = 0
    private var failure: InputError?
    private var finished = false

    /// Creates the temporary file (and any missing directories).
    /// `inputs` are the files the run reads: an output path that is one of
    /// them (the same file, by device and inode) is refused, so an input is
    /// never replaced by its own output. `OutputPlan` checks every input and
    /// output of a command before it starts.
    public convenience init(path: String, inputs: [String] = []) throws(InputError) {
        let identity = path == "-" ? nil : OutputPlan.Identity(path)
        if case .file = identity {
            for input in inputs where input != "-" && OutputPlan.Identity(input) == identity {
                throw InputError(
                    .io, at: InputLocation(file: path), "the output path is the input file \(input); writing there would replace the input.",
                    remedy: "Choose another output path.")
            }
        }
        try self.init(path: path, bufferSize: 1 << 20)
    }

    init(path: String, bufferSize: Int) throws(InputError) {
        self.path = path
        capacity = max(bufferSize, 16)
        switch try AtomicOutput.destination(path) {
        case .descriptor(let inherited):
            fd = inherited
            ownsDescriptor = false
            tempPath = nil
            renameTarget = path
            slot = nil
        case .stream:
            let opened = open(path, O_WRONLY | O_CLOEXEC)
            guard opened >= 0 else {
                throw InputError(
                    .io, at: InputLocation(file: path), "cannot open the output for writing (\(systemError(errno))).",
                    remedy: "Check the output path and its permissions, or choose another output path.")
            }
            fd = opened
            ownsDescriptor = true
            tempPath = nil
            renameTarget = path
            slot = nil
        case .file(let target, let existing):
            let (directory, name) = AtomicOutput.split(target)
            guard !name.isEmpty else {
                throw InputError(
                    .io, at: InputLocation(file: path), "the output path names a directory, not a file.",
                    remedy: "Give a file name, such as scores.csv.")
            }
            try AtomicOutput.makeDirectories(directory, for: path)
            TemporaryFiles.removeLeftovers(of: name, in: directory)
            let prefix = !target.contains("/") ? "" : directory == "/" ? "/" : directory + "/"
            let (created, code) = TemporaryFiles.create(stem: prefix + TemporaryFiles.outputPrefix(of: name), flags: O_WRONLY, mode: 0o666)
            guard let created else {
                throw InputError(
                    .io, at: InputLocation(file: path),
                    "cannot create the output file (\(systemError(code))).",
                    remedy: "Check that the directory \(directory) is writable, or choose another output path.")
            }
            let opened = created.descriptor
            slot = created.slot
            // Held while the file is open: the leftover sweep of another run
            // removes only files nobody holds (`TemporaryFiles`).
            _ = flock(opened, LOCK_EX | LOCK_NB)
            if let existing {
                _ = fchmod(opened, existing.st_mode & 0o7777)
                if geteuid() == 0 { _ = fchown(opened, existing.st_uid, existing.st_gid) }
            }
            fd = opened
            ownsDescriptor = true
            tempPath = created.path
            renameTarget = target
        }
        buffer = .allocate(capacity: capacity)
    }

    /// What an output path names.
    enum Destination {
        /// A descriptor this process already has (standard output).
        case descriptor(Int32)
        /// A character device or a FIFO, written through.
        case stream
        /// A regular file to replace (nil status: it does not exist yet).
        case file(String, existing: stat?)
    }

    /// The open descriptor of this process an output path names: `-` and
    /// `/dev/stdout` standard output, `/dev/stderr`, `/dev/fd/N` and
    /// `/proc/self/fd/N`; nil for any other path.
    static func inheritedDescriptor(_ path: String) -> Int32? {
        if path == "-" || path == "/dev/stdout" { return STDOUT_FILENO }
        if path == "/dev/stderr" { return STDERR_FILENO }
        for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
            if let n = Int32(path.dropFirst(prefix.count)), fcntl(n, F_GETFD) >= 0 { return n }
        }
        return nil
    }

    /// Classifies an output path (see the type's documentation).
    static func destination(_ path: String) throws(InputError) -> Destination {
        if let inherited = inheritedDescriptor(path) { return .descriptor(inherited) }
        var info = stat()
        guard lstat(path, &info) == 0 else { return .file(path, existing: nil) }
        var target = path
        if info.st_mode & S_IFMT == S_IFLNK {
            // As the kernel's protected_symlinks does for a shell's `>`: a
            // link in a sticky world-writable directory (/tmp) is followed
            // only when it belongs to this user or to the directory's owner,
            // so that nobody can aim another user's output at a file of theirs.
            var parent = stat()
            if stat(AtomicOutput.split(path).directory, &parent) == 0, parent.st_mode & S_ISVTX != 0, parent.st_mode & S_IWOTH != 0,
                info.st_uid != geteuid(), info.st_uid != parent.st_uid
            {
                throw InputError(
                    .io, at: InputLocation(file: path),
                    "the output path is a symbolic link of another user in a shared directory; following it could overwrite a file that user chose.",
                    remedy: "Give the real path of the output, or remove the link.")
            }
            guard stat(path, &info) == 0, let real = realpath(path, nil) else {
                throw InputError(
                    .io, at: InputLocation(file: path),
                    "the output path is a symbolic link to \(AtomicOutput.linkText(path)), which does not exist.",
                    remedy: "Create the file the link names, or give the real path of the output.")
            }
            target = String(cString: real)
            free(real)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(target, existing: info)
        case S_IFCHR, S_IFIFO: return .stream
        case S_IFDIR:
            throw InputError(
                .io, at: InputLocation(file: path), "the output path is an existing directory.",
                remedy: "Give a file name inside it, such as \(path)/scores.csv.")
        default:
            let what = info.st_mode & S_IFMT == S_IFBLK ? "a block device" : info.st_mode & S_IFMT == S_IFSOCK ? "a socket" : "not a regular file"
            throw InputError(
                .io, at: InputLocation(file: path), "the output path is \(what); LeadScore replaces only regular files.",
                remedy: "Give the path of a file, or - for standard output.")
        }
    }

    /// The target a symbolic link holds, as text.
    private static func linkText(_ path: String) -> String {
        var bytes = [CChar](repeating: 0, count: 4097)
        let n = readlink(path, &bytes, 4096)
        guard n > 0 else { return "a missing file" }
        return String(decoding: bytes[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        if !finished {
            if ownsDescriptor { close(fd) }
            if let tempPath {
                unlink(tempPath)
                TemporaryFiles.unregister(slot)
            }
        }
        buffer.deallocate()
    }

    /// Appends bytes (for example `Data` or `[UInt8]`).
    public func write(_ bytes: some Sequence<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ append($0) }) != nil { return }
        for byte in bytes { append(byte) }
    }

    /// Appends the UTF-8 bytes of `s`.
    public func write(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    /// Flushes and moves the file into place (or flushes standard output).
    /// Throws the first write error, or an error when syncing or renaming
    /// fails; the temporary file is then removed. Calling it again does
    /// nothing.
    public func commit() throws(InputError) {
        if finished { return }
        flush()
        guard let tempPath else {
            finished = true
            if ownsDescriptor, close(fd) != 0, failure == nil {
                failure = ioError("cannot write the output (\(systemError(errno))).")
            }
            if let failure { throw failure }
            return
        }
        if failure == nil, fsync(fd) != 0, errno != EINVAL {
            failure = ioError("cannot save the output file (\(systemError(errno))).")
        }
        if close(fd) != 0, failure == nil {
            failure = ioError("cannot save the output file (\(systemError(errno))).")
        }
        finished = true
        if failure == nil, rename(tempPath, renameTarget) != 0 {
            failure = ioError("cannot move the finished output into place (\(systemError(errno))).")
        }
        if failure != nil { unlink(tempPath) }
        TemporaryFiles.unregister(slot)
        if let failure { throw failure }
    }

    // MARK: Buffer

    @inline(__always)
    public func append(_ byte: UInt8) {
        if count == capacity { flush() }
        buffer[count] = byte
        count += 1
    }

    public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if bytes.count > capacity - count {
            flush()
            if bytes.count >= capacity {
                writeAll(UnsafeRawPointer(source), bytes.count)
                return
            }
        }
        (buffer + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Gives `body` room for `reserve` bytes at the end of the buffer
    /// (`reserve` at most the buffer size); `body` returns how many it wrote.
    @inline(__always)
    public func withSpace(_ reserve: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if reserve > capacity - count { flush() }
        count += body(buffer + count)
    }

    public var bufferCapacity: Int { capacity }

    public var bytesWritten: Int { flushed + count }

    private func flush() {
        if count > 0 { writeAll(UnsafeRawPointer(buffer), count) }
        count = 0
    }

    private func writeAll(_ start: UnsafeRawPointer, _ total: Int) {
        flushed += total
        guard failure == nil, !finished else { return }
        var done = 0
        while done < total {
            let n = posixWrite(fd, start + done, total - done)
            if n < 0 {
                if errno == EINTR { continue }
                failure = ioError("cannot write the output file (\(systemError(errno))).")
                return
            }
            done += n
        }
        startWriteback()
    }

    /// Every 16 MiB of a temporary file, asks the kernel to start writing
    /// them to disk now (POSIX_FADV_DONTNEED starts writeback of the
    /// range's dirty pages without waiting, then drops the clean ones), so
    /// that `commit()`'s fsync finds little left to wait for instead of the
    /// whole file: scoring 1M leads with reasons writes 237 MB, whose fsync
    /// waited 0.066 s at the end. Advice only: it changes no byte, and its
    /// failure is no error.
    private func startWriteback() {
        guard tempPath != nil, flushed - writebackStart >= 16 << 20 else { return }
        _ = posix_fadvise(fd, off_t(writebackStart), off_t(flushed - writebackStart), POSIX_FADV_DONTNEED)
        writebackStart = flushed
    }

    private func ioError(_ problem: String) -> InputError {
        InputError(
            .io, at: InputLocation(file: path), problem,
            remedy: "Check that the disk has free space and the directory is writable, or choose another output path.")
    }

    // MARK: Paths

    /// Directory and file name of a path ("." when there is no directory).
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    /// `mkdir -p`: creates `directory` and its missing parents.
    private static func makeDirectories(_ directory: String, for path: String) throws(InputError) {
        var info = stat()
        if stat(directory, &info) == 0 {
            if info.st_mode & 0o170000 == 0o040000 { return }
            throw InputError(
                .io, at: InputLocation(file: path), "cannot create the output file: \(directory) is not a directory.",
                remedy: "Choose an output path inside a directory.")
        }
        let (parent, _) = split(directory)
        if parent != directory { try makeDirectories(parent, for: path) }
        if mkdir(directory, 0o777) != 0 && errno != EEXIST {
            throw InputError(
                .io, at: InputLocation(file: path),
                "cannot create the directory \(directory) (\(systemError(errno))).",
                remedy: "Check the output path, or create the directory yourself.")
        }
    }
}

/// `write(2)`, named apart from `AtomicOutput.write`.
@inline(__always)
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

/// The C library's text for an `errno` value.
private func systemError(_ code: Int32) -> String {
    guard let message = strerror(code) else { return "error \(code)" }
    return String(cString: message)
}
