import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The named temporary files a run has open, so that an interrupted run
/// removes them, and a later run removes those of a run that was killed.
///
/// The one kind of named temporary file LeadScore makes is an output's
/// `.<name>.tmp-<pid>-<random>`, beside the output (`AtomicOutput`); the
/// training caches have no name from the moment they are created (they are
/// unlinked at once), so nothing of theirs can outlive the process.
///
/// - Signals. `removeOnSignals()` (called by the command-line tool at
///   start) installs handlers for SIGINT (Ctrl-C), SIGTERM, SIGHUP and
///   SIGPIPE that unlink every registered file, restore the default action
///   and raise the signal again, so the run ends with the conventional
///   status (128 + the signal's number in a shell) and nothing left behind.
///   A signal that was ignored when the process started (`nohup`) stays
///   ignored. The handler only calls `unlink`, `signal` and `raise`, which
///   are async-signal-safe, on paths copied in advance into fixed slots.
/// - `kill -9` (and power loss) cannot be caught. The temporary name
///   carries the writer's process id, so the next run that writes the same
///   output recognises a leftover whose process no longer exists, removes
///   it and says so (`leftoverRemoved`). A file is a leftover only when all
///   of these hold: its name is exactly `.<name>.tmp-<digits>-<base 36>`;
///   it is a regular file of this user (root included: another user's file
///   is never removed); no process with that id exists here; and no process
///   holds the `flock` every writer keeps on its temporary file while it
///   is open, which also covers a live writer in another PID namespace (a
///   container sharing the directory) or on another NFS client. A process
///   id reused by an unrelated process only delays the removal.
public enum TemporaryFiles {
    /// Slots for the paths of open temporary files. A path longer than a
    /// slot (beyond PATH_MAX) is not registered: it is still removed on
    /// every normal exit and error, and by the leftover sweep.
    static let slotCount = 64
    static let slotBytes = 4096

    /// Called with a leftover file removed by the sweep (its path, its
    /// size in bytes and the process id that made it), for the program to
    /// tell the user. The command-line tool prints a note.
    nonisolated(unsafe) public static var leftoverRemoved: ((_ path: String, _ bytes: Int, _ process: Int32) -> Void)?

    /// Installs the handlers that remove the registered files on SIGINT,
    /// SIGTERM, SIGHUP and SIGPIPE, then end the process by the signal.
    /// Call it once, at the start of a program.
    public static func removeOnSignals() {
        _ = table
        for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] {
            let previous = signal(signalNumber, temporaryFilesSignalHandler)
            // Keep a signal ignored when the process started ignored (nohup).
            if unsafeBitCast(previous, to: Int.self) == 1 { signal(signalNumber, previous) }
        }
    }

    /// Registers `path` (a temporary file the caller created); returns its
    /// slot for `unregister`, or nil when the path does not fit a slot or
    /// every slot is taken.
    static func register(_ path: String) -> Int? {
        let bytes = Array(path.utf8)
        guard bytes.count < slotBytes, !bytes.contains(0) else { return nil }
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        guard let slot = (0..<slotCount).first(where: { table.active[$0] == 0 }) else { return nil }
        let start = table.paths + slot * slotBytes
        for (i, byte) in bytes.enumerated() { start[i] = CChar(bitPattern: byte) }
        start[bytes.count] = 0
        // The path is complete before the handler can see the slot active.
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        table.active[slot] = 1
        return slot
    }

    /// A file made by `create`.
    struct Created {
        let descriptor: Int32
        let path: String
        /// Its slot, for `unregister` once the file is renamed or removed.
        let slot: Int?
    }

    /// Creates a new file `<stem><pid>-<random><suffix>` (`open` with
    /// O_CREAT | O_EXCL and `flags`, another random part on a clash),
    /// registered before it exists, so that no signal can come between its
    /// creation and its registration. On failure, nil and the `errno`.
    static func create(stem: String, suffix: String = "", flags: Int32, mode: mode_t) -> (created: Created?, error: Int32) {
        var random = SystemRandomNumberGenerator()
        var code: Int32 = EEXIST
        for _ in 0..<100 where code == EEXIST {
            let path = "\(stem)\(getpid())-\(String(random.next() as UInt64, radix: 36))\(suffix)"
            let slot = register(path)
            let fd = open(path, flags | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            if fd >= 0 { return (Created(descriptor: fd, path: path, slot: slot), 0) }
            code = errno
            unregister(slot)
        }
        return (nil, code)
    }

    /// How the temporary files of an output called `name` begin:
    /// `.<name>.tmp-`, then the process id and a random part.
    static func outputPrefix(of name: String) -> String { ".\(name).tmp-" }

    /// Forgets a slot: the file was renamed into place or removed.
    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        pthread_mutex_lock(lock)
        table.active[slot] = 0
        pthread_mutex_unlock(lock)
    }

    /// Removes the leftovers of `name` in `directory`: files called
    /// `.<name>.tmp-<pid>-<random>` whose process no longer exists. Returns
    /// the paths removed (each also reported to `leftoverRemoved`).
    @discardableResult
    static func removeLeftovers(of name: String, in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        let prefix = outputPrefix(of: name)
        var removed: [String] = []
        while let entry = readdir(dir) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard entryName.hasPrefix(prefix) else { continue }
            let rest = entryName.utf8.dropFirst(prefix.utf8.count)
            guard let dash = rest.firstIndex(of: UInt8(ascii: "-")) else { continue }
            let digits = rest[..<dash], suffix = rest[rest.index(after: dash)...]
            guard (1...10).contains(digits.count), digits.allSatisfy({ (0x30...0x39).contains($0) }),
                (1...13).contains(suffix.count), suffix.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }),
                let pid = Int32(String(decoding: digits, as: UTF8.self)), pid > 0, pid != getpid(), !processExists(pid)
            else { continue }
            let path = directory == "." ? entryName : directory == "/" ? "/" + entryName : directory + "/" + entryName
            let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(),
                flock(fd, LOCK_EX | LOCK_NB) == 0
            else { continue }
            if unlink(path) == 0 {
                removed.append(path)
                leftoverRemoved?(path, Int(info.st_size), pid)
            }
        }
        return removed
    }

    /// True unless the system says no process has this id (`kill(pid, 0)`
    /// failing with ESRCH); a process of another user counts as existing.
    static func processExists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno != ESRCH
    }

    // MARK: The table the signal handler reads

    struct Table {
        let paths: UnsafeMutablePointer<CChar>
        let active: UnsafeMutablePointer<UInt8>
    }

    /// Allocated once and never freed: the handler may run at any time.
    nonisolated(unsafe) static let table: Table = {
        let paths = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * slotBytes)
        paths.initialize(repeating: 0, count: slotCount * slotBytes)
        let active = UnsafeMutablePointer<UInt8>.allocate(capacity: slotCount)
        active.initialize(repeating: 0, count: slotCount)
        temporaryFilesTable = (paths, active)
        return Table(paths: paths, active: active)
    }()

    nonisolated(unsafe) static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()
}

/// The slots as plain pointers, for the handler (no Swift lazy
/// initialisation runs inside a signal handler).
nonisolated(unsafe) private var temporaryFilesTable: (paths: UnsafeMutablePointer<CChar>, active: UnsafeMutablePointer<UInt8>)?

private func temporaryFilesSignalHandler(_ signalNumber: Int32) {
    if let (paths, active) = temporaryFilesTable {
        // The literals are `slotCount` and `slotBytes`: nothing in here may
        // need a Swift global's lazy initialisation.
        for slot in 0..<64 where active[slot] != 0 {
            unlink(paths + slot * 4096)
        }
    }
    signal(signalNumber, SIG_DFL)
    raise(signalNumber)
}
