import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Training's cache files, for data beyond the memory budget: the columns
// read from the file (`ColumnValues`) and the encoded design
// (`DesignCacheWriter`). Their errors name the directory or the file and
// point to --cache-dir and --memory-budget.

/// A new cache file (mode 0600) without a name, open for reading and writing.
struct CacheFile {
    let descriptor: Int32
    /// Where it was created (for messages: an unlinked file's name no
    /// longer exists).
    let path: String
    let directory: String

    /// Creates `prefix`-`pid`-`random``suffix` (mode 0600) in `directory`
    /// (default: $TMPDIR or /tmp) and removes its name at once: the
    /// descriptor keeps the contents until closed, and nothing is left
    /// behind however the process ends. The name is
    /// registered with `TemporaryFiles` before the file exists and until it
    /// is removed, so that Ctrl-C, SIGTERM or SIGHUP at that moment leaves
    /// nothing behind either. `what` names it in the error.
    init(prefix: String, suffix: String = ".bin", directory: String?, what: String = "a cache file") throws(InputError) {
        let dir = directory ?? FileManager.default.temporaryDirectory.path
        self.directory = dir
        let base = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        let (created, code) = TemporaryFiles.create(stem: "\(base)/\(prefix)-", suffix: suffix, flags: O_RDWR, mode: 0o600)
        guard let created else {
            let reason = String(cString: strerror(code))
            throw InputError(
                .io, at: InputLocation(file: dir), "cannot create \(what) in this directory: \(reason).",
                remedy: "Choose a writable directory with free space for the training cache with \(OptionKey.cacheDirectory.mention) (or TMPDIR), or raise \(OptionKey.memoryBudget.mention) if the data fits in memory.")
        }
        unlink(created.path)
        TemporaryFiles.unregister(created.slot)
        descriptor = created.descriptor
        path = created.path
    }

    /// An error writing (or reading back) `bytes` bytes of this file.
    func error(_ code: Int32, bytes: Int, reading: Bool = false) -> InputError {
        InputError(
            .io, at: InputLocation(file: path),
            "cannot \(reading ? "read back" : "write") \(MemorySize(bytes: bytes)) \(reading ? "from" : "to") the training cache in \(directory): \(String(cString: strerror(code))).",
            remedy: "Free disk space in \(directory) or put the cache in another directory with \(OptionKey.cacheDirectory.mention) (or TMPDIR), or raise \(OptionKey.memoryBudget.mention) if the data fits in memory.")
    }
}
