import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The catalogue's outputs: an output never replaces an input or another
/// output, never replaces anything but a regular file, and an interrupted
/// or killed run leaves nothing behind.
final class OutputRefusalTests: XCTestCase {
    // MARK: Outputs that are inputs

    func testScoreOverItsModelIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["score", "--model", "model.json", "new.csv", "-o", "model.json"], mentions: ["model.json", "input file", "Choose another output path"])
    }

    func testScoreOverItsRulesFileIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["score", "--rules", "rules.yaml", "new.csv", "-o", "./rules.yaml"], mentions: ["./rules.yaml", "input file rules.yaml", "(the same file)"])
    }

    func testScoreOverItsLeadsIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["score", "--model", "model.json", "new.csv", "-o", "new.csv"], mentions: ["new.csv", "would replace the input"])
    }

    func testEvaluatePredictionsOverTheModelIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["evaluate", "--model", "model.json", "deals.csv", "--predictions", "model.json"], mentions: ["model.json", "input file"])
    }

    func testEvaluateReportOverTheRulesIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(
            ["evaluate", "--rules", "rules.yaml", "--target", "Stage", "deals.csv", "--json", "rules.yaml"], mentions: ["rules.yaml", "input file"])
    }

    func testTrainOverItsConfigurationIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["train", "deals.csv", "--config", "config.json", "-o", "config.json"], mentions: ["config.json", "input file"])
    }

    func testTrainOverItsValidationFileIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(
            ["train", "deals.csv", "--config", "config.json", "--validation", "new.csv", "-o", "new.csv"], mentions: ["new.csv", "input file"])
    }

    func testHoldoutRowsOverTheTrainingDataAreRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(
            ["train", "deals.csv", "--config", "config.json", "--holdout", "0.3", "--holdout-output", "deals.csv", "-o", "m2.json"],
            mentions: ["deals.csv", "input file"])
    }

    func testExportThroughASymbolicLinkToTheModelIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        XCTAssertEqual(symlink("model.json", ws.path("link.json")), 0)
        try ws.refuses(
            ["export", "--points", "--model", "model.json", "--data", "deals.csv", "-o", "link.json"],
            mentions: ["link.json", "input file model.json", "(the same file)"])
    }

    func testOutputThatIsAHardLinkOfTheModelIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        XCTAssertEqual(link(ws.path("model.json"), ws.path("hard.json")), 0)
        try ws.refuses(["score", "--model", "model.json", "new.csv", "-o", "hard.json"], mentions: ["hard.json", "input file model.json"])
    }

    /// The output's directory does not exist yet, and `..` leads back onto
    /// an input: refused before the directory is made.
    func testOutputThroughANewDirectoryOntoTheModelIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["score", "--model", "model.json", "new.csv", "-o", "newdir/../model.json"], mentions: ["newdir/../model.json", "input file model.json"])
        try ws.refuses(
            ["evaluate", "--model", "model.json", "deals.csv", "--predictions", "a/b/../../model.json"], mentions: ["a/b/../../model.json", "input file model.json"])
        try ws.refuses(
            ["score", "--rules", "rules.yaml", "new.csv", "--id", "Deal ID", "-o", "tmp/../x/../rules.yaml"], mentions: ["input file rules.yaml"])
    }

    // MARK: Two outputs on one file

    func testEvaluateJSONAndHTMLOnOneFileAreRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(
            ["evaluate", "--model", "model.json", "deals.csv", "--json", "report", "--html", "./report"],
            mentions: ["two outputs", "report and ./report", "its own path"])
    }

    func testEvaluateJSONAndPredictionsOnStandardOutputAreRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(
            ["evaluate", "--model", "model.json", "deals.csv", "--json", "-", "--predictions", "/dev/stdout"],
            mentions: ["two outputs", "standard output"])
    }

    func testGenerateDataAndTruthOnOneFileAreRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["generate", "--rows", "10", "-o", "out/x.csv", "--truth", "out/../out/x.csv"], mentions: ["two outputs", "its own path"])
    }

    // MARK: Paths that are not regular files

    func testDanglingSymbolicLinkIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        XCTAssertEqual(symlink("nowhere/scores.csv", ws.path("scores.csv")), 0)
        try ws.refuses(
            ["score", "--model", "model.json", "new.csv", "-o", "scores.csv"], mentions: ["scores.csv", "symbolic link to nowhere/scores.csv", "does not exist"])
    }

    func testExistingDirectoryIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["score", "--model", "model.json", "new.csv", "-o", "tmp"], mentions: ["tmp", "existing directory", "tmp/scores.csv"])
    }

    func testSocketIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(ws.path("sock").utf8CString)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, c) in path.prefix(raw.count - 1).enumerated() { raw[i] = UInt8(bitPattern: c) }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try XCTSkipIf(bound != 0, "cannot bind a socket here")
        try ws.refuses(["score", "--model", "model.json", "new.csv", "-o", "sock"], mentions: ["sock", "a socket", "regular files"])
    }

    func testFullDeviceIsAnErrorAndStaysADevice() throws {
        let ws = try RefusalWorkspace(self)
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/full"))
        try ws.refuses(["score", "--model", "model.json", "new.csv", "-o", "/dev/full"], mentions: ["/dev/full", "No space left"])
        var info = stat()
        XCTAssertEqual(stat("/dev/full", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR)
    }

    /// A link another user left in a shared, sticky directory (/tmp) is not
    /// followed, as the kernel's protected_symlinks refuses a shell's `>`.
    func testSymbolicLinkOfAnotherUserInASharedDirectoryIsRefused() throws {
        try XCTSkipUnless(geteuid() == 0, "needs root to give the link to another user")
        let ws = try RefusalWorkspace(self)
        try FileManager.default.createDirectory(atPath: ws.path("shared"), withIntermediateDirectories: true)
        XCTAssertEqual(chmod(ws.path("shared"), 0o1777), 0)
        try ws.write("root's file\n", to: "secret.txt")
        XCTAssertEqual(symlink("../secret.txt", ws.path("shared/scores.csv")), 0)
        XCTAssertEqual(lchown(ws.path("shared/scores.csv"), 65534, 65534), 0)
        try ws.refuses(
            ["score", "--model", "model.json", "new.csv", "-o", "shared/scores.csv"],
            mentions: ["shared/scores.csv", "symbolic link of another user", "real path"])
    }

    /// A standard descriptor closed by the caller is not taken by the
    /// output: the scores are written whole, the messages go nowhere.
    func testClosedStandardErrorDoesNotTakeTheOutput() throws {
        let ws = try RefusalWorkspace(self)
        let r = try ws.run(["-c", "exec 2>&-; exec \"$0\" score --model model.json new.csv -o scores.csv", CLI.executable.path], shell: true)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try ws.read("scores.csv").split(separator: "\n").count, 201)
    }

    // MARK: What is written through, and what is replaced

    func testNullDeviceIsWrittenThroughNotReplaced() throws {
        let ws = try RefusalWorkspace(self)
        let r = try ws.run(["score", "--model", "model.json", "new.csv", "-o", "/dev/null"])
        XCTAssertEqual(r.status, 0, r.stderr)
        var info = stat()
        XCTAssertEqual(stat("/dev/null", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR)
    }

    func testFIFOReceivesTheScores() throws {
        let ws = try RefusalWorkspace(self)
        XCTAssertEqual(mkfifo(ws.path("pipe"), 0o600), 0)
        nonisolated(unsafe) var received = Data()
        let pipe = ws.path("pipe")
        let reader = Thread {
            if let handle = FileHandle(forReadingAtPath: pipe) { received = handle.readDataToEndOfFile() }
        }
        reader.start()
        let r = try ws.run(["score", "--model", "model.json", "new.csv", "-o", "pipe", "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let deadline = Date().addingTimeInterval(10)
        while !reader.isFinished && Date() < deadline { usleep(10_000) }
        let text = String(decoding: received, as: UTF8.self)
        XCTAssertEqual(text.split(separator: "\n").count, 201, "the header and 200 leads")
        var info = stat()
        XCTAssertEqual(lstat(ws.path("pipe"), &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the FIFO is still a FIFO")
    }

    func testSymbolicLinkToAFileReplacesTheFileAndKeepsTheLink() throws {
        let ws = try RefusalWorkspace(self)
        try FileManager.default.createDirectory(atPath: ws.path("archive"), withIntermediateDirectories: true)
        try ws.write("old\n", to: "archive/scores-2026.csv")
        XCTAssertEqual(chmod(ws.path("archive/scores-2026.csv"), 0o640), 0)
        XCTAssertEqual(symlink("archive/scores-2026.csv", ws.path("latest.csv")), 0)
        let r = try ws.run(["score", "--model", "model.json", "new.csv", "-o", "latest.csv", "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: ws.path("latest.csv")), "archive/scores-2026.csv")
        XCTAssertEqual(try ws.read("archive/scores-2026.csv").split(separator: "\n").count, 201)
        var info = stat()
        XCTAssertEqual(stat(ws.path("archive/scores-2026.csv"), &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o640, "the file keeps its permissions")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: ws.path("archive")), ["scores-2026.csv"])
    }

    // MARK: Interrupted and killed runs

    /// Scores leads fed through a pipe that stays open, so the run is
    /// caught mid-way with its temporary file open; returns the process
    /// and the pipe (close it to let the run finish).
    private func startScoringFromAPipe(_ ws: RefusalWorkspace) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["score", "--model", "model.json", "-", "-o", "scores.csv", "-q"]
        process.currentDirectoryURL = ws.directory
        let input = Pipe()
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        let leads = try ws.read("new.csv")
        input.fileHandleForWriting.write(Data(leads.utf8))
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !(try FileManager.default.contentsOfDirectory(atPath: ws.directory.path).contains { $0.hasPrefix(".scores.csv.tmp-") }) {
            usleep(10_000)
        }
        return (process, input)
    }

    private func assertInterruptedRunLeavesNothing(_ signalNumber: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
        let ws = try RefusalWorkspace(self)
        let before = ws.snapshot()
        let (process, input) = try startScoringFromAPipe(ws)
        XCTAssertTrue(
            try FileManager.default.contentsOfDirectory(atPath: ws.directory.path).contains { $0.hasPrefix(".scores.csv.tmp-") },
            "the run has its temporary file open", file: file, line: line)
        kill(process.processIdentifier, signalNumber)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, file: file, line: line)
        XCTAssertEqual(process.terminationStatus, signalNumber, "ended by the signal, as the shell reports 128 + \(signalNumber)", file: file, line: line)
        XCTAssertEqual(ws.snapshot(), before, "nothing left behind", file: file, line: line)
    }

    func testInterruptRemovesTheTemporaryFile() throws { try assertInterruptedRunLeavesNothing(SIGINT) }
    func testTerminateRemovesTheTemporaryFile() throws { try assertInterruptedRunLeavesNothing(SIGTERM) }
    func testHangUpRemovesTheTemporaryFile() throws { try assertInterruptedRunLeavesNothing(SIGHUP) }

    /// Training beyond its memory budget streams the design from a cache
    /// file (464 MB at 1M rows) that has no name from the start: a run
    /// stopped while it holds the file open leaves nothing in TMPDIR, and no
    /// model.
    func testInterruptedTrainingLeavesNoCache() throws {
        let ws = try RefusalWorkspace(self)
        let generated = try ws.run(["generate", "--rows", "300000", "--seed", "5", "-o", "big.csv"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let before = ws.snapshot()
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["train", "big.csv", "--config", "config.json", "--memory-budget", "16M", "-o", "big.json", "-q"]
        process.currentDirectoryURL = ws.directory
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": ws.temporary.path]) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the run holds its design cache open (Linux's /proc).
        var cacheOpen = false
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && !cacheOpen && Date() < deadline {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd")) ?? []
            cacheOpen = fds.contains { fd in
                ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process.processIdentifier)/fd/\(fd)")) ?? "").contains("leadscore-design-")
            }
            if !cacheOpen { usleep(5_000) }
        }
        XCTAssertTrue(cacheOpen, "the run holds its design cache open (it streams 300,000 rows from it)")
        // Past the instant between the file's creation and the removal of its name.
        usleep(50_000)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: ws.temporary.path), [], "the open cache has no name")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(process.terminationStatus, SIGTERM)
        XCTAssertEqual(ws.snapshot(), before, "no cache, no model, no temporary file")
    }

    /// kill -9 cannot be caught: the leftover stays until the next run that
    /// writes the same output, which removes it and says so.
    func testLeftoverOfAKilledRunIsRemovedByTheNextRun() throws {
        let ws = try RefusalWorkspace(self)
        let (process, input) = try startScoringFromAPipe(ws)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: ws.directory.path).filter { $0.hasPrefix(".scores.csv.tmp-") }
        guard leftovers.count == 1, leftovers[0].hasPrefix(".scores.csv.tmp-\(process.processIdentifier)-") else {
            return XCTFail("one leftover of the killed run, named with its process id: \(leftovers)")
        }
        // A live run's temporary file (this test's own process id) is kept.
        let live = try ws.write("partial\n", to: ".scores.csv.tmp-\(getpid())-live")
        let r = try ws.run(["score", "--model", "model.json", "new.csv", "-o", "scores.csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("note: removed \(leftovers[0])") && r.stderr.contains("process \(process.processIdentifier)"), r.stderr)
        let now = try FileManager.default.contentsOfDirectory(atPath: ws.directory.path).filter { $0.hasPrefix(".scores.csv.tmp-") }
        XCTAssertEqual(now, [(live as NSString).lastPathComponent])
        XCTAssertEqual(try ws.read("scores.csv").split(separator: "\n").count, 201)
    }

    /// The sweep removes only what is certainly a leftover: not a file a
    /// live writer holds locked (in another PID namespace its process id
    /// looks dead), not a file whose name only looks like one, not another
    /// user's file.
    func testLeftoverSweepKeepsWhatIsNotALeftover() throws {
        let ws = try RefusalWorkspace(self)
        // A process id that no longer exists.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let pid = gone.processIdentifier
        let held = try ws.write("a live writer's rows\n", to: ".scores.csv.tmp-\(pid)-held")
        let lock = open(held, O_RDONLY)
        defer { close(lock) }
        XCTAssertEqual(flock(lock, LOCK_EX), 0)
        try ws.write("notes\n", to: ".scores.csv.tmp-\(pid)-backup.old")
        try ws.write("notes\n", to: ".scores.csv.tmp-+\(pid)-abc")
        try ws.write("notes\n", to: ".scores.csv.tmp-\(pid)-ABC")
        if geteuid() == 0 {
            let other = try ws.write("another user's rows\n", to: ".scores.csv.tmp-\(pid)-other")
            XCTAssertEqual(chown(other, 65534, 65534), 0)
        }
        try ws.write("rows of a killed run\n", to: ".scores.csv.tmp-\(pid)-killed")
        let kept = Set(try FileManager.default.contentsOfDirectory(atPath: ws.directory.path).filter { $0.hasPrefix(".scores") && !$0.hasSuffix("-killed") })
        let r = try ws.run(["score", "--model", "model.json", "new.csv", "-o", "scores.csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("note: removed .scores.csv.tmp-\(pid)-killed (21 bytes)"), r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "note: removed").count - 1, 1, r.stderr)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: ws.directory.path).filter { $0.hasPrefix(".scores") }), kept)
    }
}
