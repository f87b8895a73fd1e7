import XCTest

@testable import LeadScore

final class BLASProvenanceTests: XCTestCase {
    func testThisProcessReportsOpenBLAS() {
        let blas = BLASProvenance.current
        XCTAssertEqual(blas.library, "OpenBLAS")
        XCTAssertNotNil(blas.version.range(of: #"^\d+\.\d+\.\d+"#, options: .regularExpression), blas.version)
        XCTAssertFalse(blas.kernel.isEmpty)
        XCTAssertTrue(blas.configuration.contains(blas.kernel), blas.configuration)
        XCTAssertGreaterThanOrEqual(blas.threads, 1)
        XCTAssertEqual(ModelCard.LinearAlgebra(blas).threads, 1, "the card records the fit's BLAS threads, not the machine's")
    }

    func testCPUFeaturesFromCpuinfo() {
        let avx512 = "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma avx512f avx512cd avx512bw avx512dq avx512vl\nflags\t: ignored"
        XCTAssertEqual(CPUFeatures(cpuinfo: avx512), CPUFeatures(avx2: true, avx512: true))
        XCTAssertEqual(CPUFeatures(cpuinfo: "flags : avx avx2 fma avx512f avx512cd avx512dq avx512vl"), CPUFeatures(avx2: true, avx512: false), "no avx512bw")
        XCTAssertEqual(CPUFeatures(cpuinfo: "flags : avx avx2"), CPUFeatures(avx2: false, avx512: false), "AVX2 without FMA")
        XCTAssertEqual(CPUFeatures(cpuinfo: ""), CPUFeatures(avx2: false, avx512: false))
    }

    /// The note for a generic kernel on a CPU that can do better, and only then.
    func testFallbackNote() throws {
        var blas = BLASProvenance(library: "OpenBLAS", version: "0.3.21", kernel: "Prescott", threads: 2, configuration: "")
        let avx512 = CPUFeatures(avx2: true, avx512: true), avx2 = CPUFeatures(avx2: true, avx512: false)
        let note = try XCTUnwrap(blas.fallbackNote(cpu: avx512, forced: false))
        XCTAssertTrue(note.contains("OPENBLAS_CORETYPE=SkylakeX"), note)
        XCTAssertTrue(note.contains("AVX-512"), note)
        XCTAssertTrue(try XCTUnwrap(blas.fallbackNote(cpu: avx2, forced: false)).contains("OPENBLAS_CORETYPE=Haswell"))
        XCTAssertNil(blas.fallbackNote(cpu: avx512, forced: true), "a kernel the user chose")
        XCTAssertNil(blas.fallbackNote(cpu: CPUFeatures(avx2: false, avx512: false), forced: false), "the best this CPU runs")
        blas.kernel = "Sandybridge"
        XCTAssertNotNil(blas.fallbackNote(cpu: avx2, forced: false), "AVX without AVX2")
        for kernel in ["Haswell", "Zen", "SkylakeX", "Cooperlake"] {
            blas.kernel = kernel
            XCTAssertNil(blas.fallbackNote(cpu: avx512, forced: false), kernel)
        }
    }
}
