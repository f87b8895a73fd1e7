extension RawTable {
    /// What a column's month-first or day-first dates (`DateFields`) say of
    /// their format, gathered while the file is read so that the format is
    /// decided from every value (`SchemaInference.resolveDates`): the first
    /// value of each kind, and its line.
    public struct DateEvidence: Sendable {
        /// A value that no format reads: a day that does not exist either
        /// way (`02/30/2024`, `13/13/2024`), or a time that is none
        /// (`07/01/2024 25:61`).
        public internal(set) var impossible: (value: String, line: Int)?
        /// A value only month first reads (`07/13/2024`: there is no 13th
        /// month).
        public internal(set) var monthFirstOnly: (value: String, line: Int)?
        /// A value only day first reads (`13/07/2024`).
        public internal(set) var dayFirstOnly: (value: String, line: Int)?
        /// A value both read, as different days unless its fields are
        /// equal (`04/05/2024`).
        public internal(set) var either: (value: String, line: Int)?

        /// Notes the fields of `value`, on `line`.
        @inline(__always)
        mutating func note(_ fields: DateFields, _ value: UnsafeBufferPointer<UInt8>, line: Int) {
            let (monthFirst, dayFirst) = fields.readableAs
            @inline(__always) func text() -> (value: String, line: Int) { (String(decoding: value, as: UTF8.self), line) }
            switch (monthFirst, dayFirst) {
            case (false, false): if impossible == nil { impossible = text() }
            case (true, false): if monthFirstOnly == nil { monthFirstOnly = text() }
            case (false, true): if dayFirstOnly == nil { dayFirstOnly = text() }
            case (true, true): if either == nil { either = text() }
            }
        }

        mutating func shiftLines(by delta: Int) {
            impossible?.line += delta
            monthFirstOnly?.line += delta
            dayFirstOnly?.line += delta
            either?.line += delta
        }

        /// The evidence of this part of the file followed by `later`'s.
        mutating func append(_ later: DateEvidence) {
            if impossible == nil { impossible = later.impossible }
            if monthFirstOnly == nil { monthFirstOnly = later.monthFirstOnly }
            if dayFirstOnly == nil { dayFirstOnly = later.dayFirstOnly }
            if either == nil { either = later.either }
        }

        /// The first value `format` does not read (month first or day
        /// first), or nil.
        public func firstUnreadable(in format: DateFormat) -> (value: String, line: Int)? {
            let other = format == .monthFirst ? dayFirstOnly : format == .dayFirst ? monthFirstOnly : either
            guard let a = impossible else { return other }
            guard let b = other else { return a }
            return a.line <= b.line ? a : b
        }
    }
}
