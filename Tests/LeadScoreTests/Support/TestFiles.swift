import Foundation
import XCTest

@testable import LeadScore

extension XCTestCase {
    /// A path in the temporary directory ending in `name`, unique to the
    /// call; whatever is written there is removed when the test ends.
    func temporaryPath(_ name: String) -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(type(of: self))-\(UUID().uuidString)-\(name)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    /// The rows of a CSV file by column name, header left out.
    func csvRows(_ path: String) throws -> [[String: String]] {
        let reader = try CSVReader(path: path)
        var rows: [[String: String]] = []
        while try reader.nextRecord() {
            rows.append(Dictionary(uniqueKeysWithValues: reader.header.enumerated().map { ($1, reader.field($0)) }))
        }
        return rows
    }
}
