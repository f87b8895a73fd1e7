// The compact form as a design of its own: its rows rebuilt on demand.
//
// A compact design that holds every value (`holdsAllValues`: the dense
// columns copied, or none) is the design, exactly: row i is every
// two-valued column at its base, the columns row i lists at their
// `listedValue`, and the dense columns from the copy. Rebuilding writes
// p + d + (active entries) doubles a row into a buffer the reader keeps
// in cache, so a reader of the whole design (the fitted rows' log-odds,
// the penalty's upper limit, a second compact pass) reads 8·d bytes a
// row and the lists instead of the n × p matrix, which is never made.

extension CompactDesign: DesignSource {
    /// p, the design's number of columns.
    public var columns: Int { structure.columns }

    /// Whether the compact form holds every value of the design: the
    /// dense columns are copied, or there are none.
    public var holdsAllValues: Bool { denseCopy != nil || structure.dense.isEmpty }

    public var readsAnyRows: Bool { holdsAllValues }

    /// Rows `range`, rebuilt into `scratch`.
    public func withRows(_ range: Range<Int>, scratch: UnsafeMutablePointer<Double>, _ body: (UnsafePointer<Double>) -> Void) {
        precondition(holdsAllValues, "CompactDesign: the dense columns were not kept, so the rows cannot be rebuilt")
        let p = structure.columns, d = structure.dense.count
        // Every two-valued column at its base; the dense ones are written
        // for each row.
        var template = [Double](repeating: 0, count: p)
        for (t, j) in structure.binary.enumerated() { template[j] = structure.base[t] }
        template.withUnsafeBufferPointer { template in
            structure.dense.withUnsafeBufferPointer { dense in
                structure.binary.withUnsafeBufferPointer { binary in
                    listedValue.withUnsafeBufferPointer { listed in
                        start.withUnsafeBufferPointer { start in
                            active.withUnsafeBufferPointer { active in
                                (denseCopy ?? []).withUnsafeBufferPointer { copy in
                                    for i in range {
                                        let row = scratch + (i - range.lowerBound) * p
                                        row.update(from: template.baseAddress!, count: p)
                                        for e in 0..<d { row[dense[e]] = copy[i * d + e] }
                                        for a in start[i]..<start[i + 1] {
                                            let t = Int(active[a])
                                            row[binary[t]] = listed[t]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        body(UnsafePointer(scratch))
    }

    /// The blocks of `DesignPartition`, each rebuilt in one buffer. Only
    /// when it `holdsAllValues`: a compact form without its dense
    /// columns is read through the design it was read from.
    public func forEachBlock(_ body: (DesignBlock) -> Void) {
        forEachBlockOfRows(body)
    }
}

extension DesignSource {
    /// The design's compact form: the source itself when it is one (a
    /// design held in its compact form is not read again), else read from
    /// it (`CompactDesign.init`).
    public func compactForm() throws(InputError) -> CompactDesign {
        if let compact = self as? CompactDesign { return compact }
        return try CompactDesign(self)
    }
}
