import Foundation
import XCTest

/// The library's folders as a layered design (docs/ARCHITECTURE.md): each
/// folder uses only folders below it, so that the folders could become
/// targets. Read from the sources themselves.
final class ArchitectureTests: XCTestCase {
    static let library = Fixtures.repositoryRoot.appendingPathComponent("Sources/LeadScore")

    /// Every Swift file of the library: its folder and its text without
    /// comments and string literals.
    static func sources() throws -> [(folder: String, name: String, code: String, text: String)] {
        let files = FileManager.default.enumerator(atPath: library.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        return try files.sorted().map { path in
            let text = try String(contentsOf: library.appendingPathComponent(path), encoding: .utf8)
            var code = text.replacingOccurrences(of: #"//[^\n]*"#, with: "", options: .regularExpression)
            code = code.replacingOccurrences(of: #""(?:[^"\\\n]|\\.)*""#, with: "\"\"", options: .regularExpression)
            return (String(path.split(separator: "/")[0]), String(path.split(separator: "/").last!), code, text)
        }
    }

    /// Which folders each folder uses: it names a type, or a function,
    /// declared at the top level of a file of the other folder.
    static func uses() throws -> [String: Set<String>] {
        let files = try sources()
        var home: [String: String] = [:]
        let declaration = try NSRegularExpression(
            pattern: #"^(?:@\w+(?:\([^)]*\))?\s+)*(?:public |internal |final )*(?:struct|enum|class|protocol|typealias|func)\s+(\w+)"#,
            options: .anchorsMatchLines)
        for f in files {
            for m in declaration.matches(in: f.code, range: NSRange(f.code.startIndex..., in: f.code)) {
                let name = String(f.code[Range(m.range(at: 1), in: f.code)!])
                if home[name] == nil { home[name] = f.folder }
            }
        }
        var uses: [String: Set<String>] = [:]
        for f in files {
            uses[f.folder, default: []].formUnion([])
            for (name, folder) in home where folder != f.folder {
                if f.code.range(of: #"(?<![.\w])"# + name + #"\b"#, options: .regularExpression) != nil { uses[f.folder, default: []].insert(folder) }
            }
        }
        return uses
    }

    /// The folders from the bottom up, as docs/ARCHITECTURE.md lists them:
    /// a folder may use only folders before it.
    static let layers = [
        "Support", "Values", "CSV", "Configuration", "Ingest", "Inference", "LinearAlgebra", "Encoding", "Model", "Solver", "Rules",
        "Scoring", "Evaluation", "Export", "Training", "Datasets", "Reports",
    ]

    func testFoldersAreLayered() throws {
        let uses = try Self.uses()
        XCTAssertEqual(Set(uses.keys), Set(Self.layers), "every folder has its layer")
        for (folder, used) in uses {
            let level = try XCTUnwrap(Self.layers.firstIndex(of: folder))
            for other in used {
                XCTAssertLessThan(try XCTUnwrap(Self.layers.firstIndex(of: other)), level, "\(folder) uses \(other), which is not below it")
            }
        }
    }

    /// C interop in one place, and a library that speaks no command line.
    func testOnlyLinearAlgebraCallsCAndTheLibraryKnowsNoFlags() throws {
        for f in try Self.sources() {
            if f.text.contains("import _CBLAS") || f.text.contains("import _CLAPACKE") {
                XCTAssertEqual(f.folder, "LinearAlgebra", f.name)
            }
            XCTAssertFalse(f.text.contains("import ArgumentParser"), f.name)
            // A flag in a string literal ("--holdout"): options are named by key (OptionKey).
            let literals = f.text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            for line in literals where line.range(of: #""[^"\n]*--[a-z][^"\n]*""#, options: .regularExpression) != nil {
                XCTFail("\(f.name): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
    }
}
