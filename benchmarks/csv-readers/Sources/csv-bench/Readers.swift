import Foundation

/// The result of reading a file once: rows and the sum of field byte lengths.
struct Pass: Equatable {
    var rows = 0
    var fieldBytes = 0
}

/// A reader under test: a name, whether it streams from disk, and one pass.
struct ReaderUnderTest: Sendable {
    var name: String
    var streams: String
    var pass: @Sendable (String) throws -> Pass
}

let readers: [ReaderUnderTest] = [
    ReaderUnderTest(name: "leadscore", streams: "yes (1 MiB buffer)", pass: leadScoreStrings),
    ReaderUnderTest(name: "leadscore-bytes", streams: "yes (1 MiB buffer)", pass: leadScoreBytes),
    ReaderUnderTest(name: "swiftcsv", streams: "no (whole file as String + all rows)", pass: swiftCSVRows),
    ReaderUnderTest(name: "swiftcsv-enumerate", streams: "no (whole file as String)", pass: swiftCSVEnumerate),
    ReaderUnderTest(name: "yaslab", streams: "yes (InputStream)", pass: yaslabRows),
]

/// Peak resident set size of this process in MiB (VmHWM).
func peakRSSMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kib = line.split(separator: " ").compactMap { Double($0) }.first ?? .nan
        return kib / 1024
    }
    return .nan
}

func run(reader name: String, path: String, repetitions: Int) {
    guard let reader = readers.first(where: { $0.name == name }) else {
        FileHandle.standardError.write(Data("unknown reader \(name); one of \(readers.map(\.name))\n".utf8))
        exit(2)
    }
    var times: [Double] = []
    var result = Pass()
    for _ in 0..<max(1, repetitions) {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            result = try reader.pass(path)
        } catch {
            FileHandle.standardError.write(Data("\(name) failed: \(error)\n".utf8))
            exit(1)
        }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    times.sort()
    let median = times[times.count / 2]
    // name, median seconds, rows, field bytes, peak RSS MiB, streams, all times
    print([name, String(median), String(result.rows), String(result.fieldBytes), String(format: "%.1f", peakRSSMiB()),
           reader.streams, times.map { String(format: "%.3f", $0) }.joined(separator: " ")].joined(separator: "\t"))
}

func report(_ path: String) {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { exit(1) }
    let lines = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        .filter { $0.count >= 7 }
    guard let base = lines.first(where: { $0[0] == "leadscore" }), let baseTime = Double(base[1]) else { exit(1) }
    print("| reader | median s | rows/s | peak RSS MiB | time vs leadscore | streams | same result |")
    print("|---|---:|---:|---:|---:|---|---|")
    for l in lines {
        let t = Double(l[1]) ?? .nan, rows = Double(l[2]) ?? .nan
        let same = l[2] == base[2] && l[3] == base[3] ? "yes" : "no (\(l[2]) rows, \(l[3]) bytes)"
        print("| \(l[0]) | \(String(format: "%.3f", t)) | \(String(format: "%.0f", rows / t)) | \(l[4]) | \(String(format: "%.1f×", t / baseTime)) | \(l[5]) | \(same) |")
    }
}
