#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files one command reads and the files it writes, checked before it
/// starts, so that no run replaces one of its own inputs (the data, a
/// model, a rules file, a configuration, a validation file) and no two of
/// its outputs land on one file, each overwriting the other.
///
/// Files are compared by identity (device and inode, through symbolic
/// links), so `./m.json`, a hard link and a symbolic link to it are all
/// `m.json`. Outputs that do not exist yet are compared by their absolute
/// path, with the directory's symbolic links resolved. Standard output
/// counts as one output (`-` and `/dev/stdout` alike); character devices
/// such as `/dev/null` take any number of outputs.
public enum OutputPlan {
    /// Throws when an output is one of the inputs, or two outputs are one
    /// file. `"-"` among the inputs (standard input) is skipped.
    public static func check(inputs: [String], outputs: [String]) throws(InputError) {
        var seen: [(identity: Identity, path: String)] = []
        for output in outputs {
            let identity = Identity(output)
            if case .device = identity { continue }
            for input in inputs where input != "-" && input != "/dev/stdin" {
                if case .file = identity, identity == Identity(input) {
                    throw InputError(
                        .io, at: InputLocation(file: output),
                        "this output path is the input file \(input)\(output == input ? "" : " (the same file)"); writing there would replace the input.",
                        remedy: "Choose another output path; the inputs are never modified.")
                }
            }
            if let earlier = seen.first(where: { $0.identity == identity }) {
                throw InputError(
                    .io, at: InputLocation(file: output),
                    "two outputs of this command go to the same \(identity == .standardOutput ? "standard output" : "file")\(earlier.path == output ? "" : " (\(earlier.path) and \(output))"); one would overwrite the other.",
                    remedy: "Give each output its own path.")
            }
            seen.append((identity, output))
        }
    }

    /// What a path refers to, for comparing paths.
    enum Identity: Equatable {
        case standardOutput
        /// A character device: any number of outputs may share it.
        case device
        case file(dev: UInt64, inode: UInt64)
        /// A path that does not exist yet, as `resolve` writes it.
        case newPath(String)

        /// The absolute path a path will name once its missing directories
        /// are created: the longest part that exists, with its symbolic
        /// links resolved (`realpath`), then the rest with `.` and `..`
        /// applied as written (the directories `AtomicOutput` creates are
        /// real directories, so `new/..` is where `new` was made).
        static func resolve(_ path: String) -> String {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let cwd = path.hasPrefix("/") ? "" : getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? ""
            let components = (cwd + "/" + path).split(separator: "/").map(String.init)
            var existing = components.count
            var parts: [String] = []
            while existing >= 0 {
                if let real = realpath("/" + components[..<existing].joined(separator: "/"), nil) {
                    parts = String(cString: real).split(separator: "/").map(String.init)
                    free(real)
                    break
                }
                existing -= 1
            }
            for part in components[max(existing, 0)...] {
                if part == ".." { _ = parts.popLast() } else if part != "." { parts.append(part) }
            }
            return "/" + parts.joined(separator: "/")
        }

        init(_ path: String) {
            if AtomicOutput.inheritedDescriptor(path) == STDOUT_FILENO {
                self = .standardOutput
                return
            }
            if let file = Identity.existing(path) {
                self = file
                return
            }
            // Not there yet: where it will be once its directories exist.
            // That place may already hold a file (`newdir/../model.json`
            // is `model.json`): then it is that file.
            let resolved = Identity.resolve(path)
            self = Identity.existing(resolved) ?? .newPath(resolved)
        }

        /// The identity of the file at `path`, nil when there is none.
        static func existing(_ path: String) -> Identity? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return info.st_mode & S_IFMT == S_IFCHR ? .device : .file(dev: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        }
    }
}
