// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "LeadScore",
    products: [
        .library(name: "LeadScore", targets: ["LeadScore"]),
        .executable(name: "leadscore", targets: ["leadscore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C interop: only Sources/LeadScore/LinearAlgebra imports these two
        // modules. Underscored: internal shims with no stable API (see their
        // READMEs).
        .systemLibrary(
            name: "_CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "_CLAPACKE", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev"])]),
        .target(
            name: "LeadScore",
            dependencies: [
                "_CBLAS", "_CLAPACKE",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .executableTarget(
            name: "leadscore",
            dependencies: [
                "LeadScore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "LeadScoreTests",
            dependencies: ["LeadScore"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "LeadScoreCLITests",
            dependencies: ["leadscore"]),
    ]
)
