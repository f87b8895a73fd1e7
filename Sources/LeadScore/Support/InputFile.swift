import Foundation

/// Reads a small input file whole (a model card, a rules file, a
/// configuration), and when it cannot, says why in the system's words: no
/// such file, a directory, permission denied. Pipes and process
/// substitutions (`<(git show …)`) read too.
enum InputFile {
    /// The bytes of `path`. `what` names the file in the message ("the
    /// model file"); `remedy` ends the message when the path may be wrong.
    static func read(path: String, what: String, remedy: String) throws(InputError) -> Data {
        var info = stat()
        if stat(path, &info) != 0 {
            throw failure(path: path, what: what, code: errno, remedy: remedy)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw InputError(
                .io, at: InputLocation(file: path), "cannot read \(what): it is a directory.",
                remedy: "Pass the file itself, not the directory that holds it.")
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw failure(path: path, what: what, code: errno, remedy: remedy) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do { return try handle.readToEnd() ?? Data() } catch {
            throw InputError(.io, at: InputLocation(file: path), "reading \(what) failed (\(error.localizedDescription)).", remedy: "Check the file and the disk.")
        }
    }

    private static func failure(path: String, what: String, code: Int32, remedy: String) -> InputError {
        let reason = String(cString: strerror(code))
        switch code {
        case EACCES, EPERM:
            return InputError(
                .io, at: InputLocation(file: path), "cannot read \(what): \(reason.lowercased()).",
                remedy: "Give your user read permission on the file (for example chmod u+r), or run as a user who can read it.")
        case ENOENT, ENOTDIR:
            return InputError(.io, at: InputLocation(file: path), "cannot read \(what): \(reason.lowercased()).", remedy: remedy)
        default:
            return InputError(.io, at: InputLocation(file: path), "cannot read \(what): \(reason.lowercased()).", remedy: "Check the file and the disk.")
        }
    }
}
