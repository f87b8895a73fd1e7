import Foundation
import Yams

extension RuleSet {
    /// Reads a rules file: `.yaml` or `.yml` as YAML, `.json` as JSON.
    ///
    /// Refused with `.badConfiguration`, naming the file, the line (YAML;
    /// JSON when it can be found) and the key: a syntax error, an unknown or
    /// repeated key (a typo would otherwise be silently ignored), a value of
    /// the wrong type, an inconsistent rule (see `RuleSet` for the format),
    /// or a newer format version. An unreadable file is `.io`.
    public static func load(path: String) throws(InputError) -> RuleSet {
        try loadWithDigest(path: path).rules
    }

    /// Reads a rules file as `load(path:)` does, and the SHA-256 of the
    /// bytes read, as lowercase hex (`sha256sum` gives the same): what
    /// scores made with the file name as their `model_id`
    /// (`Scorer.score(rules:…)`).
    public static func loadWithDigest(path: String) throws(InputError) -> (rules: RuleSet, sha256: String) {
        let data = try InputFile.read(path: path, what: "the rules file", remedy: "Check the rules file's path.")
        return (try decode(data, path: path), FileDigest.sha256(data: data))
    }

    private static func decode(_ data: Data, path: String) throws(InputError) -> RuleSet {
        switch (path as NSString).pathExtension.lowercased() {
        case "yaml", "yml":
            guard let text = String(data: data, encoding: .utf8) else {
                throw InputError(.badConfiguration, at: InputLocation(file: path), "the rules file is not UTF-8 text.", remedy: "Save it as UTF-8.")
            }
            return try decode(yaml: text, file: path)
        case "json":
            return try decode(json: data, file: path)
        default:
            throw InputError(
                .badConfiguration, at: InputLocation(file: path), "a rules file must end in .yaml, .yml or .json.",
                remedy: "Rename the file to say which format it is written in.")
        }
    }

    /// Reads rules written in YAML; `file` names it in errors.
    public static func decode(yaml: String, file: String = "rules.yaml") throws(InputError) -> RuleSet {
        let text = yaml.hasPrefix("\u{FEFF}") ? String(yaml.dropFirst()) : yaml
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InputError(.badConfiguration, at: InputLocation(file: file), "the rules file is empty.", remedy: "Write the rules (see docs/rules.md).")
            }
            root = node
        } catch let e as InputError {
            throw e
        } catch {
            throw RuleFileErrors.yamlSyntaxError(error, file: file)
        }
        do {
            return try YAMLDecoder().decode(RuleSet.self, from: root)
        } catch {
            throw RuleFileErrors.inputError(error, file: file, document: root, rules: nil)
        }
    }

    /// Reads rules written in JSON; `file` names it in errors.
    public static func decode(json: Data, file: String = "rules.json") throws(InputError) -> RuleSet {
        do {
            return try JSONDecoder().decode(RuleSet.self, from: json)
        } catch {
            // JSON is (nearly always) YAML too: its parse tree gives the line.
            let document = String(data: json, encoding: .utf8).flatMap { try? Yams.compose(yaml: $0) }
            if case DecodingError.dataCorrupted(let ctx) = error, ctx.codingPath.isEmpty {
                throw RuleFileErrors.jsonSyntaxError(json, file: file)
            }
            throw RuleFileErrors.inputError(error, file: file, document: document, rules: nil)
        }
    }

    /// The rules as YAML (the format `decode(yaml:)` reads), or nil if they
    /// cannot be encoded.
    public func yamlText() -> String? {
        let encoder = YAMLEncoder()
        encoder.options.allowUnicode = true
        encoder.options.width = -1
        return try? encoder.encode(self)
    }
}

/// Turns decoding failures into `InputError`s naming the file, line and key.
enum RuleFileErrors {
    static let remedyForYAML =
        "RuleCheck the indentation and punctuation on that line; put quotes around text that contains \": \" or \" #\", or starts with one of * & ! % @ ` [ {."

    static func yamlSyntaxError(_ error: Error, file: String) -> InputError {
        var line: Int?
        var problem = "\(error)"
        if let e = error as? YamlError {
            switch e {
            case .scanner(let context, let p, let mark, _), .parser(let context, let p, let mark, _), .composer(let context, let p, let mark, _):
                line = mark.line
                problem = p + (context.map { " (\($0.text))" } ?? "")
            case .reader(let p, _, _, _):
                problem = p
            case .duplicatedKeysInMapping(let keys, let context):
                return InputError(
                    .badConfiguration, at: InputLocation(file: file, line: context.mark.line > 0 ? context.mark.line : nil),
                    "the key \(keys.map { "\"\($0)\"" }.joined(separator: ", ")) appears more than once in the same mapping.",
                    remedy: "Keep one of them; in a list of rules, start each rule with \"- \".")
            default:
                break
            }
        }
        return InputError(.badConfiguration, at: InputLocation(file: file, line: line), "the rules file is not valid YAML: \(problem).", remedy: remedyForYAML)
    }

    /// JSONSerialization says where ("around character 212"); that becomes a line.
    static func jsonSyntaxError(_ json: Data, file: String) -> InputError {
        var detail = "it cannot be parsed"
        var line: Int?
        do { _ = try JSONSerialization.jsonObject(with: json) } catch {
            if let d = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String {
                detail = d.hasSuffix(".") ? String(d.dropLast()) : d
                if let r = d.range(of: #"character \d+"#, options: .regularExpression),
                    let offset = Int(d[r].dropFirst("character ".count))
                {
                    line = 1 + json.prefix(offset).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                }
            }
        }
        return InputError(
            .badConfiguration, at: InputLocation(file: file, line: line), "the rules file is not valid JSON: \(detail).",
            remedy: "RuleCheck the brackets, commas and quotes on that line or the one before (every JSON key and text value needs double quotes).")
    }

    static func inputError(_ error: Error, file: String, document: Node?, rules: RuleSet?) -> InputError {
        if let e = error as? InputError { return e }
        if let p = error as? RuleFileProblem {
            let labelPath = p.namesLastKey ? Array(p.path.dropLast()) : p.path
            let where_ = label(labelPath, document: document, rules: rules)
            return InputError(
                .badConfiguration, at: InputLocation(file: file, line: line(p.path, in: document)),
                (where_.isEmpty ? "" : where_ + ": ") + p.problem, remedy: p.remedy)
        }
        guard let e = error as? DecodingError else {
            return InputError(.badConfiguration, at: InputLocation(file: file), "the rules file cannot be read: \(error).", remedy: "Fix the file (see docs/rules.md).")
        }
        func located(_ ctx: DecodingError.Context, _ problem: String, value: String? = nil, remedy: String) -> InputError {
            let path = ctx.codingPath.rulePath
            let where_ = label(path, document: document, rules: rules)
            return InputError(
                .badConfiguration, at: InputLocation(file: file, line: line(path, in: document), value: value),
                (where_.isEmpty ? "" : where_ + ": ") + problem, remedy: remedy)
        }
        switch e {
        case .typeMismatch(let type, let ctx):
            let found = document.flatMap { node(ctx.codingPath.rulePath, in: $0) }
            let expected = words(for: type)
            var problem = "expected \(expected)"
            var value: String?
            if let found {
                if let s = found.scalar {
                    value = s.string
                    problem += ", found \"\(s.string)\""
                } else if found.mapping != nil {
                    problem += ", found a mapping (key: value entries)"
                } else if found.sequence != nil {
                    problem += ", found a list"
                }
            }
            return located(ctx, problem + ".", value: value, remedy: remedy(forExpected: expected))
        case .valueNotFound(let type, let ctx):
            return located(ctx, "the value is empty; expected \(words(for: type)).", remedy: "Write a value after the colon, or leave the key out if it is optional.")
        case .keyNotFound(let key, let ctx):
            return located(ctx, "the key \"\(key.stringValue)\" is missing.", remedy: "Add it (see docs/rules.md for every key).")
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty {
                let detail = (ctx.underlyingError.map { "\($0)" } ?? ctx.debugDescription)
                return InputError(
                    .badConfiguration, at: InputLocation(file: file), "the rules file is not valid JSON: \(detail)",
                    remedy: "RuleCheck the brackets, commas and quotes (a JSON key and every text value needs double quotes).")
            }
            return located(ctx, ctx.debugDescription, remedy: "Fix the value (see docs/rules.md).")
        @unknown default:
            return InputError(.badConfiguration, at: InputLocation(file: file), "the rules file cannot be read: \(e).", remedy: "Fix the file.")
        }
    }

    static func words(for type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "Double", "Float": return "a number"
        case "Int", "Int64", "Int32": return "a whole number"
        case "Bool": return "true or false"
        case "String": return "text"
        default:
            if name.contains("Mapping") || name.contains("Dictionary") || name.hasPrefix("[String") { return "a mapping (key: value entries)" }
            if name.contains("Sequence") || name.contains("Array") || name.hasPrefix("[") { return "a list" }
            return name
        }
    }

    static func remedy(forExpected expected: String) -> String {
        switch expected {
        case "a number": return "Write a number such as 10, -20 or 2.5 (no quotes, no units)."
        case "a whole number": return "Write a whole number such as 1."
        case "true or false": return "Write true or false."
        case "text": return "Write text; quote it if it contains special characters."
        case "a list": return "Write a list: [a, b] on one line, or one \"- item\" per line."
        default: return "Write key: value entries, e.g. {column: Demo Requested, equals: true}."
        }
    }

    /// The node at `path`, or nil.
    static func node(_ path: [RulePathComponent], in root: Node) -> Node? {
        var current = root
        for component in path {
            switch component {
            case .key(let k):
                guard let m = current.mapping, let pair = m.first(where: { $0.key.string == k }) else { return nil }
                current = pair.value
            case .index(let i):
                guard let s = current.sequence, i >= 0, i < s.count else { return nil }
                current = s[s.index(s.startIndex, offsetBy: i)]
            }
        }
        return current
    }

    /// The line of `path`: of its last key when it ends with a key, else of
    /// the deepest node found on the way.
    static func line(_ path: [RulePathComponent], in root: Node?) -> Int? {
        guard let root else { return nil }
        var current = root
        var line = root.mark?.line
        for component in path {
            switch component {
            case .key(let k):
                guard let m = current.mapping, let pair = m.first(where: { $0.key.string == k }) else { return line }
                line = pair.key.mark?.line ?? line
                current = pair.value
            case .index(let i):
                guard let s = current.sequence, i >= 0, i < s.count else { return line }
                current = s[s.index(s.startIndex, offsetBy: i)]
                line = current.mark?.line ?? line
            }
        }
        return line
    }

    /// Where a path points, for people: `rule 3 "Demo requested", when › between`.
    static func label(_ path: [RulePathComponent], document: Node?, rules: RuleSet?) -> String {
        // A top-level key: the problem sentence names it.
        if path.count == 1, case .key = path[0] { return "" }
        var head = ""
        var rest = path[...]
        if path.count >= 2, case .key(let list) = path[0], case .index(let i) = path[1] {
            let entity: String? = ["rules": "rule", "tiers": "tier", "disqualify": "disqualify entry"][list]
            if let entity {
                var name: String?
                if let document, let n = node([.key(list), .index(i), .key("name")], in: document)?.scalar?.string { name = n }
                if name == nil, let rules {
                    switch list {
                    case "rules": name = rules.rules.indices.contains(i) ? rules.rules[i].name : nil
                    case "tiers": name = rules.tiers.flatMap { $0.indices.contains(i) ? $0[i].name : nil }
                    default: name = rules.disqualify.flatMap { $0.indices.contains(i) ? $0[i].name : nil }
                    }
                }
                head = "\(entity) \(i + 1)" + (name.map { " \"\($0)\"" } ?? "")
                rest = path.dropFirst(2)
            }
        }
        let tail = rest.map { c -> String in
            switch c {
            case .key(let k): return k
            case .index(let i): return "item \(i + 1)"
            }
        }.joined(separator: " › ")
        switch (head.isEmpty, tail.isEmpty) {
        case (true, _): return tail
        case (false, true): return head
        case (false, false): return head + ", " + tail
        }
    }
}
