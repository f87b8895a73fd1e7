/// Progress callbacks of long reads (training, scoring): rows read so far
/// and bytes consumed.
public typealias ProgressHandler = @Sendable (_ rows: Int, _ bytes: Int) -> Void
