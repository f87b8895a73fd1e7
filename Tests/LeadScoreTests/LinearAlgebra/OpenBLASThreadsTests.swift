import Foundation
import XCTest
import _CBLAS

@testable import LeadScore

/// The tool's first step (OpenBLASThreads.stop): OpenBLAS on its caller's
/// thread, its worker threads stopped, and the fit unchanged.
final class OpenBLASThreadsTests: XCTestCase {
    func testStoppingTheWorkersLeavesTheFitAsItWas() throws {
        let before = BLAS.threads
        // The rest of the test process keeps OpenBLAS as it found it (it
        // starts its workers again when a call asks for them).
        defer { openblas_set_num_threads(Int32(before)) }
        let (x, y, _) = DesignCacheTests.design()
        let fitBefore = try LogisticRegression.fit(design: x, labels: y, options: SolverOptions(l2: 1))

        OpenBLASThreads.stop()
        XCTAssertEqual(BLAS.threads, 1)
        // OpenBLAS's flag for a running thread pool (pthreads build; 0
        // after blas_thread_shutdown_).
        let pool = try XCTUnwrap(dlsym(nil, "blas_server_avail"), "this test expects OpenBLAS's pthreads build")
        XCTAssertEqual(pool.load(as: Int32.self), 0, "the worker threads are stopped")

        let fitAfter = try LogisticRegression.fit(design: x, labels: y, options: SolverOptions(l2: 1))
        XCTAssertEqual(fitAfter.coefficients, fitBefore.coefficients)
        XCTAssertEqual(fitAfter.intercept, fitBefore.intercept)
        XCTAssertEqual(fitAfter.covariance, fitBefore.covariance)
    }
}
