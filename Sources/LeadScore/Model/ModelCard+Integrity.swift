import Foundation

extension ModelCard {
    /// What reading a model card found of its checksum.
    public enum Integrity: Sendable, Equatable {
        /// The content matches the checksum (or the card was made here and
        /// not read from a file).
        case verified
        /// A format 1 card, written before cards carried a checksum: an
        /// edit cannot be detected.
        case predatesChecksum(file: String)
        /// The content does not match the checksum (or the checksum was
        /// removed), and the reader was told to accept it
        /// (`OptionKey.allowEditedModel`).
        case editedAllowed(file: String)
    }

    /// The card's checksum: SHA-256, as lowercase hex, of the JSON
    /// LeadScore writes for the card (`JSONOutput`: sorted keys, two-space
    /// indentation, shortest round-trip doubles, a final newline) with the
    /// `checksum` field left out. It is taken over the content, not the
    /// file's bytes: re-indenting a card does not change it, any value does.
    /// Equal to `sha256sum` of a written card's bytes without its
    /// `"checksum"` line (the first key, sorted).
    public func contentChecksum() throws(InputError) -> String {
        var content = self
        content.checksum = nil
        return FileDigest.sha256(data: try JSONOutput.data(content, nonFiniteAsStrings: false, what: "the model"))
    }

    /// What the user should be told about the card's integrity, or nil when
    /// it verified: a warning for an edited card used anyway (never to be
    /// silenced), a note for a card older than checksums.
    public var integrityNotice: String? {
        switch integrity {
        case .verified:
            return nil
        case .predatesChecksum(let file):
            return "note: \(file) is a format 1 model card, written before cards carried a checksum, so a change made to it after training cannot be detected; retrain it to protect it."
        case .editedAllowed(let file):
            return "warning: \(file) was changed after training (its content does not match its checksum); it is used anyway because of \(OptionKey.allowEditedModel.mention), so its scores are not those of the model that was trained and measured."
        }
    }

    /// The warning a report (evaluation, points export, inspection) records
    /// for an edited card used anyway; nil otherwise.
    public var integrityReportNote: String? {
        guard case .editedAllowed(let file) = integrity else { return nil }
        return "\((file as NSString).lastPathComponent) was changed after training (its content does not match its checksum) and was used anyway, as asked: its numbers are not those of the model as trained."
    }

    /// Checks the checksum of a card just decoded from `file`.
    mutating func verifyIntegrity(file: String, allowEdited: Bool) throws(InputError) {
        if checksum == nil && formatVersion < ModelCard.checksumFormatVersion {
            integrity = .predatesChecksum(file: file)
            return
        }
        let expected = try contentChecksum()
        if checksum == expected {
            integrity = .verified
            return
        }
        if allowEdited {
            integrity = .editedAllowed(file: file)
            return
        }
        throw InputError(
            .editedModel, at: InputLocation(file: file),
            checksum == nil
                ? "the model file has no checksum although its format version (\(formatVersion)) always carries one: it was changed after training, and its scores could differ from those it was measured with."
                : "the model file was changed after training: its content does not match its checksum, so every score it gives could differ from those it was measured with.",
            remedy: "Retrain the model with `leadscore train`, or restore the file from version control; to use the edited file anyway, pass \(OptionKey.allowEditedModel.mention).")
    }
}
