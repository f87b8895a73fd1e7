import Foundation
import XCTest

/// `leadscore diff`: the same model on every CPU, and what a real change
/// looks like.
final class DiffTests: XCTestCase {
    static let config = CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.config.json").path
    static let deals = CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.csv").path
    static let newLeads = CLI.repositoryRoot.appendingPathComponent("datasets/b2b-new-leads.csv").path
    static let committed = CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.json").path

    /// The README's training command (scripts/quickstart.sh).
    static func readmeTraining(output: String) -> [String] {
        ["train", deals, "--config", config, "--validation", newLeads, "--training-date", "2026-11-23", "--output", output, "-q"]
    }

    /// The OpenBLAS kernels this CPU can run, from /proc/cpuinfo: Prescott
    /// (SSE3) on every x86-64, Sandybridge with AVX, Haswell with AVX2 and
    /// FMA, SkylakeX with AVX-512 F, CD, BW, DQ and VL.
    static func kernels() throws -> [String] {
        #if arch(x86_64)
            let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            let line = text.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
            let flags = Set(line.split(separator: " ").map(String.init))
            var kernels = ["Prescott"]
            if flags.contains("avx") { kernels.append("Sandybridge") }
            if flags.isSuperset(of: ["avx2", "fma"]) { kernels.append("Haswell") }
            if flags.isSuperset(of: ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]) { kernels.append("SkylakeX") }
            return kernels
        #else
            throw XCTSkip("OPENBLAS_CORETYPE names x86-64 kernels")
        #endif
    }

    /// The README model trained under every kernel this CPU runs, each in
    /// its own process with OPENBLAS_CORETYPE set, is the committed model
    /// within the default tolerance: what CI checks on any machine. The
    /// kernels round differently (on an AVX-512 machine Prescott,
    /// Sandybridge and SkylakeX each give other bytes than Haswell), so
    /// byte equality would fail there.
    func testTheREADMEModelIsTheSameUnderEveryKernel() throws {
        let kernels = try Self.kernels()
        XCTAssertGreaterThanOrEqual(kernels.count, 2, "an x86-64 CPU with AVX runs at least Prescott and Sandybridge")
        let dir = try CLI.temporaryDirectory(self)
        var models: [String] = []
        var bytes = Set<Data>()
        for kernel in kernels {
            let path = dir.appendingPathComponent("\(kernel).json").path
            let r = try CLI.run(Self.readmeTraining(output: path), environment: ["OPENBLAS_CORETYPE": kernel])
            XCTAssertEqual(r.status, 0, r.stderr)
            let card = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            let blas = try XCTUnwrap((card["training"] as? [String: Any])?["linearAlgebra"] as? [String: Any])
            XCTAssertEqual(blas["kernel"] as? String, kernel, "the card records the kernel the fit ran on")
            XCTAssertEqual(blas["threads"] as? Int, 1)
            models.append(path)
            bytes.insert(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        XCTAssertEqual(bytes.count, kernels.count, "each kernel's card names its kernel, so no two files are equal")
        for path in models {
            let r = try CLI.run(["diff", Self.committed, path])
            XCTAssertEqual(r.status, 0, "\(path):\n\(r.stdout)\(r.stderr)")
            XCTAssertTrue(r.stdout.contains("are the same model"), r.stdout)
            let other = try CLI.run(["diff", models[0], path, "--quiet"])
            XCTAssertEqual(other.status, 0, path)
            XCTAssertEqual(other.stdout, "")
        }
    }

    /// A retrained model with another penalty and holdout: every kind of
    /// change is reported, and the exit status is 1.
    func testARealChangeIsReported() throws {
        let dir = try CLI.temporaryDirectory(self)
        let changed = dir.appendingPathComponent("changed.json").path
        let r = try CLI.run([
            "train", Self.deals, "--config", Self.config, "--holdout", "0.3", "--l2", "2", "--min-category-count", "2000",
            "--training-date", "2026-12-01", "--output", changed, "-q",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try CLI.run(["diff", Self.committed, changed, "--top", "5"])
        XCTAssertEqual(text.status, 1, text.stderr)
        for expected in [
            "differ (tolerance 1.0e-9", "levels pooled into \"(other)\"", "Coefficients (log-odds; per SD for numbers), largest change first, 5 of",
            "L2 penalty (l2): 1 → 2 (+1)", "holdout AUC:", "training date: 2026-11-23 → 2026-12-01",
        ] {
            XCTAssertTrue(text.stdout.contains(expected), "missing \(expected):\n\(text.stdout)")
        }
        let json = try CLI.run(["diff", Self.committed, changed, "--json"])
        XCTAssertEqual(json.status, 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["same"] as? Bool, false)
        XCTAssertFalse(try XCTUnwrap(object["featuresRemoved"] as? [Any]).isEmpty, "pooled levels lose their features")
        let coefficients = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
        let changes = coefficients.map { abs($0["difference"] as! Double) }
        XCTAssertEqual(changes, changes.sorted(by: >), "largest change first")
        for c in coefficients {
            let d = c["difference"] as! Double, factor = c["oddsRatioFactor"] as! Double
            XCTAssertEqual(factor, exp(d), accuracy: 1e-15 * factor)
            // JSONSerialization reads doubles to within an ulp or two.
            XCTAssertEqual(d, (c["new"] as! Double) - (c["old"] as! Double), accuracy: 1e-15)
        }
    }

    /// 0 the same, 1 different, 2 usage errors and files that are not models.
    func testExitStatus() throws {
        let dir = try CLI.temporaryDirectory(self)
        XCTAssertEqual(try CLI.run(["diff", Self.committed, Self.committed]).status, 0)
        let edited = try dir.write(
            try String(contentsOfFile: Self.committed, encoding: .utf8).replacingOccurrences(of: "\"auc\" : 0.8", with: "\"auc\" : 0.7"),
            to: "edited.json")
        // A hand-edited card is refused (2) unless allowed.
        XCTAssertEqual(try CLI.run(["diff", Self.committed, edited]).status, 2)
        let different = try CLI.run(["diff", Self.committed, edited, "--allow-edited-model"])
        XCTAssertEqual(different.status, 1, different.stderr)
        XCTAssertTrue(different.stdout.contains("AUC: 0.8"), different.stdout)
        XCTAssertEqual(try CLI.run(["diff", Self.committed, edited, "--tolerance", "0.2", "--allow-edited-model"]).status, 0, "a loose tolerance")
        let missing = try CLI.run(["diff", Self.committed, dir.appendingPathComponent("none.json").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("none.json"), missing.stderr)
        let notModel = try CLI.run(["diff", Self.committed, Self.config])
        XCTAssertEqual(notModel.status, 2)
        XCTAssertTrue(notModel.stderr.contains("not a LeadScore model file"), notModel.stderr)
        XCTAssertEqual(try CLI.run(["diff", Self.committed]).status, 2)
        XCTAssertEqual(try CLI.run(["diff", Self.committed, Self.committed, "--tolerance", "-1"]).status, 2)
    }
}
