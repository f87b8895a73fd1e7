// Which BLAS this process runs on: the library, its version, the kernel it
// chose for this CPU and its thread count. It matters for two reasons.
//
// 1. Reproduction. OpenBLAS picks a kernel per CPU at start-up
//    (DYNAMIC_ARCH), and kernels add in different orders, so the same fit
//    rounds differently in the last bits on different CPUs. A model card
//    records the kernel it was fitted with, and `leadscore diff` compares
//    models within a tolerance instead of by bytes.
// 2. Speed. OpenBLAS 0.3.21 (Debian 12) does not know recent CPUs and then
//    falls back to a kernel without AVX2 (on a recent Intel Xeon, its
//    generic Prescott kernel), although the CPU has AVX2 or AVX-512.
//    Setting OPENBLAS_CORETYPE to the kernel the CPU can run is then faster
//    (1M rows trained in 2.79 s with SkylakeX against 3.22 s with Prescott
//    on such a machine). `fallbackNote` says so.

import _CBLAS
import Foundation

/// The BLAS library of this process, as OpenBLAS reports it.
public struct BLASProvenance: Sendable, Equatable {
    /// "OpenBLAS".
    public var library: String
    /// "0.3.21"; empty when the library does not say.
    public var version: String
    /// The kernel (OpenBLAS's core name) chosen for this CPU, or forced
    /// with OPENBLAS_CORETYPE: "Haswell", "SkylakeX", "Prescott", ….
    public var kernel: String
    /// The threads OpenBLAS itself would use for one call (the process's
    /// CPU affinity, or OPENBLAS_NUM_THREADS). The fit does not use them:
    /// see `fitThreads`.
    public var threads: Int
    /// OpenBLAS's build line, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH
    /// NO_AFFINITY Haswell MAX_THREADS=64".
    public var configuration: String

    /// The BLAS threads of each call the solver makes: it runs OpenBLAS on
    /// one thread and splits each block of rows into fixed halves of its
    /// own (`BLAS.withOneThread`), so that the model does not depend on the
    /// number of cores.
    public static let fitThreads = 1

    /// This process's BLAS.
    public static var current: BLASProvenance {
        let configuration = openblas_get_config().map { String(cString: $0) } ?? ""
        let words = configuration.split(separator: " ").map(String.init)
        let kernel = openblas_get_corename().map { String(cString: $0) } ?? ""
        return BLASProvenance(
            library: "OpenBLAS", version: words.count > 1 && words[0] == "OpenBLAS" ? words[1] : "",
            kernel: kernel, threads: Int(openblas_get_num_threads()), configuration: configuration)
    }

    /// "OpenBLAS 0.3.21, Haswell kernel, 2 threads".
    public var description: String {
        "\(library)\(version.isEmpty ? "" : " " + version), \(kernel.isEmpty ? "unknown" : kernel) kernel, \(threads) thread\(threads == 1 ? "" : "s")"
    }

    /// OpenBLAS's x86-64 kernels that use AVX2 (and FMA): the others are
    /// SSE or AVX only.
    static let avx2Kernels: Set<String> = ["haswell", "zen", "excavator", "skylakex", "cooperlake", "sapphirerapids"]

    /// When OpenBLAS chose a kernel without AVX2 on a CPU that has AVX2 or
    /// AVX-512, one sentence saying so and what to do; nil otherwise (and
    /// on CPUs other than x86-64, and when the CPU's features cannot be
    /// read).
    /// A kernel forced with OPENBLAS_CORETYPE (`forced`) is the user's
    /// choice and gets no note.
    public func fallbackNote(cpu: CPUFeatures = .current, forced: Bool = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] != nil) -> String? {
        guard !forced, !kernel.isEmpty, !BLASProvenance.avx2Kernels.contains(kernel.lowercased()), cpu.avx2 else { return nil }
        let better = cpu.avx512 ? "SkylakeX" : "Haswell"
        return "\(library) \(version) does not recognise this CPU and uses its \(kernel) kernel, without AVX2, although the CPU has \(cpu.avx512 ? "AVX-512" : "AVX2"): training is faster with OPENBLAS_CORETYPE=\(better) set in the environment (or a newer OpenBLAS). The model is the same within the tolerance of `leadscore diff`."
    }
}

/// The vector instructions of this CPU that decide which OpenBLAS kernel
/// it can run, from the `flags` line of /proc/cpuinfo (Linux, x86-64).
public struct CPUFeatures: Sendable, Equatable {
    /// AVX2 and FMA: OpenBLAS's Haswell kernel.
    public var avx2: Bool
    /// AVX-512 F, CD, BW, DQ and VL: its SkylakeX kernel.
    public var avx512: Bool

    public init(avx2: Bool, avx512: Bool) {
        self.avx2 = avx2
        self.avx512 = avx512
    }

    /// Reads the first `flags` line of `text` (the format of /proc/cpuinfo).
    public init(cpuinfo text: String) {
        let line = text.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        let flags = Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
        avx2 = flags.isSuperset(of: ["avx2", "fma"])
        avx512 = avx2 && flags.isSuperset(of: ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"])
    }

    /// This machine's; no features when /proc/cpuinfo cannot be read.
    public static var current: CPUFeatures {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return CPUFeatures(avx2: false, avx512: false) }
        return CPUFeatures(cpuinfo: text)
    }
}
