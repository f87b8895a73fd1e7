import ArgumentParser
import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import LeadScore

/// `leadscore`: learn lead scores from closed deals, inspect and evaluate
/// the model, and batch-score new leads.
///
/// Exit codes: 0 success, 1 a runtime failure (bad input, unreadable file,
/// a model that cannot be fitted), 2 a usage error (unknown option, bad
/// option value); `diff` 1 when the models differ, `drift --fail-on` 3 when
/// the leads have drifted.
@main
struct LeadScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadscore",
        abstract: "Learn lead scores from your closed deals, and score new leads with them.",
        discussion: """
            Typical session on the bundled sample:
              leadscore train datasets/b2b-deals.csv --config datasets/b2b-deals.config.json --output models/b2b-deals.json
              leadscore inspect models/b2b-deals.json
              leadscore evaluate --model models/b2b-deals.json datasets/b2b-deals.csv
              leadscore score --model models/b2b-deals.json datasets/b2b-deals.csv --output scores.csv

            Exit status: 0 on success, 1 when the input or the model is at fault, 2 for a usage error \
            (diff: 1 when the models differ; drift --fail-on: 3 when the leads have drifted).
            """,
        version: LeadScoreCommand.versionText,
        subcommands: [
            Train.self, Score.self, Evaluate.self, Thresholds.self, Drift.self, Review.self, Recalibrate.self, Inspect.self, Diff.self, Export.self,
            Generate.self,
        ])

    static let version = "0.1.0"

    /// `--version`: the tool's version, then the BLAS it runs on (the model
    /// card records the kernel too), and a note when OpenBLAS fell back to
    /// a kernel slower than the CPU allows.
    static var versionText: String {
        let blas = BLASProvenance.current
        var text = "leadscore \(version)\n\(blas.description) (\(blas.configuration))"
        if let note = blas.fallbackNote() { text += "\nnote: " + note }
        return text
    }

    /// One malloc arena for all threads, for training. A worker thread's
    /// own arena is memory new to the process, first touched again for
    /// what the main arena could have given back; on a machine where a new
    /// page is dear that showed (10M training, three pairs by hand: encode
    /// 2.16, 2.08, 1.85 s against 2.51, 2.26, 2.20 s; 100k: 7,700 page
    /// faults against 10,900). Training's parallel loops allocate their
    /// buffers before they start, so the one arena's lock is not fought
    /// over. (Scoring, whose threads build their output as they go, keeps
    /// glibc's default.)
    static func useOneMallocArena() {
        #if canImport(Glibc)
            // glibc's `mallopt(M_ARENA_MAX, 1)` (malloc.h, which Swift's
            // Glibc module does not include; M_ARENA_MAX is -8).
            if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
                typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
                _ = unsafeBitCast(symbol, to: Mallopt.self)(-8, 1)
            }
        #endif
    }

    static func main() {
        // LeadScore's parallel work is its own; OpenBLAS's idle threads
        // would take a core from the first 0.1 s (OpenBLASThreads.stop).
        OpenBLASThreads.stop()
        // A standard descriptor closed by the caller (`2>&-`) would be
        // taken by the next file opened, a temporary output or a cache,
        // and messages would land in it: each is opened on /dev/null.
        for fd in Int32(0)...2 where fcntl(fd, F_GETFD) == -1 {
            _ = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
        }
        // Ctrl-C, SIGTERM and SIGHUP remove the run's temporary files; the
        // leftovers of a killed run are removed by the next run that writes
        // the same output, and the user is told.
        TemporaryFiles.removeOnSignals()
        TemporaryFiles.leftoverRemoved = { path, bytes, process in
            Terminal.note("note: removed \(path) (\(MemorySize(bytes: bytes))), the temporary file of an earlier run (process \(process)) that was killed before it finished.")
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            FileHandle.standardError.write(Data("error: \(CommandLineText.render(error.description))\n".utf8))
            Foundation.exit(1)
        } catch let code as ExitCode {
            // A command's own status (diff: 1 when the models differ).
            Foundation.exit(code.rawValue)
        } catch {
            switch exitCode(for: error) {
            case .success:
                // --help and --version.
                exit(withError: error)
            case .validationFailure:
                // Unknown options, bad values, failed validation.
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            default:
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                Foundation.exit(1)
            }
        }
    }
}
