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
