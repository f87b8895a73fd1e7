import Foundation
import XCTest

@testable import LeadScore

/// Reference values computed once with statsmodels and scikit-learn by
/// Fixtures/make_fixtures.py (see Fixtures/README.md).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func matrix(_ any: Any?) throws -> DenseMatrix {
        let rows = try XCTUnwrap(any as? [[Any]]).map { $0.map { ($0 as! NSNumber).doubleValue } }
        return DenseMatrix(rowArrays: rows)
    }

    static func doubles(_ any: Any?) throws -> [Double] {
        try XCTUnwrap(any as? [Any]).map { ($0 as! NSNumber).doubleValue }
    }

    static func double(_ any: Any?) throws -> Double {
        try XCTUnwrap(any as? NSNumber).doubleValue
    }

    /// The real CRM export shared beside the repository, when present.
    static var leadsCSV: String? {
        let url = URL(fileURLWithPath: #filePath)
        var dir = url.deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("shared/datasets/leads-x-education/Leads.csv").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let sibling = dir.appendingPathComponent("../shared/datasets/leads-x-education/Leads.csv").standardized.path
            if FileManager.default.fileExists(atPath: sibling) { return sibling }
            dir.deleteLastPathComponent()
        }
        return nil
    }

    /// The repository root (holding Package.swift).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
}

/// |a − b| ≤ tolerance for every element.
func assertClose(_ a: [Double], _ b: [Double], absolute tolerance: Double, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, message, file: file, line: line)
    let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, tolerance, "\(message): max abs difference \(worst)", file: file, line: line)
}

/// |a − b| ≤ tolerance · |b| for every element.
func assertClose(_ a: [Double], _ b: [Double], relative tolerance: Double, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, message, file: file, line: line)
    let worst = zip(a, b).map { abs($0 - $1) / abs($1) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, tolerance, "\(message): max relative difference \(worst)", file: file, line: line)
}
