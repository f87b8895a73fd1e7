import Foundation

/// A pair term as a table (`PairEncoder`): the first column's cells down,
/// the second's across, each cell's log-odds adjustment (the coefficient of
/// its indicator; 0 in row and column 0, the reference cells, and in a
/// rare cell, merged into them), whether it has a feature, and its
/// training rows. What `inspect` prints, the HTML report draws and the
/// points export writes.
public struct PairTable: Codable, Sendable, Equatable {
    /// "A × B".
    public var name: String
    public var rowColumn: String
    public var columnColumn: String
    public var rowCells: [String]
    public var columnCells: [String]
    /// logOdds[i][j]: the adjustment of cell (i, j), in log-odds.
    public var logOdds: [[Double]]
    /// counts[i][j]: training rows of cell (i, j).
    public var counts: [[Int]]
    /// merged[i][j]: cell (i, j), off row and column 0, has fewer training
    /// rows than the pair's minimum (`PairEncoder.minimumCellRows`) and
    /// so no feature: it is merged into the reference cells.
    public var merged: [[Bool]]
    /// The pair's minimum training rows of a cell with a feature; nil when
    /// no cell is below it, or the card predates it (format 8 to 10).
    public var minimumCellRows: Int?
}

extension ModelCard {
    /// Each pair term's table, in the model's order, with the coefficients
    /// of `coefficients` (the model's, by default; a segment's model
    /// otherwise).
    public func pairTables(coefficients: [Double]? = nil) -> [PairTable] {
        let beta = coefficients ?? self.coefficients
        return zip(schema.encoders.pairs, schema.encoders.pairOffsets).map { pair, offset in
            let (n, m) = (pair.first.cellCount, pair.second.cellCount)
            let features = pair.cellFeatures
            return PairTable(
                name: pair.name, rowColumn: pair.first.column, columnColumn: pair.second.column, rowCells: pair.first.cells,
                columnCells: pair.second.cells,
                logOdds: (0..<n).map { i in (0..<m).map { j in features[i * m + j] >= 0 ? beta[offset + features[i * m + j]] : 0 } },
                counts: (0..<n).map { i in (0..<m).map { pair.count(i, $0) } },
                merged: (0..<n).map { i in (0..<m).map { j in i >= 1 && j >= 1 && features[i * m + j] < 0 } }, minimumCellRows: pair.minimumCellRows)
        }
    }
}
