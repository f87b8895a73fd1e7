import Foundation
import XCTest

/// Runs the built `leadscore` executable, as a user would.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    /// The directory holding the test bundle, which also holds `leadscore`.
    static var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    static var executable: URL { productsDirectory.appendingPathComponent("leadscore") }

    /// Runs `leadscore` with `arguments`; `environment` is added to this
    /// process's environment; `input`, if given, is the file read as its
    /// standard input.
    @discardableResult
    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], input: String? = nil, executable: URL = CLI.executable
    ) throws -> CLIResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        if let input { process.standardInput = FileHandle(forReadingAtPath: input) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a large output cannot fill the pipe and block.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory, removed at the end of the test.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// ../shared/datasets/leads-x-education/Leads.csv beside the repository, when present.
    static var leadsCSV: String? {
        let path = repositoryRoot.appendingPathComponent("../shared/datasets/leads-x-education/Leads.csv").standardized.path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}

extension URL {
    func write(_ text: String, to name: String) throws -> String {
        let url = appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
