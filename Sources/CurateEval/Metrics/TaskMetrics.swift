/// Corpus-level metrics for curate's evaluation tasks. Each is a small accumulator of
/// per-example scores: `score` one (references, prediction) pair, `add` the score, read the
/// result at the end. Keeping the per-example score separate lets evaluation stream and lets
/// a bootstrap resample examples and fold them again through the same code.

/// Summaries: mean ROUGE P/R/F over examples (rouge_score's per-example scores, averaged, as
/// papers report DialogSum results), multi-reference aware.
public struct RougeAccumulator: Sendable {
    public let rouge: Rouge
    public private(set) var count = 0
    private var sums: [RougeType: (p: Double, r: Double, f: Double)] = [:]

    public init(rouge: Rouge = Rouge()) { self.rouge = rouge }

    public mutating func add(references: [String], prediction: String) {
        add(rouge.score(targets: references, prediction: prediction))
    }

    public mutating func add(_ score: [RougeType: RougeScore]) {
        count += 1
        for (type, s) in score {
            let old = sums[type] ?? (0, 0, 0)
            sums[type] = (old.p + s.precision, old.r + s.recall, old.f + s.fmeasure)
        }
    }

    /// Mean precision, recall and F of `type` (zero before any example).
    public func mean(_ type: RougeType) -> (precision: Double, recall: Double, fmeasure: Double) {
        guard count > 0, let s = sums[type] else { return (0, 0, 0) }
        let n = Double(count)
        return (s.p / n, s.r / n, s.f / n)
    }
}

/// Topics: exact match after ROUGE normalisation (lowercase, runs of non-[a-z0-9] as one space,
/// trimmed), so "Job interview." matches "job interview", plus mean ROUGE-L F for near misses.
public struct TopicAccumulator: Sendable {
    public private(set) var count = 0
    public private(set) var exact = 0
    private var rougeL = 0.0
    private let rouge = Rouge(types: [.l], useStemmer: true)

    public init() {}

    public static func normalize(_ text: String) -> String {
        RougeTokenizer.tokenize(text, stem: false).joined(separator: " ")
    }

    /// One example: whether it matches a reference exactly, and its ROUGE-L F.
    public struct Score: Sendable, Equatable {
        public var exact: Bool
        public var rougeL: Double
    }

    public func score(references: [String], prediction: String) -> Score {
        let p = Self.normalize(prediction)
        return Score(exact: references.contains { Self.normalize($0) == p },
                     rougeL: rouge.score(targets: references, prediction: prediction)[.l]!.fmeasure)
    }

    public mutating func add(references: [String], prediction: String) { add(score(references: references, prediction: prediction)) }

    public mutating func add(_ score: Score) {
        count += 1
        if score.exact { exact += 1 }
        rougeL += score.rougeL
    }

    public var exactMatch: Double { count == 0 ? 0 : Double(exact) / Double(count) }
    public var meanRougeL: Double { count == 0 ? 0 : rougeL / Double(count) }
}

/// Named entities: micro-averaged precision/recall/F1 over (type, text) pairs, counted as
/// multisets so a repeated entity must be predicted as often as it occurs. Texts are compared
/// after trimming and lowercasing; types exactly.
public struct EntityAccumulator: Sendable {
    public struct Entity: Hashable, Sendable {
        public let type: String
        public let text: String
        public init(type: String, text: String) {
            self.type = type
            self.text = text.trimmingWhitespace().lowercased()
        }
    }

    public private(set) var truePositives = 0
    public private(set) var predicted = 0
    public private(set) var gold = 0
    public private(set) var examples = 0

    public init() {}

    /// One example's counts: entities right, predicted, and in the gold list.
    public struct Score: Sendable, Equatable {
        public var truePositives: Int
        public var predicted: Int
        public var gold: Int
    }

    public static func score(gold g: [Entity], predicted p: [Entity]) -> Score {
        var left: [Entity: Int] = [:]
        for e in g { left[e, default: 0] += 1 }
        var hits = 0
        for e in p where left[e, default: 0] > 0 {
            left[e]! -= 1
            hits += 1
        }
        return Score(truePositives: hits, predicted: p.count, gold: g.count)
    }

    public mutating func add(gold g: [Entity], predicted p: [Entity]) { add(Self.score(gold: g, predicted: p)) }

    public mutating func add(_ score: Score) {
        examples += 1
        truePositives += score.truePositives
        gold += score.gold
        predicted += score.predicted
    }

    public var precision: Double { predicted == 0 ? 0 : Double(truePositives) / Double(predicted) }
    public var recall: Double { gold == 0 ? 0 : Double(truePositives) / Double(gold) }
    public var f1: Double { precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0 }
}

/// Ratings (e.g. 1–5 stars): accuracy of the first integer in the prediction, and mean absolute
/// error over predictions that contain one. Predictions without a rating count as wrong for
/// accuracy and are reported in `unparsed` rather than guessed for MAE.
public struct RatingAccumulator: Sendable {
    public let range: ClosedRange<Int>
    public private(set) var count = 0
    public private(set) var correct = 0
    public private(set) var unparsed = 0
    private var absoluteError = 0

    public init(range: ClosedRange<Int> = 1 ... 5) { self.range = range }

    /// The first run of ASCII digits in `text` that is a rating in `range`.
    public func parse(_ text: String) -> Int? {
        var digits = ""
        for c in text.unicodeScalars {
            if ("0" ... "9").contains(c) { digits.unicodeScalars.append(c); continue }
            if let v = Int(digits), range.contains(v) { return v }
            digits = ""
        }
        return Int(digits).flatMap { range.contains($0) ? $0 : nil }
    }

    /// One example: the rating read from the prediction (nil when it has none) and the reference.
    public struct Score: Sendable, Equatable {
        public var predicted: Int?
        public var reference: Int
    }

    public mutating func add(reference: Int, prediction: String) { add(Score(predicted: parse(prediction), reference: reference)) }

    public mutating func add(_ score: Score) {
        count += 1
        guard let p = score.predicted else { unparsed += 1; return }
        if p == score.reference { correct += 1 }
        absoluteError += abs(p - score.reference)
    }

    public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }
    public var meanAbsoluteError: Double { count == unparsed ? 0 : Double(absoluteError) / Double(count - unparsed) }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first ... last])
    }
}
