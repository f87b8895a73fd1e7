// swift-tools-version:6.0
import PackageDescription

// A separate package (not built by the main one): measures LeadScore's CSV
// reader against the two CSV libraries the project could use instead.
// Run it with `bash benchmarks/csv-readers/run.sh` from the repository root.
let package = Package(
    name: "csv-readers-benchmark",
    dependencies: [
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // LeadScore's CSV sources, by symlink (so the benchmark does not
        // depend on the whole LeadScore package compiling).
        .target(name: "LeadScoreCSV", path: "Sources/LeadScoreCSV"),
        .executableTarget(
            name: "csv-bench",
            dependencies: [
                "LeadScoreCSV",
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "CSV", package: "CSV.swift"),
            ]),
    ]
)
