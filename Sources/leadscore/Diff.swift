import ArgumentParser
import Foundation
import LeadScore

extension LeadScoreCommand {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two model cards: what changed in the schema, the encoders, the features, the coefficients and the metrics.",
            discussion: """
                Use it when you retrain ("what changed since last quarter's model?") and to check \
                that a model was reproduced. Numbers a and b count as the same when |a − b| ≤ \
                tolerance × max(|a|, |b|, 1): relative, and absolute below 1, so coefficients near \
                zero are judged on the log-odds scale. Counts, names and levels must match exactly. \
                The training date, file names, BLAS kernel and the solver's iteration count and \
                final gradient norm are shown but never make models differ. Cards trained with \
                --segment are also compared segment by segment: λ and how it was chosen, segments \
                added or removed, a segment's own model or the global one, and each segment \
                model's coefficients under the same rule.

                The same data and options give a byte-identical model on one machine, whatever the \
                number of cores. On another CPU, OpenBLAS picks another kernel, which rounds the last \
                bits differently: the models then agree within about 1e-15, well inside the default \
                tolerance.

                Exit status: 0 the same, 1 different, 2 a usage error or a file that cannot be read \
                as a model.

                Examples:
                  leadscore diff models/last-quarter.json models/deals.json
                  leadscore diff old.json new.json --tolerance 1e-6 --top 10
                  leadscore diff old.json new.json --json > changes.json
                """)

        @Argument(help: ArgumentHelp("The earlier model card.", valueName: "old.json"))
        var old: String

        @Argument(help: ArgumentHelp("The later model card.", valueName: "new.json"))
        var new: String

        @Option(parsing: .unconditional, help: ArgumentHelp("Numbers within this scaled difference are the same.", valueName: "tolerance"))
        var tolerance: Double = ModelDiff.defaultTolerance

        @Option(parsing: .unconditional, help: ArgumentHelp("Show only the n largest coefficient changes (and segment coefficient changes).", valueName: "n"))
        var top: Int?

        @Flag(help: "Print the comparison as JSON (every change, including each decile's) instead of text.")
        var json = false

        @Flag(name: .shortAndLong, help: "Print nothing; only the exit status tells.")
        var quiet = false

        @OptionGroup var integrity: ModelIntegrityFlags

        func validate() throws {
            if !(tolerance >= 0 && tolerance.isFinite) { throw ValidationError("--tolerance must be a number ≥ 0 (got \(tolerance)).") }
            if let top, top < 1 { throw ValidationError("--top must be at least 1.") }
            if json && quiet { throw ValidationError("--json and --quiet do not go together.") }
        }

        func run() throws {
            let a: ModelCard, b: ModelCard
            do {
                // The checksums are not compared: a retrained model has its own.
                a = try integrity.load(old)
                b = try integrity.load(new)
            } catch {
                // Status 1 means "different": a file that is not a model is trouble (2), as for diff(1).
                Terminal.note("error: \(error)")
                throw ExitCode(2)
            }
            let diff = ModelDiff(old: a, new: b, oldName: old, newName: new, tolerance: tolerance)
            if json {
                do { FileHandle.standardOutput.write(try diff.jsonData()) } catch {
                    Terminal.note("error: \(error)")
                    throw ExitCode(2)
                }
            } else if !quiet {
                print(ModelDiffReport.render(diff, top: top))
            }
            if !diff.same { throw ExitCode(1) }
        }
    }
}
