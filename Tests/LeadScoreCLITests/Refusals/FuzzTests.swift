import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Byte-level fuzzing of what users hand to LeadScore: a CSV of leads, a
/// training export, a rules file and a model file, each mutated a few
/// hundred times from a fixed seed and run through the built tool.
///
/// Every run must end by itself (no crash: exit 0 or 1, never a signal;
/// no hang: each run is killed after `timeout` seconds and counted a
/// failure), leave no partial output (a refused run leaves no output file
/// and no temporary file), and an accepted run must write one row per lead:
/// the records of the mutated file as counted by `recordCount`, an
/// independent reading of the CSV rules the README states.
final class FuzzTests: XCTestCase {
    static let seed: UInt64 = 20_261_206
    static let timeout: TimeInterval = 30

    struct Tally: CustomStringConvertible {
        var mutants = 0, accepted = 0, refused = 0, crashes = 0, hangs = 0
        var description: String { "\(mutants) mutants: \(accepted) accepted, \(refused) refused (exit 1), \(crashes) crashes, \(hangs) hangs" }
    }

    func testMutatedLeadsFile() throws {
        let ws = try RefusalWorkspace(self)
        let leads = Array(try ws.read("new.csv").split(separator: "\n", omittingEmptySubsequences: false).prefix(61).joined(separator: "\n").utf8) + [10]
        let tally = try fuzz(ws, original: leads, name: "leads.csv", count: 200, seed: Self.seed) { mutant in
            (["score", "--model", "model.json", mutant, "-o", "out.csv", "-q"], FuzzTests.recordCount(mutant: ws.path(mutant)))
        }
        print("fuzz, leads file: \(tally)")
        assertBothOutcomes(tally, "leads file")
    }

    func testMutatedTrainingFile() throws {
        let ws = try RefusalWorkspace(self)
        let deals = Array(try ws.read("deals.csv").split(separator: "\n", omittingEmptySubsequences: false).prefix(301).joined(separator: "\n").utf8) + [10]
        let tally = try fuzz(ws, original: deals, name: "train.csv", count: 60, seed: Self.seed + 1) { mutant in
            (["train", mutant, "--config", "config.json", "--training-date", "2026-12-01", "-o", "out.csv", "-q"], nil)
        }
        print("fuzz, training file: \(tally)")
        assertBothOutcomes(tally, "training file")
    }

    func testMutatedRulesFile() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(String(try ws.read("new.csv").split(separator: "\n", omittingEmptySubsequences: false).prefix(61).joined(separator: "\n")) + "\n", to: "leads.csv")
        let tally = try fuzz(ws, original: Array(try ws.read("rules.yaml").utf8), name: "mutant.yaml", count: 120, seed: Self.seed + 2) { mutant in
            (["score", "--rules", mutant, "leads.csv", "-o", "out.csv", "-q"], 60)
        }
        print("fuzz, rules file: \(tally)")
        assertBothOutcomes(tally, "rules file")
    }

    /// Any changed value fails the model card's checksum, so every other
    /// mutant is scored with `--allow-edited-model`: the decoder and the
    /// scorer meet odd models (and must score them or refuse them), and
    /// the rest meet the checksum.
    func testMutatedModelFile() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(String(try ws.read("new.csv").split(separator: "\n", omittingEmptySubsequences: false).prefix(61).joined(separator: "\n")) + "\n", to: "leads.csv")
        // A card's last digits depend on the CPU's BLAS kernel, and so do
        // the mutants of its bytes; one mutation each (most of them still
        // break the JSON) leaves enough valid cards to reach the scorer on
        // every kernel (7 to 12 of the 60 with the override, measured
        // under Haswell, SkylakeX, Sandybridge and Prescott).
        let original = Array(try ws.read("model.json").utf8)
        let edited = try fuzz(ws, original: original, name: "mutant.json", count: 120, seed: Self.seed + 3, running: { $0 % 2 == 1 }, operations: 1) { mutant in
            (["score", "--model", mutant, "leads.csv", "--allow-edited-model", "-o", "out.csv", "-q"], 60)
        }
        print("fuzz, model file with --allow-edited-model: \(edited)")
        assertBothOutcomes(edited, "model file with --allow-edited-model")
        let checked = try fuzz(ws, original: original, name: "mutant.json", count: 120, seed: Self.seed + 3, running: { $0 % 2 == 0 }, operations: 1) { mutant in
            (["score", "--model", mutant, "leads.csv", "-o", "out.csv", "-q"], 60)
        }
        print("fuzz, model file against its checksum: \(checked)")
        // Mutants that change nothing the checksum covers may be accepted.
        XCTAssertGreaterThan(checked.refused, 0, "model file against its checksum: \(checked)")
    }

    /// A fuzz run that accepted nothing, or refused nothing, did not reach
    /// the code it is meant to: every mutant refused for one trivial reason
    /// (a header the mutation never touches, an option the tool no longer
    /// takes) would otherwise pass.
    private func assertBothOutcomes(_ tally: Tally, _ target: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThan(tally.accepted, 0, "\(target): no mutant was accepted (\(tally))", file: file, line: line)
        XCTAssertGreaterThan(tally.refused, 0, "\(target): no mutant was refused (\(tally))", file: file, line: line)
    }

    // MARK: The loop

    /// Makes `count` mutants of `original` and, for those whose index
    /// `running` accepts, writes the mutant as `name` and runs the command
    /// `command` gives, with the rows an accepted run must write (nil: the
    /// output is not a table of leads).
    private func fuzz(
        _ ws: RefusalWorkspace, original: [UInt8], name: String, count: Int, seed: UInt64, running: (Int) -> Bool = { _ in true },
        operations: Int = 3, command: (String) -> ([String], Int?)
    ) throws -> Tally {
        var random = SplitMix(seed)
        var tally = Tally()
        for index in 0..<count {
            let mutant = Mutation.apply(original, random: &random, operations: operations)
            guard running(index) else { continue }
            try ws.write(bytes: mutant, to: name)
            let (arguments, rows) = command(name)
            let output = ws.path("out.csv")
            try? FileManager.default.removeItem(atPath: output)
            let outcome = try run(arguments, in: ws.directory, temporary: ws.temporary)
            tally.mutants += 1
            let label = "mutant \(index) of \(name) (seed \(seed)), \(arguments.joined(separator: " "))"
            switch outcome {
            case .hang:
                tally.hangs += 1
                XCTFail("\(label): no answer after \(Self.timeout) s")
                continue
            case .signal(let s):
                tally.crashes += 1
                XCTFail("\(label): crashed with signal \(s)")
                continue
            case .exit(let status, let stderr):
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: ws.directory.path).filter { $0.contains(".tmp-") }
                    + (try FileManager.default.contentsOfDirectory(atPath: ws.temporary.path))
                XCTAssertEqual(leftovers, [], "\(label): temporary files left behind")
                switch status {
                case 0:
                    tally.accepted += 1
                    XCTAssertTrue(FileManager.default.fileExists(atPath: output), "\(label): accepted without an output")
                    if let rows {
                        let written = FuzzTests.recordCount(bytes: Array(FileManager.default.contents(atPath: output) ?? Data())) - 1
                        XCTAssertEqual(written, rows, "\(label): one row per lead")
                    }
                case 1:
                    tally.refused += 1
                    XCTAssertFalse(FileManager.default.fileExists(atPath: output), "\(label): a partial output after a refusal")
                    XCTAssertTrue(stderr.contains("error: ") && stderr.contains("What to do:"), "\(label): the refusal says what to do:\n\(stderr)")
                default:
                    XCTFail("\(label): exit status \(status)\n\(stderr)")
                }
            }
        }
        XCTAssertEqual(tally.mutants, (0..<count).filter(running).count)
        return tally
    }

    enum Outcome {
        case exit(Int32, String)
        case signal(Int32)
        case hang
    }

    private func run(_ arguments: [String], in directory: URL, temporary: URL) throws -> Outcome {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary.path]) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        nonisolated(unsafe) var stderrData = Data()
        let reading = DispatchSemaphore(value: 0)
        let handle = err.fileHandleForReading
        DispatchQueue.global().async {
            stderrData = handle.readDataToEndOfFile()
            reading.signal()
        }
        if done.wait(timeout: .now() + Self.timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            reading.wait()
            return .hang
        }
        reading.wait()
        if process.terminationReason == .uncaughtSignal { return .signal(process.terminationStatus) }
        return .exit(process.terminationStatus, String(decoding: stderrData, as: UTF8.self))
    }

    // MARK: An independent count of CSV records

    static func recordCount(mutant path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return recordCount(bytes: Array(data)) - 1
    }

    /// Records in CSV bytes by the README's rules: a field that starts with
    /// `"` is quoted (`""` inside it is a quote) and may hold line breaks;
    /// records end at LF, CRLF or a lone CR outside quotes; an empty line is
    /// skipped; the delimiter is whichever of comma, semicolon and tab the
    /// header holds most often (comma on a tie). The header counts as one.
    static func recordCount(bytes: [UInt8]) -> Int {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        // The delimiter, from the first non-empty line.
        var tallies: [UInt8: Int] = [44: 0, 59: 0, 9: 0]
        var i = start
        while i < bytes.count, bytes[i] == 10 || bytes[i] == 13 { i += 1 }
        var quoted = false, fieldStart = true
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 34 { if i + 1 < bytes.count && bytes[i + 1] == 34 { i += 1 } else { quoted = false } }
            } else if b == 10 || b == 13 {
                break
            } else if fieldStart && b == 34 {
                quoted = true
                fieldStart = false
            } else if tallies[b] != nil {
                tallies[b]! += 1
                fieldStart = true
                i += 1
                continue
            } else {
                fieldStart = false
            }
            i += 1
        }
        let delimiter: UInt8 = [44, 59, 9].max { tallies[$0]! < tallies[$1]! || (tallies[$0]! == tallies[$1]! && $0 > $1) } ?? 44
        var records = 0
        var recordHasBytes = false
        quoted = false
        fieldStart = true
        i = start
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 34 { if i + 1 < bytes.count && bytes[i + 1] == 34 { i += 1 } else { quoted = false } }
            } else if b == 10 || b == 13 {
                if recordHasBytes { records += 1 }
                recordHasBytes = false
                fieldStart = true
                if b == 13 && i + 1 < bytes.count && bytes[i + 1] == 10 { i += 1 }
                i += 1
                continue
            } else if fieldStart && b == 34 {
                quoted = true
            }
            recordHasBytes = true
            fieldStart = !quoted && b == delimiter
            i += 1
        }
        if recordHasBytes { records += 1 }
        return records
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): the fuzz test's own seeded
/// generator.
struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}

/// Byte mutations that reach the readers' corners: CSV and YAML/JSON
/// syntax bytes, line breaks, NUL, invalid UTF-8, digits and number
/// signs, duplicated and dropped runs, swapped lines, truncation.
enum Mutation {
    static let interesting: [UInt8] = Array("\",;\t\n\r:-.e0123456789x #{}[]'".utf8) + [0, 0xFF, 0xC3, 0x80]

    /// One to `operations` mutations of `original`.
    static func apply(_ original: [UInt8], random: inout SplitMix, operations: Int = 3) -> [UInt8] {
        var bytes = original
        for _ in 0..<(1 + random.below(operations)) where !bytes.isEmpty {
            let at = random.below(bytes.count)
            switch random.below(7) {
            case 0: bytes[at] = interesting[random.below(interesting.count)]
            case 1: bytes.insert(interesting[random.below(interesting.count)], at: at)
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(8)))
            case 3:
                let run = Array(bytes[at..<min(bytes.count, at + 1 + random.below(40))])
                bytes.insert(contentsOf: run, at: random.below(bytes.count))
            case 4: bytes = Array(bytes.prefix(at))
            case 5: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            default:
                var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
                if lines.count > 2 {
                    let a = random.below(lines.count), b = random.below(lines.count)
                    lines.swapAt(a, b)
                    bytes = Array(lines.joined(separator: [10]))
                }
            }
        }
        return bytes
    }
}
