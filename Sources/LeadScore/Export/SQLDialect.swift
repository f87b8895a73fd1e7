import Foundation

/// The SQL engines a model is exported for (`SQLExport`), and the few
/// places where their SQL differs. Everything else the export writes is
/// SQL that all of them read: `CASE`, `CAST`, `||`, `COALESCE`, `NULLIF`,
/// `EXP`, `LN`, `FLOOR`, `ABS`, `LOWER`, `SUBSTR`, `LENGTH`, `WITH`.
///
/// - `duckdb`: DuckDB (its `read_csv` types columns; every value is read
///   through its text, `CAST(… AS VARCHAR)`).
/// - `sqlite`: SQLite 3.35 or later with the math functions, and a
///   `REGEXP` function: the `sqlite3` shell has both (Debian's, and the
///   one sqlite.org ships); a program that opens the database itself
///   registers `REGEXP` (Python: `connection.create_function`).
/// - `postgres`: PostgreSQL 12 or later, text or typed columns.
/// - `ansi`: other engines (Trino, Spark SQL, Snowflake, BigQuery with
///   `REGEXP_CONTAINS` renamed): standard SQL with `REGEXP_LIKE` for the
///   one pattern test; `TRIM` there removes spaces only, not tabs.
public enum SQLDialect: String, CaseIterable, Sendable {
    case duckdb, sqlite, postgres, ansi

    /// The engine's type of text.
    var textType: String {
        switch self {
        case .duckdb, .ansi: "VARCHAR"
        case .sqlite, .postgres: "TEXT"
        }
    }

    /// `expression` as text, whatever the column's type.
    func text(_ expression: String) -> String { "CAST(\(expression) AS \(textType))" }

    /// A NULL of the text type, for a column that is always NULL.
    var nullText: String { "CAST(NULL AS \(textType))" }

    /// The keyword that makes a step of a query computed once. SQLite and
    /// PostgreSQL would otherwise put a step's expressions in place of
    /// every reference to its columns, and the expressions of the later
    /// steps refer to those of the earlier ones several times (a
    /// probability is used three times to round it), so the query would
    /// grow with the product. DuckDB keeps common expressions apart by
    /// itself; `ansi` engines are left to their own planner.
    var materialized: String {
        switch self {
        case .sqlite, .postgres: "MATERIALIZED "
        case .duckdb, .ansi: ""
        }
    }

    /// The `name`s whose `test` holds, each followed by "; ", or NULL when
    /// none does: a row's `unreadable_columns`.
    func names(where flags: [(test: String, name: String)]) -> String {
        guard !flags.isEmpty else { return nullText }
        return "NULLIF(" + flags.map { "CASE WHEN \($0.test) THEN \(SQLText.literal($0.name + "; ")) ELSE '' END" }.joined(separator: " || ") + ", '')"
    }

    /// `text` without leading and trailing spaces and tabs (`ValueParser.trim`).
    func trim(_ text: String) -> String {
        switch self {
        case .duckdb: "TRIM(\(text), ' ' || CHR(9))"
        case .sqlite: "TRIM(\(text), ' ' || CHAR(9))"
        case .postgres: "BTRIM(\(text), ' ' || CHR(9))"
        case .ansi: "TRIM(\(text))"
        }
    }

    /// Whether `text` matches the whole of `pattern` (a POSIX extended
    /// regular expression without backslashes, anchored here).
    func matches(_ text: String, _ pattern: String) -> String {
        let anchored = SQLText.literal("^" + pattern + "$")
        switch self {
        case .duckdb: return "REGEXP_MATCHES(\(text), \(anchored))"
        case .sqlite: return "(\(text) REGEXP \(anchored))"
        case .postgres: return "(\(text) ~ \(anchored))"
        case .ansi: return "REGEXP_LIKE(\(text), \(anchored))"
        }
    }

    /// The double of `text`, which matches the number grammar
    /// (`SQLExport.numberPattern`); NULL when it overflows a double, as
    /// `FieldParser.number` refuses `1e309`.
    func double(_ text: String) -> String {
        let limit = "1.7976931348623157e308"
        switch self {
        case .postgres:
            // Through NUMERIC, which holds 1e309 and 1e-400 without an
            // error; PostgreSQL refuses to round a number that small to a
            // double, so below 1e-300 it is 0 here (strtod's subnormal or
            // 0 there: a difference no probability shows).
            let n = "CAST(\(text) AS NUMERIC)"
            return "CASE WHEN ABS(\(n)) > \(limit) THEN NULL WHEN ABS(\(n)) < 1e-300 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(\(n) AS DOUBLE PRECISION) END"
        case .duckdb, .ansi:
            return "CASE WHEN ABS(CAST(\(text) AS DOUBLE)) <= \(limit) THEN CAST(\(text) AS DOUBLE) END"
        case .sqlite:
            return "CASE WHEN ABS(CAST(\(text) AS REAL)) <= \(limit) THEN CAST(\(text) AS REAL) END"
        }
    }

    /// The integer of the digits `text` (a substring of a matched date).
    func integer(_ text: String) -> String {
        switch self {
        case .sqlite: "CAST(\(text) AS INTEGER)"
        case .duckdb, .postgres, .ansi: "CAST(\(text) AS BIGINT)"
        }
    }

    /// Whether the engine typed `column` as a date or a timestamp (its
    /// CSV reader recognised the dates), whose text is then ISO 8601
    /// whatever the file wrote; nil where columns are not typed so
    /// (SQLite's `.import`) or the type cannot be asked (`ansi`).
    func typedAsDate(_ column: String) -> String? {
        switch self {
        case .duckdb: "(TYPEOF(\(column)) IN ('DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE'))"
        case .postgres: "(CAST(PG_TYPEOF(\(column)) AS TEXT) IN ('date', 'timestamp without time zone', 'timestamp with time zone'))"
        case .sqlite, .ansi: nil
        }
    }

    /// The 1-based position of `needle` in `haystack`, 0 when absent.
    func position(of needle: String, in haystack: String) -> String {
        switch self {
        case .sqlite, .duckdb: "INSTR(\(haystack), \(needle))"
        case .postgres: "STRPOS(\(haystack), \(needle))"
        case .ansi: "POSITION(\(needle) IN \(haystack))"
        }
    }

    /// Days since 1970-01-01 of the engine's current date.
    var today: String {
        switch self {
        case .sqlite: "CAST(JULIANDAY('now', 'start of day') - 2440587.5 AS INTEGER)"
        case .duckdb, .postgres: "(CURRENT_DATE - DATE '1970-01-01')"
        case .ansi: "DATE_DIFF('day', DATE '1970-01-01', CURRENT_DATE)"
        }
    }
}

/// SQL text: quoted identifiers and literals, safe for any name and value.
enum SQLText {
    /// `name` as an identifier: in double quotes, inner quotes doubled.
    /// A name with a NUL character cannot be quoted and is refused by the
    /// export before it gets here.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `value` as a string literal: in single quotes, inner quotes doubled.
    /// Backslashes are plain characters in all four dialects (PostgreSQL
    /// with its default `standard_conforming_strings`).
    static func literal(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A double as SQL reads it back to the same double: the shortest
    /// round-trip digits, always with an exponent (`0.25e0`, `1e-05`), so
    /// that DuckDB and Trino read it as a double rather than a decimal,
    /// and SQLite and PostgreSQL convert the exact decimal to the nearest
    /// double, the one written.
    static func number(_ v: Double) -> String {
        precondition(v.isFinite, "SQLText.number: \(v)")
        let text = "\(v + 0)"  // +0: no "-0.0"
        return text.contains("e") ? text : text + "e0"
    }

    /// The grid cell (`GridCell.label`, A1 to D4) of the fit and
    /// engagement values `fit` and `engagement` on `cuts` (`GridCuts.cell`:
    /// the first cut-off a value reaches, inclusive, else the last band).
    static func gridCell(fit: String, engagement: String, cuts: GridCuts) -> String {
        func band(_ value: String, _ cuts: [Double], _ labels: [String]) -> String {
            "CASE " + cuts.enumerated().map { "WHEN \(value) >= \(number($1)) THEN \(literal(labels[$0]))" }.joined(separator: " ")
                + " ELSE \(literal(labels[cuts.count])) END"
        }
        return "\(band(fit, cuts.fit, GridCuts.fitLetters)) || \(band(engagement, cuts.engagement, GridCuts.engagementDigits))"
    }

    /// A comment line: the text with line breaks made spaces.
    static func comment(_ text: String) -> String {
        "-- " + text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}
