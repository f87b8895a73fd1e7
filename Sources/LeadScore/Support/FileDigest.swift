import Crypto
import Foundation

/// SHA-256 of a file's bytes, read in 1 MiB chunks, as lowercase hex.
enum FileDigest {
    /// The size of a regular file, or nil (standard input, a pipe, no file).
    static func size(path: String) -> Int? {
        var info = stat()
        guard path != "-", stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// SHA-256 of `data`, as lowercase hex.
    static func sha256(data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func sha256(path: String) throws(InputError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(.io, at: InputLocation(file: path), "cannot open the file.", remedy: "Check that the path exists and is readable.")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw InputError(.io, at: InputLocation(file: path), "reading the file failed (\(error)).", remedy: "Check the file and the disk.")
            }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// A file's SHA-256 computed on another thread while the caller goes on:
/// training fingerprints its input while it checks and encodes it.
final class BackgroundDigest: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<String, InputError> = .success("")

    init(path: String) {
        DispatchQueue.global().async {
            do throws(InputError) {
                self.result = .success(try FileDigest.sha256(path: path))
            } catch {
                self.result = .failure(error)
            }
            self.done.signal()
        }
    }

    /// Waits for the digest.
    func value() throws(InputError) -> String {
        done.wait()
        done.signal()
        return try result.get()
    }
}
