import ArgumentParser
import Foundation
import LeadScore

/// `--allow-edited-model`, on every command that reads a model card.
struct ModelIntegrityFlags: ParsableArguments {
    @Flag(help: "Use a model card changed after training (its checksum does not match) anyway; a warning says so on standard error and in the output.")
    var allowEditedModel = false

    /// Reads a model card. A warning about an edited card used anyway, or
    /// about a format 1 card, which cannot be checked, goes to standard
    /// error even with --quiet: scores from a card that is not the one
    /// trained must not pass unnoticed.
    func load(_ path: String) throws(InputError) -> ModelCard {
        let card = try ModelCard.load(path: path, allowEdited: allowEditedModel)
        if let notice = card.integrityNotice { Terminal.note(notice) }
        return card
    }
}

/// `--as-of` and `--exported-on`, on the commands that score leads.
struct AsOfFlags: ParsableArguments {
    @Option(help: ArgumentHelp("The day to score as of (YYYY-MM-DD): date columns count the days before it, and days-since columns with a measurement date (measuredOn in the model or rules file) are aged to it. Default: the model's as-of date, and days-since columns as exported.", valueName: "date"))
    var asOf: String?

    @Option(help: ArgumentHelp("With --as-of: the day the leads file was exported (YYYY-MM-DD), when its days-since columns were counted up to another day than the one the model or rules file names.", valueName: "date"))
    var exportedOn: String?

    func validate() throws {
        for (name, value) in [("--as-of", asOf), ("--exported-on", exportedOn)] {
            if let value, ValueParser.isoDate(value) == nil { throw ValidationError("\(name) must be a date written YYYY-MM-DD (got \"\(value)\").") }
        }
        if exportedOn != nil && asOf == nil {
            throw ValidationError("--exported-on goes with --as-of: without an as-of date the days-since columns are read as exported.")
        }
    }

    var asOfDays: Int? { asOf.flatMap(ValueParser.isoDate) }
    var exportedOnDays: Int? { exportedOn.flatMap(ValueParser.isoDate) }
}

/// `--tiers`: inline text, or the path of a tiers file (`TierScheme.read(option:)`).
enum TiersOption {
    /// The tiers file named by `value`, nil when it is inline text.
    static func file(_ value: String) -> String? {
        FileManager.default.fileExists(atPath: value) ? value : nil
    }

    /// Inline text is checked as a usage error; a file is read at run time,
    /// where its errors name the file and key.
    static func validate(_ value: String) throws {
        guard file(value) == nil else { return }
        do { _ = try TierScheme.read(option: value) } catch {
            throw ValidationError(CommandLineText.render(error.problem + " " + error.remedy))
        }
    }
}

extension PointsRollup: ExpressibleByArgument {}
