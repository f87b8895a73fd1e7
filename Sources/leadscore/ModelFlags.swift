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
