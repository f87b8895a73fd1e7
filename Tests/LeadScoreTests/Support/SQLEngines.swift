import Foundation
import XCTest

/// The real SQL engines the exported SQL is checked in: Debian's `sqlite3`
/// shell, DuckDB's Python package, and a PostgreSQL server on the local
/// socket in `$LEADSCORE_PGHOST` (which `.ci/run` starts). A test skips an
/// engine that is not there and says so, unless `LEADSCORE_REQUIRE_ENGINES`
/// is set (CI), where a missing engine fails.
enum SQLEngine: String, CaseIterable {
    case sqlite, duckdb, postgres

    /// Rows an engine returned: the header and each row's values as text
    /// (nil for NULL).
    struct Result {
        var header: [String]
        var rows: [[String?]]

        /// The rows by the value of `column`.
        func byKey(_ column: String) throws -> [String: [String: String?]] {
            let k = try XCTUnwrap(header.firstIndex(of: column), "no column \(column) in \(header)")
            var out: [String: [String: String?]] = [:]
            for row in rows {
                let key = try XCTUnwrap(row[k])
                out[key] = Dictionary(uniqueKeysWithValues: zip(header, row))
            }
            return out
        }
    }

    /// Why the engine cannot be used here, or nil when it can.
    var unavailable: String? {
        switch self {
        case .sqlite:
            return SQLEngine.which("sqlite3") == nil ? "the sqlite3 shell is not installed (apt-get install sqlite3)" : nil
        case .duckdb:
            let probe = try? SQLEngine.execute("/usr/bin/env", ["python3", "-c", "import duckdb"])
            return probe?.status == 0 ? nil : "DuckDB's Python package is not installed (pip install duckdb)"
        case .postgres:
            guard let host = ProcessInfo.processInfo.environment["LEADSCORE_PGHOST"], !host.isEmpty else {
                return "no PostgreSQL server: set LEADSCORE_PGHOST to its socket directory (.ci/run starts one)"
            }
            guard SQLEngine.which("psql") != nil else { return "psql is not installed (apt-get install postgresql-client)" }
            let probe = try? SQLEngine.execute("/usr/bin/env", ["psql", "-h", host, "-U", "postgres", "-Atc", "select 1"])
            return probe?.status == 0 ? nil : "the PostgreSQL server at \(host) does not answer"
        }
    }

    /// Skips the test for an engine that is not there (fails in CI).
    func require(file: StaticString = #filePath, line: UInt = #line) throws {
        guard let why = unavailable else { return }
        if ProcessInfo.processInfo.environment["LEADSCORE_REQUIRE_ENGINES"] != nil {
            XCTFail("\(rawValue): \(why)", file: file, line: line)
        }
        throw XCTSkip("\(rawValue): \(why)")
    }

    /// Loads `csv` as table `table` (every column text in SQLite, as its
    /// `.import` makes them; the types `read_csv` infers in DuckDB; text in
    /// PostgreSQL, or the types given in `postgresTypes` by column) and
    /// runs `query` over it.
    /// With `select`, `query` is a statement run first (`CREATE VIEW`), and
    /// `select` the query whose rows are returned.
    func run(_ query: String, csv: String, table: String, postgresTypes: [String: String] = [:], select: String? = nil) throws -> Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let statement = select == nil ? "" : query
        let body = (select ?? query).trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: ";"))
        let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        switch self {
        case .sqlite:
            let script = dir.appendingPathComponent("script.sql")
            // .import into a plain name (the shell parses its arguments
            // its own way), then renamed by SQL.
            try ".import --csv \(csv) staging\nALTER TABLE staging RENAME TO \(quoted);\n\(statement)\n.mode json\n\(body);\n"
                .write(to: script, atomically: true, encoding: .utf8)
            let out = try SQLEngine.execute("/usr/bin/env", ["sqlite3", dir.appendingPathComponent("db.sqlite").path, ".read \(script.path)"])
            try out.check("sqlite3")
            return try SQLEngine.parseObjects(out.stdout)
        case .duckdb:
            let program = """
                import duckdb, json, sys
                con = duckdb.connect()
                con.execute('CREATE TABLE ' + sys.argv[2] + ' AS SELECT * FROM read_csv(?)', [sys.argv[1]])
                if sys.argv[4]:
                    con.execute(open(sys.argv[4]).read())
                cur = con.execute(open(sys.argv[3]).read())
                header = [d[0] for d in cur.description]
                rows = [[None if v is None else (repr(v) if isinstance(v, float) else str(v)) for v in r] for r in cur.fetchall()]
                print(json.dumps({'header': header, 'rows': rows}))
                """
            let file = dir.appendingPathComponent("query.sql"), first = dir.appendingPathComponent("statement.sql")
            try body.write(to: file, atomically: true, encoding: .utf8)
            try statement.write(to: first, atomically: true, encoding: .utf8)
            let out = try SQLEngine.execute("/usr/bin/env", ["python3", "-c", program, csv, quoted, file.path, statement.isEmpty ? "" : first.path])
            try out.check("duckdb")
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
            let header = try XCTUnwrap(object["header"] as? [String])
            let rows = try XCTUnwrap(object["rows"] as? [[Any]]).map { $0.map { $0 as? String } }
            return Result(header: header, rows: rows)
        case .postgres:
            let host = ProcessInfo.processInfo.environment["LEADSCORE_PGHOST"] ?? ""
            // A column without a name (Leads.csv ends every line with a
            // comma) is named as DuckDB names it: PostgreSQL has no empty
            // identifier.
            let header = try Self.csvHeader(csv).enumerated().map { $1.isEmpty ? "column\($0)" : $1 }
            let columns = header.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\" \(postgresTypes[$0] ?? "text")" }
            let script = dir.appendingPathComponent("script.sql")
            let text = """
                DROP TABLE IF EXISTS \(quoted);
                CREATE TABLE \(quoted) (\(columns.joined(separator: ", ")));
                \\copy \(quoted) FROM '\(csv)' WITH (FORMAT csv, HEADER true)
                \(statement)
                SELECT json_agg(to_json(t)) FROM (
                \(body)
                ) AS t;
                DROP TABLE \(quoted) CASCADE;

                """
            try text.write(to: script, atomically: true, encoding: .utf8)
            let out = try SQLEngine.execute(
                "/usr/bin/env", ["psql", "-h", host, "-U", "postgres", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-f", script.path])
            try out.check("psql")
            let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8), options: [.fragmentsAllowed]) as? [[String: Any]])
            // json_agg keeps the query's column order in each object; the
            // header is read from the query's own first row.
            return try Self.parseOrdered(rows, firstObject: out.stdout)
        }
    }

    // MARK: - Support

    static func which(_ program: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String

        func check(_ what: String) throws {
            guard status == 0, !stderr.contains("Error"), !stderr.contains("ERROR") else {
                throw NSError(domain: "SQLEngine", code: Int(status), userInfo: [NSLocalizedDescriptionKey: "\(what) failed (\(status)): \(stderr)"])
            }
        }
    }

    static func execute(_ executable: String, _ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // Standard error to a file, standard output read while the process
        // runs: neither can fill up and stall it.
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = (try? Data(contentsOf: errors)) ?? Data()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The header of a CSV file (RFC 4180 quoting).
    static func csvHeader(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var fields: [String] = [], field = "", quoted = false
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if quoted {
                if c == "\"" {
                    let next = text.index(after: i)
                    if next < text.endIndex && text[next] == "\"" {
                        field.append("\"")
                        i = next
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                break
            } else {
                field.append(c)
            }
            i = text.index(after: i)
        }
        fields.append(field)
        return fields
    }

    /// Rows of JSON objects whose keys are in the query's column order
    /// (SQLite's `.mode json`): the order is read from the text itself.
    static func parseObjects(_ text: String) throws -> Result {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return Result(header: [], rows: []) }
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [[String: Any]])
        return try parseOrdered(rows, firstObject: trimmed)
    }

    static func parseOrdered(_ rows: [[String: Any]], firstObject text: String) throws -> Result {
        guard let first = rows.first else { return Result(header: [], rows: []) }
        // The keys of the first object, in the order they appear in the text.
        let keys = first.keys.map { key in (key, text.range(of: (try? String(decoding: JSONSerialization.data(withJSONObject: [key]), as: UTF8.self).dropFirst().dropLast()).map(String.init) ?? key)?.lowerBound ?? text.endIndex) }
        let header = keys.sorted { $0.1 < $1.1 }.map(\.0)
        let values = rows.map { row in
            header.map { key -> String? in
                switch row[key] {
                case nil, is NSNull: return nil
                case let n as NSNumber: return n.stringValue
                case let s as String: return s
                case let other?: return "\(other)"
                }
            }
        }
        return Result(header: header, rows: values)
    }
}
