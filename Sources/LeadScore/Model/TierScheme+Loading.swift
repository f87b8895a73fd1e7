import Foundation

// Reading a tiers file, and the value of the tiers option, which is either
// inline text or such a file.

extension TierScheme {
    /// The tiers file format this version writes and reads.
    public static let currentFormatVersion = 1
    /// The `format` of a tiers file.
    public static let formatName = "leadscore-tiers"

    /// Reads a tiers file:
    ///
    /// ```json
    /// {"format": "leadscore-tiers", "formatVersion": 1, "measure": "probability",
    ///  "tiers": [{"name": "Sales-ready", "action": "SQL", "atLeast": 0.41},
    ///            {"name": "MQL", "action": "MQL", "atLeast": 0.2},
    ///            {"name": "Nurture"}]}
    /// ```
    ///
    /// `measure` is `probability` (cuts in [0, 1]), `score` (whole 0–100
    /// scores, as the inline form) or `points` (a rules file's total points,
    /// any finite number; such a file replaces the rules file's own tiers).
    /// `atLeast` is inclusive and strictly
    /// decreasing; every tier but the last has one, the last none. Names are
    /// distinct and not empty; `action` is optional text.
    ///
    /// An optional `grid` sets the cut-offs of the fit × engagement grid of
    /// models with groups (`GridCuts`, `SubScoreScale`), replacing the
    /// model's quartiles: `"grid": {"fit": [60, 40, 25], "engagement": [50,
    /// 30, 15]}`, three whole 0–100 scores per axis, inclusive and strictly
    /// decreasing: fit A from 60, B from 40, C from 25, else D; engagement 1
    /// from 50, and so on.
    ///
    /// Refused with `.badConfiguration`, naming the file and the key: text
    /// that is not JSON (with its line), an unknown key (a typo would
    /// otherwise be ignored), a missing key, a value of the wrong type, a
    /// cut out of range or not decreasing, a repeated name, another
    /// `format`, or a newer `formatVersion`. An unreadable file is `.io`.
    public static func load(path: String) throws(InputError) -> TierScheme {
        let data = try InputFile.read(path: path, what: "the tiers file", remedy: "Check the tiers file's path.")
        return try decode(json: data, file: path)
    }

    /// Reads a tiers file's JSON; `file` names it in errors.
    public static func decode(json data: Data, file: String = "tiers.json") throws(InputError) -> TierScheme {
        let guide = "See \"Tiers files\" in the README for the format."
        func refuse(_ key: String?, _ problem: String, remedy: String = guide) -> InputError {
            InputError(.badConfiguration, at: InputLocation(file: file), (key.map { "key \"\($0)\": " } ?? "") + problem, remedy: remedy)
        }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            var detail = "it cannot be parsed"
            var line: Int?
            if let d = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String {
                detail = d.hasSuffix(".") ? String(d.dropLast()) : d
                if let r = d.range(of: #"character \d+"#, options: .regularExpression), let offset = Int(d[r].dropFirst("character ".count)) {
                    line = 1 + data.prefix(offset).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                }
            }
            throw InputError(
                .badConfiguration, at: InputLocation(file: file, line: line), "the tiers file is not valid JSON: \(detail).",
                remedy: "Check the brackets, commas and quotes (every JSON key and text value needs double quotes). " + guide)
        }
        guard let top = root as? [String: Any] else {
            throw refuse(nil, "the tiers file is not a JSON object.", remedy: "Write {\"format\": \"\(formatName)\", \"formatVersion\": 1, \"measure\": …, \"tiers\": […]}. " + guide)
        }
        // The version first: a newer file may well have keys this version does not know.
        guard let format = top["format"] as? String, format == formatName else {
            throw refuse("format", "the tiers file's \"format\" is not \"\(formatName)\".", remedy: "Start the file with \"format\": \"\(formatName)\". " + guide)
        }
        guard let versionNumber = top["formatVersion"] as? NSNumber, let version = exactInt(versionNumber) else {
            throw refuse("formatVersion", "the tiers file has no whole-number \"formatVersion\".", remedy: "Write \"formatVersion\": \(currentFormatVersion).")
        }
        guard version <= currentFormatVersion else {
            throw refuse(
                "formatVersion", "the tiers file has formatVersion \(version), newer than this LeadScore understands (\(currentFormatVersion)).",
                remedy: "Upgrade LeadScore, or write the file in format version \(currentFormatVersion).")
        }
        guard version >= 1 else { throw refuse("formatVersion", "formatVersion \(version) does not exist.", remedy: "Write \"formatVersion\": 1.") }
        let topKeys = ["format", "formatVersion", "measure", "tiers", "grid"]
        if let unknown = top.keys.sorted().first(where: { !topKeys.contains($0) }) {
            throw refuse(unknown, "unknown key \"\(unknown)\" in the tiers file.", remedy: "Known keys: \(topKeys.joined(separator: ", ")). " + guide)
        }
        guard let measureText = top["measure"] as? String, let measure = Measure(rawValue: measureText) else {
            throw refuse(
                "measure", "the tiers file's \"measure\" is missing or not one of \(Measure.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")).",
                remedy: "Write \"measure\": \"probability\" to cut on the predicted probability, \"score\" to cut on the 0–100 score, or \"points\" to cut on a rules file's points.")
        }
        guard let list = top["tiers"] as? [Any] else {
            throw refuse("tiers", "the tiers file has no \"tiers\" list.", remedy: guide)
        }
        guard list.count >= 2 else { throw refuse("tiers", "the tiers file defines fewer than two tiers.", remedy: guide) }
        let tierKeys = ["name", "action", "atLeast"]
        var labels: [String] = [], actions: [String?] = [], cuts: [Double] = []
        // JSONSerialization may round a number's last digit; JSONDecoder
        // reads it exactly, so a cut written by `jsonData()` comes back as
        // the same double. Read once the shape has been checked above and
        // below (JSONDecoder's own errors name no key a user would know).
        let exact = try? JSONDecoder().decode(ExactCuts.self, from: data)
        for (i, item) in list.enumerated() {
            let at = "tiers[\(i)]"
            let isLast = i == list.count - 1
            guard let tier = item as? [String: Any] else { throw refuse(at, "tier \(i + 1) is not a JSON object.", remedy: guide) }
            if let unknown = tier.keys.sorted().first(where: { !tierKeys.contains($0) }) {
                throw refuse(at + "." + unknown, "unknown key \"\(unknown)\" in tier \(i + 1).", remedy: "Known keys: \(tierKeys.joined(separator: ", ")). " + guide)
            }
            guard let name = tier["name"] as? String, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw refuse(at + ".name", "tier \(i + 1) has no name (text, not empty).", remedy: guide)
            }
            guard !labels.contains(name) else {
                // Two tiers of one name would be counted together in every summary.
                throw refuse(at + ".name", "the tier name \"\(name)\" appears twice.", remedy: "Give each tier its own name.")
            }
            var action: String?
            if let a = tier["action"] {
                guard let text = a as? String else { throw refuse(at + ".action", "tier \"\(name)\"'s action is not text.", remedy: guide) }
                action = text
            }
            labels.append(name)
            actions.append(action)
            if isLast {
                guard tier["atLeast"] == nil else {
                    throw refuse(at + ".atLeast", "the last tier, \"\(name)\", has a cut; it takes every lead the tiers above do not.", remedy: "Remove its \"atLeast\".")
                }
                continue
            }
            guard let number = tier["atLeast"] as? NSNumber, !isBool(number) else {
                throw refuse(at + ".atLeast", "tier \"\(name)\" has no \"atLeast\" number; only the last tier may lack one.", remedy: guide)
            }
            let cut = exact?.tiers[i].atLeast ?? number.doubleValue
            switch measure {
            case .probability:
                guard cut >= 0 && cut <= 1 else {
                    throw refuse(at + ".atLeast", "tier \"\(name)\"'s cut \(number) is not a probability from 0 to 1.", remedy: "Write the cut as a probability, e.g. 0.4 for 40%, or set \"measure\" to \"score\".")
                }
            case .points:
                guard cut.isFinite else {
                    throw refuse(at + ".atLeast", "tier \"\(name)\"'s cut \(number) is not a finite number of points.", remedy: "Write a number of points.")
                }
            case .score:
                guard exactInt(number).map({ (0...100).contains($0) }) ?? false else {
                    throw refuse(at + ".atLeast", "tier \"\(name)\"'s cut \(number) is not a whole 0–100 score.", remedy: "Write a whole number from 0 to 100, or set \"measure\" to \"probability\".")
                }
            }
            if let previous = cuts.last, !(cut < previous) {
                throw refuse(
                    at + ".atLeast", "tier \"\(name)\"'s cut \(number) is not below the cut of the tier before it (\(ModelNumber.text(previous))).",
                    remedy: "List the tiers best first, each cut strictly below the one before.")
            }
            cuts.append(cut)
        }
        var scheme: TierScheme
        switch measure {
        case .score: scheme = TierScheme(labels: labels, cuts: cuts.map { Int($0) }, actions: actions)
        case .probability, .points: scheme = TierScheme(labels: labels, valueCuts: cuts, measure: measure, actions: actions)
        }
        if let grid = top["grid"] { scheme.grid = try gridCuts(grid, refuse: refuse) }
        return scheme
    }

    /// The cuts of a tiers file, as JSONDecoder reads them.
    private struct ExactCuts: Decodable {
        struct Tier: Decodable { let atLeast: Double? }
        let tiers: [Tier]
    }

    /// The scheme as a tiers file (the format `decode(json:file:)` reads),
    /// through `JSONOutput`: sorted keys, so the same scheme gives the same
    /// bytes, and cuts in full so they read back to the same doubles.
    public func jsonData() throws(InputError) -> Data {
        let tiers = labels.indices.map { i in
            FileTier(
                name: labels[i], action: actions[i],
                cut: i < labels.count - 1 ? (measure == .score ? .whole(cuts[i]) : .value(valueCuts[i])) : nil)
        }
        return try JSONOutput.data(
            FileDocument(
                format: Self.formatName, formatVersion: Self.currentFormatVersion, measure: measure.rawValue, tiers: tiers,
                grid: grid.map { FileGrid(fit: $0.fit.map { Int($0) }, engagement: $0.engagement.map { Int($0) }) }),
            nonFiniteAsStrings: false, what: "the tiers file")
    }

    private struct FileDocument: Encodable {
        let format: String
        let formatVersion: Int
        let measure: String
        let tiers: [FileTier]
        let grid: FileGrid?
    }

    private struct FileGrid: Encodable {
        let fit: [Int]
        let engagement: [Int]
    }

    private struct FileTier: Encodable {
        enum Cut { case whole(Int), value(Double) }
        enum Key: String, CodingKey { case name, action, atLeast }
        let name: String
        let action: String?
        let cut: Cut?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(name, forKey: .name)
            try c.encodeIfPresent(action, forKey: .action)
            switch cut {
            case .whole(let n)?: try c.encode(n, forKey: .atLeast)
            case .value(let v)?: try c.encode(v, forKey: .atLeast)
            case nil: break
            }
        }
    }

    /// A tiers file's `grid`: `{"fit": [..3 cuts], "engagement": [..3 cuts]}`,
    /// whole 0–100 scores, strictly decreasing.
    private static func gridCuts(_ value: Any, refuse: (String?, String, String) -> InputError) throws(InputError) -> GridCuts {
        let example = "Write \"grid\": {\"fit\": [60, 40, 25], \"engagement\": [50, 30, 15]}: three whole 0–100 scores per axis, best first (A or 1 from the first, B or 2 from the second, C or 3 from the third, the rest D or 4)."
        guard let object = value as? [String: Any] else { throw refuse("grid", "the grid is not a JSON object.", example) }
        let axes = ["fit", "engagement"]
        if let unknown = object.keys.sorted().first(where: { !axes.contains($0) }) {
            throw refuse("grid." + unknown, "unknown key \"\(unknown)\" in the grid.", "Known keys: fit, engagement. " + example)
        }
        var cuts: [[Double]] = []
        for axis in axes {
            let at = "grid." + axis
            guard let list = object[axis] as? [Any] else { throw refuse(at, "the grid has no \"\(axis)\" list of cut-offs.", example) }
            guard list.count == GridCuts.cutsPerAxis else {
                throw refuse(at, "the grid's \(axis) axis has \(list.count) cut-offs; it needs \(GridCuts.cutsPerAxis), for four bands.", example)
            }
            var axisCuts: [Double] = []
            for item in list {
                guard let number = item as? NSNumber, let cut = exactInt(number), (0...100).contains(cut) else {
                    throw refuse(at, "the grid's \(axis) cut-off \(item) is not a whole 0–100 score.", example)
                }
                if let previous = axisCuts.last, !(Double(cut) < previous) {
                    throw refuse(at, "the grid's \(axis) cut-off \(cut) is not below the one before it (\(ModelNumber.text(previous))).", example)
                }
                axisCuts.append(Double(cut))
            }
            cuts.append(axisCuts)
        }
        return GridCuts(fit: cuts[0], engagement: cuts[1])
    }

    /// The tiers option's value (`OptionKey.tiers`): when a file of that
    /// name exists, a tiers file (`load(path:)`); otherwise inline text
    /// (`init(parsing:)`). Text that is neither is refused with both
    /// readings in the message.
    public static func read(option text: String) throws(InputError) -> TierScheme {
        if FileManager.default.fileExists(atPath: text) { return try load(path: text) }
        do { return try TierScheme(parsing: text) } catch {
            throw InputError(
                error.kind, at: error.location, error.problem + " Nor is there a tiers file named \"\(text)\".",
                remedy: error.remedy + " Or give \(OptionKey.tiers.mention) the path of a tiers file.")
        }
    }

    /// JSON's true and false come back as numbers of type char.
    private static func isBool(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    private static func exactInt(_ n: NSNumber) -> Int? {
        guard !isBool(n) else { return nil }
        let d = n.doubleValue
        guard d.rounded() == d, abs(d) < 1e15 else { return nil }
        return Int(d)
    }
}
