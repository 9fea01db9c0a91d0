/// Precision, recall and F1 of one ROUGE variant.
public struct RougeScore: Equatable, Sendable, CustomStringConvertible {
    public let precision: Double
    public let recall: Double
    public let fmeasure: Double

    public static let zero = RougeScore(precision: 0, recall: 0)

    /// F1 as rouge_score's scoring.fmeasure computes it.
    public init(precision: Double, recall: Double) {
        self.precision = precision
        self.recall = recall
        fmeasure = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }

    public var description: String { "P=\(precision) R=\(recall) F=\(fmeasure)" }
}

/// The ROUGE variants rouge_score names `rouge1`…`rouge9`, `rougeL` and `rougeLsum`.
public enum RougeType: Hashable, Sendable, CustomStringConvertible {
    case n(Int)
    /// LCS over the whole text as one sequence.
    case l
    /// Summary-level LCS over newline-separated sentences (ROUGE 1.5.5's union LCS).
    case lsum

    public static let standard: [RougeType] = [.n(1), .n(2), .l, .lsum]

    public init?(_ name: String) {
        switch name {
        case "rougeL": self = .l
        case "rougeLsum": self = .lsum
        default:
            guard name.hasPrefix("rouge"), name.count == 6, let n = Int(name.dropFirst(5)), n > 0 else { return nil }
            self = .n(n)
        }
    }

    public var description: String {
        switch self {
        case let .n(k): return "rouge\(k)"
        case .l: return "rougeL"
        case .lsum: return "rougeLsum"
        }
    }
}

/// ROUGE exactly as Google's `rouge_score` package computes it (RougeScorer.score and
/// score_multi), so numbers reported by curate can be compared with published ones.
public struct Rouge: Sendable {
    public let types: [RougeType]
    public let useStemmer: Bool

    public init(types: [RougeType] = RougeType.standard, useStemmer: Bool = true) {
        self.types = types
        self.useStemmer = useStemmer
    }

    public func score(target: String, prediction: String) -> [RougeType: RougeScore] {
        let t = tokens(target), p = tokens(prediction)
        var out: [RougeType: RougeScore] = [:]
        for type in types {
            switch type {
            case let .n(k): out[type] = Self.ngramScore(t, p, k)
            case .l: out[type] = Self.lcsScore(t, p)
            case .lsum: out[type] = Self.summaryLCSScore(sentences(target), sentences(prediction))
            }
        }
        return out
    }

    /// Per type, the score against the reference with the highest F (the first on ties), as
    /// rouge_score's score_multi.
    public func score(targets: [String], prediction: String) -> [RougeType: RougeScore] {
        let all = targets.map { score(target: $0, prediction: prediction) }
        var out: [RougeType: RougeScore] = [:]
        for type in types {
            out[type] = all.map { $0[type]! }.reduce(nil as RougeScore?) { best, s in
                best.map { s.fmeasure > $0.fmeasure ? s : $0 } ?? s
            }
        }
        return out
    }

    func tokens(_ text: String) -> [String] { RougeTokenizer.tokenize(text, stem: useStemmer) }

    /// rougeLsum's sentences: the text split on "\n", empty lines dropped.
    func sentences(_ text: String) -> [[String]] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map { tokens(String($0)) }
    }

    static func ngramScore(_ target: [String], _ prediction: [String], _ n: Int) -> RougeScore {
        func counts(_ tokens: [String]) -> [ArraySlice<String>: Int] {
            var c: [ArraySlice<String>: Int] = [:]
            if tokens.count >= n { for i in 0 ... tokens.count - n { c[tokens[i ..< i + n], default: 0] += 1 } }
            return c
        }
        let t = counts(target), p = counts(prediction)
        let overlap = t.reduce(0) { $0 + min($1.value, p[$1.key] ?? 0) }
        let tCount = t.values.reduce(0, +), pCount = p.values.reduce(0, +)
        return RougeScore(precision: Double(overlap) / Double(max(pCount, 1)), recall: Double(overlap) / Double(max(tCount, 1)))
    }

    static func lcsScore(_ target: [String], _ prediction: [String]) -> RougeScore {
        guard !target.isEmpty, !prediction.isEmpty else { return .zero }
        let length = LCS(target, prediction).length
        return RougeScore(precision: Double(length) / Double(prediction.count), recall: Double(length) / Double(target.count))
    }

    /// Summary-level LCS (rouge_score `_summary_level_lcs`): for each reference sentence, the
    /// union of its LCS positions with every predicted sentence, each token counted at most as
    /// often as it occurs on both sides.
    static func summaryLCSScore(_ target: [[String]], _ prediction: [[String]]) -> RougeScore {
        let m = target.reduce(0) { $0 + $1.count }, n = prediction.reduce(0) { $0 + $1.count }
        guard m > 0, n > 0 else { return .zero }
        var refLeft: [String: Int] = [:], predLeft: [String: Int] = [:]
        for s in target { for t in s { refLeft[t, default: 0] += 1 } }
        for s in prediction { for t in s { predLeft[t, default: 0] += 1 } }
        var hits = 0
        for r in target {
            var union = Set<Int>()
            for c in prediction { union.formUnion(LCS(r, c).referenceIndices()) }
            for i in union.sorted() {
                let t = r[i]
                if predLeft[t, default: 0] > 0, refLeft[t, default: 0] > 0 {
                    hits += 1
                    predLeft[t]! -= 1
                    refLeft[t]! -= 1
                }
            }
        }
        return RougeScore(precision: Double(hits) / Double(n), recall: Double(hits) / Double(m))
    }
}

/// The dynamic-programming LCS table of rouge_score (`_lcs_table`), with its backtrack.
struct LCS {
    let ref: [String], can: [String]
    /// (ref.count + 1) × (can.count + 1), row-major.
    private var table: [Int32]

    init(_ ref: [String], _ can: [String]) {
        self.ref = ref
        self.can = can
        let cols = can.count + 1
        table = [Int32](repeating: 0, count: (ref.count + 1) * cols)
        for i in 1 ..< ref.count + 1 {
            for j in 1 ..< cols {
                table[i * cols + j] = ref[i - 1] == can[j - 1]
                    ? table[(i - 1) * cols + j - 1] + 1
                    : max(table[(i - 1) * cols + j], table[i * cols + j - 1])
            }
        }
    }

    var length: Int { Int(table.last!) }

    /// Reference positions of one LCS, chosen with rouge_score's tie-break (`_backtrack_norec`):
    /// move left only when the left cell is strictly larger than the one above.
    func referenceIndices() -> [Int] {
        let cols = can.count + 1
        var i = ref.count, j = can.count
        var out: [Int] = []
        while i > 0, j > 0 {
            if ref[i - 1] == can[j - 1] {
                out.append(i - 1); i -= 1; j -= 1
            } else if table[i * cols + j - 1] > table[(i - 1) * cols + j] {
                j -= 1
            } else {
                i -= 1
            }
        }
        return out.reversed()
    }
}
