import CSV
import Foundation

/// yaslab/CSV.swift streaming from an InputStream.
func yaslabRows(_ path: String) throws -> Pass {
    guard let stream = InputStream(fileAtPath: path) else { throw CocoaError(.fileNoSuchFile) }
    let reader = try CSVReader(stream: stream, hasHeaderRow: true)
    var pass = Pass()
    while let row = reader.next() {
        pass.rows += 1
        for field in row { pass.fieldBytes += field.utf8.count }
    }
    // On Linux, InputStream reports bytes available at the end of a file, so
    // CSV.swift's last read fails with cannotReadFile after the last row.
    if let error = reader.error {
        if let csvError = error as? CSVError, case .cannotReadFile = csvError { return pass }
        throw error
    }
    return pass
}
