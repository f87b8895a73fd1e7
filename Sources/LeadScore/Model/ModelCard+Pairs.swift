import Foundation

/// A pair term as a table (`PairEncoder`): the first column's cells down,
/// the second's across, each cell's log-odds adjustment (the coefficient of
/// its indicator; 0 in row and column 0, the reference cells) and its
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
}

extension ModelCard {
    /// Each pair term's table, in the model's order, with the coefficients
    /// of `coefficients` (the model's, by default; a segment's model
    /// otherwise).
    public func pairTables(coefficients: [Double]? = nil) -> [PairTable] {
        let beta = coefficients ?? self.coefficients
        return zip(schema.encoders.pairs, schema.encoders.pairOffsets).map { pair, offset in
            let (n, m) = (pair.first.cellCount, pair.second.cellCount)
            return PairTable(
                name: pair.name, rowColumn: pair.first.column, columnColumn: pair.second.column, rowCells: pair.first.cells,
                columnCells: pair.second.cells,
                logOdds: (0..<n).map { i in (0..<m).map { j in pair.feature(i, j).map { beta[offset + $0] } ?? 0 } },
                counts: (0..<n).map { i in (0..<m).map { pair.count(i, $0) } })
        }
    }
}
