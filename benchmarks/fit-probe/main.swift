// The fit probe: times LeadScore's own solver, LogisticRegression.fit (the
// library's public API), on a design read from disk, so that the "fit" row
// of the benchmark compares solvers on exactly the same n×p matrix.
//
// Usage: fit-probe DESIGN.f64 LABELS.f64 ROWS COLUMNS [REPS] [L2]
//   DESIGN.f64: ROWS×COLUMNS doubles, row-major (peer.py design writes it);
//   LABELS.f64: ROWS doubles, 0/1.
// Prints one JSON object: the wall time of each repetition (seconds), the
// Newton iterations, the coefficients and the intercept.
//
// run.sh builds it as its own package (benchmarks/work/fit-probe/) with a
// path dependency on the LeadScore checkout being measured.
import Foundation
import LeadScore

func readDoubles(_ path: String, count: Int) -> [Double] {
    guard let f = fopen(path, "rb") else { fatalError("fit-probe: cannot open \(path)") }
    defer { fclose(f) }
    return [Double](unsafeUninitializedCapacity: count) { buf, initialized in
        let got = fread(buf.baseAddress!, MemoryLayout<Double>.size, count, f)
        guard got == count else { fatalError("fit-probe: \(path) has \(got) doubles, expected \(count)") }
        initialized = count
    }
}

// As the `leadscore` tool does first thing: OpenBLAS on the caller's
// thread, its idle workers stopped (they would spin through the first
// 0.1 s of the process, its first fits: OpenBLASThreads.stop).
OpenBLASThreads.stop()

let args = CommandLine.arguments
guard args.count >= 5, let rows = Int(args[3]), let columns = Int(args[4]) else {
    FileHandle.standardError.write("usage: fit-probe DESIGN.f64 LABELS.f64 ROWS COLUMNS [REPS] [L2]\n".data(using: .utf8)!)
    exit(2)
}
let reps = args.count > 5 ? Int(args[5]) ?? 3 : 3
let l2 = args.count > 6 ? Double(args[6]) ?? 1 : 1
let x = DenseMatrix(rows: rows, columns: columns, values: readDoubles(args[1], count: rows * columns))
let y = readDoubles(args[2], count: rows)

var seconds: [Double] = []
var last: LogisticFit? = nil
for _ in 0..<reps {
    let t0 = DispatchTime.now().uptimeNanoseconds
    do {
        last = try LogisticRegression.fit(design: x, labels: y, options: SolverOptions(l2: l2))
    } catch {
        FileHandle.standardError.write("fit-probe: \(error)\n".data(using: .utf8)!)
        exit(1)
    }
    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
}
let fit = last!
let out: [String: Any] = [
    "rows": rows, "columns": columns, "seconds": seconds, "iterations": fit.iterations,
    "converged": fit.converged, "gradientNorm": fit.gradientNorm,
    "coefficients": fit.coefficients, "intercept": fit.intercept,
]
let data = try! JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
print(String(data: data, encoding: .utf8)!)
