import Foundation
import XCTest

/// The catalogue of refusals ("What LeadScore refuses, and why" in the
/// README): each case runs the built `leadscore` in a workspace of its own
/// and asserts the exit status, the key words of the message (file, line,
/// column, value, remedy), and that nothing was written or changed: every
/// file in the workspace, the inputs among them, and its temporary
/// directory (the run's `TMPDIR`) are byte for byte as before.
///
/// A workspace holds small real inputs: `deals.csv` (the first 1,500 rows
/// of the bundled export), `new.csv` (200 new leads), `model.json`
/// (trained on deals.csv with the bundled configuration, so with fit and
/// engagement groups and a measurement date: a format 3 card), `plain.json`
/// (trained on deals.csv without them: a format 2 card, as cards were
/// before format 3), `rules.yaml` (the bundled rules) and `config.json` (the
/// bundled configuration).
final class RefusalWorkspace {
    let directory: URL
    let temporary: URL

    /// The shared, trained inputs; each workspace copies them.
    private static let template: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-refusals-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let root = CLI.repositoryRoot
        let deals = try! String(contentsOf: root.appendingPathComponent("datasets/b2b-deals.csv"), encoding: .utf8)
        let lines = deals.split(separator: "\n", omittingEmptySubsequences: false)
        try! Data((lines.prefix(1501).joined(separator: "\n") + "\n").utf8).write(to: url.appendingPathComponent("deals.csv"))
        let newLeads = try! String(contentsOf: root.appendingPathComponent("datasets/b2b-new-leads.csv"), encoding: .utf8)
        let newLines = newLeads.split(separator: "\n", omittingEmptySubsequences: false)
        try! Data((newLines.prefix(201).joined(separator: "\n") + "\n").utf8).write(to: url.appendingPathComponent("new.csv"))
        for (from, to) in [("models/b2b-deals.rules.yaml", "rules.yaml"), ("datasets/b2b-deals.config.json", "config.json")] {
            try! FileManager.default.copyItem(at: root.appendingPathComponent(from), to: url.appendingPathComponent(to))
        }
        let trained = try! CLI.run(
            ["train", "deals.csv", "--config", "config.json", "--training-date", "2026-12-01", "--output", "model.json", "-q"], in: url)
        precondition(trained.status == 0, "the catalogue's model did not train: \(trained.stderr)")
        let plain = try! CLI.run(
            [
                "train", "deals.csv", "--target", "Stage", "--positive", "Closed Won", "--negative", "Closed Lost", "--id", "Deal ID",
                "--exclude", "Company Name", "--exclude", "Created Date", "--training-date", "2026-12-01", "--output", "plain.json", "-q",
            ], in: url)
        precondition(plain.status == 0, "the catalogue's model without groups did not train: \(plain.stderr)")
        return url
    }()

    init(_ test: XCTestCase) throws {
        directory = try CLI.temporaryDirectory(test)
        for name in try FileManager.default.contentsOfDirectory(atPath: RefusalWorkspace.template.path) {
            try FileManager.default.copyItem(
                at: RefusalWorkspace.template.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        temporary = directory.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes `text` to `name` in the workspace and returns its path.
    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        return path(name)
    }

    /// Writes `bytes` to `name` in the workspace and returns its path.
    @discardableResult
    func write(bytes: [UInt8], to name: String) throws -> String {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
        return path(name)
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    /// Writes the workspace's model card to `name` with one digit changed,
    /// as a hand edit would: the leading digit of its first coefficient.
    /// (Not the last digit: the 17th significant digit of a shortest
    /// round-trip number can change without changing the double, and which
    /// digits a card has depends on the CPU's BLAS kernel.)
    func writeEditedModel(to name: String) throws {
        let text = try read("model.json")
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("\"coefficient\" : ") })
        var edited = String(line)
        let value = try XCTUnwrap(edited.range(of: "\"coefficient\" : "))
        let digit = try XCTUnwrap(edited[value.upperBound...].firstIndex { $0.isNumber })
        edited.replaceSubrange(digit...digit, with: edited[digit] == "1" ? "2" : "1")
        try write(text.replacingOccurrences(of: String(line), with: edited), to: name)
    }

    /// Every file under the workspace (temporary directory included), hidden
    /// ones too, with its bytes; symbolic links by their target.
    func snapshot() -> [String: Data] {
        var files: [String: Data] = [:]
        let manager = FileManager.default
        guard let walker = manager.enumerator(atPath: directory.path) else { return files }
        while let relative = walker.nextObject() as? String {
            let full = directory.appendingPathComponent(relative).path
            if let target = try? manager.destinationOfSymbolicLink(atPath: full) {
                files[relative] = Data(("-> " + target).utf8)
                continue
            }
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue {
                files[relative + "/"] = Data()
            } else {
                files[relative] = manager.contents(atPath: full) ?? Data("(unreadable)".utf8)
            }
        }
        return files
    }

    /// Runs `leadscore` in the workspace, with its own TMPDIR (with
    /// `shell`, /bin/sh with `arguments` instead).
    func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil, shell: Bool = false) throws -> CLIResult {
        try CLI.run(
            arguments, in: directory, environment: ["TMPDIR": temporary.path].merging(environment) { $1 }, input: input,
            executable: shell ? URL(fileURLWithPath: "/bin/sh") : CLI.executable)
    }

    /// Runs a case that must be refused: the exit status is `status`, the
    /// message on standard error names every one of `mentions`, and no file
    /// in the workspace or its temporary directory was created, changed or
    /// removed.
    @discardableResult
    func refuses(
        _ arguments: [String], status: Int32 = 1, mentions: [String], environment: [String: String] = [:], input: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> CLIResult {
        let before = snapshot()
        let result = try run(arguments, environment: environment, input: input)
        XCTAssertEqual(result.status, status, "exit status of \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        for word in mentions {
            XCTAssertTrue(result.stderr.contains(word), "the message names \"\(word)\":\n\(result.stderr)", file: file, line: line)
        }
        let after = snapshot()
        XCTAssertEqual(Set(after.keys), Set(before.keys), "files created or removed by \(arguments.joined(separator: " "))", file: file, line: line)
        for (name, bytes) in before where after[name] != bytes {
            XCTFail("\(name) was changed by \(arguments.joined(separator: " "))", file: file, line: line)
        }
        return result
    }
}
