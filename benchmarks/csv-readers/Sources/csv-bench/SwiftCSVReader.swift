import Foundation
import SwiftCSV

/// SwiftCSV as documented: load the file, then iterate `rows`.
func swiftCSVRows(_ path: String) throws -> Pass {
    let csv = try CSV<Enumerated>(url: URL(fileURLWithPath: path), delimiter: .comma, loadColumns: false)
    var pass = Pass()
    for row in csv.rows {
        pass.rows += 1
        for field in row { pass.fieldBytes += field.utf8.count }
    }
    return pass
}

/// SwiftCSV's callback API over the loaded text, without keeping rows.
func swiftCSVEnumerate(_ path: String) throws -> Pass {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let csv = try CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false, rowLimit: 0)
    var pass = Pass()
    try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { row in
        pass.rows += 1
        for field in row { pass.fieldBytes += field.utf8.count }
    }
    return pass
}
