import ArgumentParser
import Foundation
import LeadScore

/// `--allow-edited-model`, on every command that reads a model card.
struct ModelIntegrityFlags: ParsableArguments {
    @Flag(help: "Use a model card changed after training (its checksum does not match) anyway; a warning says so on standard error and in the output.")
    var allowEditedModel = false

    /// Reads a model card. A warning about an edited card goes to standard
    /// error even with --quiet (scores from an edited model must not pass
    /// unnoticed); the note on a card older than checksums does not.
    func load(_ path: String, quiet: Bool = false) throws(InputError) -> ModelCard {
        let card = try ModelCard.load(path: path, allowEdited: allowEditedModel)
        if let notice = card.integrityNotice, case .editedAllowed = card.integrity {
            Terminal.note(notice)
        } else if let notice = card.integrityNotice, !quiet {
            Terminal.note(notice)
        }
        return card
    }
}
