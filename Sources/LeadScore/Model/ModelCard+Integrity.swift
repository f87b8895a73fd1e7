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
    /// `checksum` field left out. As `checksum` sorts first, that is the
    /// written file's bytes without its second line, `  "checksum" : "…",`
    /// (`sha256sum` of them gives the same hex), which is what a reader
    /// checks first (`verifyIntegrity`).
    public func contentChecksum() throws(InputError) -> String {
        var content = self
        content.checksum = nil
        return FileDigest.sha256(data: try JSONOutput.data(content, nonFiniteAsStrings: false, what: "the model"))
    }

    /// What the user should be told about the card's integrity, or nil when
    /// it verified: a warning, never to be silenced, for an edited card
    /// used anyway and for a format 1 card, which cannot be checked (a
    /// card whose checksum line is deleted and whose format version is set
    /// to 1 reads as one).
    public var integrityNotice: String? {
        switch integrity {
        case .verified:
            return nil
        case .predatesChecksum(let file):
            return "warning: \(file) is a format 1 model card, written before cards carried a checksum, so it cannot be checked: a change made to it after training (or a checksum removed and its format version lowered) would go unnoticed, and its scores may not be those of the model that was trained and measured. Retrain it with `leadscore train` to give it a checksum."
        case .editedAllowed(let file):
            return "warning: \(file) was changed after training (its content does not match its checksum); it is used anyway because of \(OptionKey.allowEditedModel.mention), so its scores are not those of the model that was trained and measured."
        }
    }

    /// The warning a report (evaluation, points export, inspection) records
    /// for an edited card used anyway, or a format 1 card that could not be
    /// checked; nil for a verified card.
    public var integrityReportNote: String? {
        switch integrity {
        case .verified:
            return nil
        case .predatesChecksum(let file):
            return "\((file as NSString).lastPathComponent) is a format 1 model card, without a checksum, so it could not be checked for changes made after training; retrain it to give it one."
        case .editedAllowed(let file):
            return "\((file as NSString).lastPathComponent) was changed after training (its content does not match its checksum) and was used anyway, as asked: its numbers are not those of the model as trained."
        }
    }

    /// The checksum a written card claims and the SHA-256 of its bytes
    /// without that line, when `data` is laid out as `jsonData` writes a
    /// card: `{`, a newline, then `  "checksum" : "<64 lowercase hex>",` and
    /// a newline. nil for any other layout (a re-indented card).
    static func writtenChecksum(_ data: Data) -> (claimed: String, digest: String)? {
        let prefix = Array("{\n  \"checksum\" : \"".utf8), suffix = Array("\",\n".utf8)
        let hexLength = 64
        let lineEnd = prefix.count + hexLength + suffix.count
        guard data.count >= lineEnd else { return nil }
        let bytes = [UInt8](data.prefix(lineEnd))
        guard bytes[..<prefix.count].elementsEqual(prefix), bytes[(prefix.count + hexLength)...].elementsEqual(suffix) else { return nil }
        let hex = bytes[prefix.count..<(prefix.count + hexLength)]
        guard hex.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        var content = Data(data.prefix(2))
        content.append(data.dropFirst(lineEnd))
        return (String(decoding: hex, as: UTF8.self), FileDigest.sha256(data: content))
    }

    /// Checks the checksum of a card just decoded from `data`, read from
    /// `file`.
    ///
    /// The rule, in order:
    /// 1. A format 1 card without a checksum cannot be checked: it is read,
    ///    and `integrityNotice` warns. A format 1 card with a checksum (a
    ///    field only format 2 writes) had its format version lowered: it is
    ///    treated as edited.
    /// 2. The file's own bytes: when the card is laid out as LeadScore
    ///    writes it, its bytes without the checksum line must hash to the
    ///    checksum (`writtenChecksum`). This does not depend on how this
    ///    build's JSON encoder writes numbers or escapes text, so a card
    ///    stays valid across toolchains and platforms.
    /// 3. Only when that fails: the decoded card re-encoded canonically
    ///    (`contentChecksum`), which accepts a card re-indented or with its
    ///    keys reordered by another tool, its values unchanged.
    /// If neither matches, the card was changed after training: refused,
    /// or read with a warning when `allowEdited`.
    mutating func verifyIntegrity(data: Data, file: String, allowEdited: Bool) throws(InputError) {
        let lowered = formatVersion < ModelCard.checksumFormatVersion
        if checksum == nil && lowered {
            integrity = .predatesChecksum(file: file)
            return
        }
        if let checksum, !lowered {
            if let written = ModelCard.writtenChecksum(data), written.claimed == checksum, written.digest == checksum {
                integrity = .verified
                return
            }
            if try contentChecksum() == checksum {
                integrity = .verified
                return
            }
        }
        if allowEdited {
            integrity = .editedAllowed(file: file)
            return
        }
        let problem: String
        if lowered {
            problem = "the model file says it is format \(formatVersion) but carries a checksum, which only format \(ModelCard.checksumFormatVersion) cards have: its format version was changed after training, so a change to its content would not be detected."
        } else if checksum == nil {
            problem = "the model file has no checksum although its format version (\(formatVersion)) always carries one: it was changed after training, and its scores could differ from those it was measured with."
        } else {
            problem = "the model file was changed after training: its content does not match its checksum, so every score it gives could differ from those it was measured with."
        }
        throw InputError(
            .editedModel, at: InputLocation(file: file), problem,
            remedy: "Retrain the model with `leadscore train`, or restore the file from version control; to use the edited file anyway, pass \(OptionKey.allowEditedModel.mention).")
    }
}
