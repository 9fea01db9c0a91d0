import CurateCore

/// One evaluation example's score, before it is averaged with the others.
public enum ExampleScore: Sendable {
    case summarize([RougeType: RougeScore])
    case topic(TopicAccumulator.Score)
    case rating(RatingAccumulator.Score)
    /// `parsed` is false when the prediction is not an `EntityList` (it then counts as none).
    case ner(EntityAccumulator.Score, parsed: Bool)

    /// Reads back what `json` wrote (from predictions.jsonl), for reports over finished evaluations.
    public init?(json: JSONValue, task: TaskScorer.Task) {
        switch task {
        case .summarize:
            var scores: [RougeType: RougeScore] = [:]
            for type in RougeType.standard {
                guard let pr = json[type.description]?.arrayValue?.compactMap(\.doubleValue), pr.count == 2 else { return nil }
                scores[type] = RougeScore(precision: pr[0], recall: pr[1])
            }
            self = .summarize(scores)
        case .topic:
            guard case .bool(let exact)? = json["exact"], let rougeL = json["rougeL"]?.doubleValue else { return nil }
            self = .topic(.init(exact: exact, rougeL: rougeL))
        case .rating:
            guard let reference = json["reference"]?.intValue else { return nil }
            self = .rating(.init(predicted: json["predicted"]?.intValue, reference: reference))
        case .ner:
            guard let tp = json["true_positives"]?.intValue, let predicted = json["predicted"]?.intValue, let gold = json["gold"]?.intValue,
                  case .bool(let parsed)? = json["parsed"] else { return nil }
            self = .ner(.init(truePositives: tp, predicted: predicted, gold: gold), parsed: parsed)
        }
    }

    /// The per-example figures written beside each prediction.
    public var json: JSONValue {
        switch self {
        case .summarize(let s):
            // [precision, recall] at full precision, so reading them back recomputes F exactly.
            return .object(RougeType.standard.map { ($0.description, .array([.double(s[$0]?.precision ?? 0), .double(s[$0]?.recall ?? 0)])) })
        case .topic(let s):
            return .object([("exact", .bool(s.exact)), ("rougeL", .double(s.rougeL))])
        case .rating(let s):
            return .object([("predicted", s.predicted.map { .int($0) } ?? .null), ("reference", .int(s.reference))])
        case .ner(let s, let parsed):
            return .object([("true_positives", .int(s.truePositives)), ("predicted", .int(s.predicted)), ("gold", .int(s.gold)),
                            ("parsed", .bool(parsed))])
        }
    }
}

/// The metrics of one task: each example scored on its own, the task's figures computed from
/// any list of example scores (all of them for the report, a resample for a bootstrap).
public struct TaskScorer: Sendable {
    public enum Task: String, Sendable, CaseIterable {
        case summarize, topic, rating, ner
    }

    public let task: Task
    public private(set) var scores: [ExampleScore] = []

    public init(task name: String) throws {
        guard let task = Task(rawValue: name) else {
            throw CurateError("no metric for task '\(name)' — curate eval scores summarize, topic, ner and rating")
        }
        self.task = task
    }

    /// Scores one example, keeps the score and returns it.
    @discardableResult
    public mutating func add(references: [String], prediction: String) -> ExampleScore {
        let score = Self.score(task, references: references, prediction: prediction)
        scores.append(score)
        return score
    }

    public static func score(_ task: Task, references: [String], prediction: String) -> ExampleScore {
        switch task {
        case .summarize:
            return .summarize(Rouge().score(targets: references, prediction: prediction))
        case .topic:
            return .topic(TopicAccumulator().score(references: references, prediction: prediction))
        case .rating:
            return .rating(.init(predicted: RatingAccumulator().parse(prediction), reference: Int(Double(references.first ?? "") ?? 0)))
        case .ner:
            let entities = { (list: [EntityList.Entry]) in list.map { EntityAccumulator.Entity(type: $0.label, text: $0.text) } }
            let predicted = EntityList.parse(prediction)
            return .ner(EntityAccumulator.score(gold: entities(EntityList.parse(references.first ?? "") ?? []), predicted: entities(predicted ?? [])),
                        parsed: predicted != nil)
        }
    }

    public var metrics: JSONValue { Self.metrics(task, scores) }

    /// The task's figures over `scores` (every value rounded to 6 decimals).
    public static func metrics(_ task: Task, _ scores: [ExampleScore]) -> JSONValue {
        func round(_ x: Double) -> JSONValue { .double((x * 1_000_000).rounded() / 1_000_000) }
        switch task {
        case .summarize:
            let rouge = summarize(scores)
            return .object(RougeType.standard.map { type in
                let m = rouge.mean(type)
                return (type.description, .object([("precision", round(m.precision)), ("recall", round(m.recall)), ("f", round(m.fmeasure))]))
            } + [("examples", .int(rouge.count))])
        case .topic:
            let topic = Self.topic(scores)
            return .object([("exact_match", round(topic.exactMatch)), ("rougeL_f", round(topic.meanRougeL)), ("examples", .int(topic.count))])
        case .rating:
            let rating = Self.rating(scores)
            return .object([("accuracy", round(rating.accuracy)), ("mae", round(rating.meanAbsoluteError)),
                            ("parse_failure_rate", round(rating.count == 0 ? 0 : Double(rating.unparsed) / Double(rating.count))),
                            ("examples", .int(rating.count))])
        case .ner:
            let (entities, failures) = ner(scores)
            return .object([("precision", round(entities.precision)), ("recall", round(entities.recall)), ("f1", round(entities.f1)),
                            ("parse_failure_rate", round(Double(failures) / Double(max(1, entities.examples)))),
                            ("examples", .int(entities.examples))])
        }
    }

    /// The task's headline figure: ROUGE-1 F, topic ROUGE-L F (exact match is near zero for
    /// a zero-shot model that answers in a sentence, so it could not show what is lost),
    /// rating accuracy, entity F1.
    public static func primary(_ task: Task, _ scores: [ExampleScore]) -> Double {
        switch task {
        case .summarize: return summarize(scores).mean(.n(1)).fmeasure
        case .topic: return topic(scores).meanRougeL
        case .rating: return rating(scores).accuracy
        case .ner: return ner(scores).entities.f1
        }
    }

    public static func primaryName(_ task: Task) -> String {
        switch task {
        case .summarize: return "ROUGE-1"
        case .topic: return "ROUGE-L"
        case .rating: return "accuracy"
        case .ner: return "entity F1"
        }
    }

    private static func summarize(_ scores: [ExampleScore]) -> RougeAccumulator {
        var acc = RougeAccumulator()
        for case .summarize(let s) in scores { acc.add(s) }
        return acc
    }

    private static func topic(_ scores: [ExampleScore]) -> TopicAccumulator {
        var acc = TopicAccumulator()
        for case .topic(let s) in scores { acc.add(s) }
        return acc
    }

    private static func rating(_ scores: [ExampleScore]) -> RatingAccumulator {
        var acc = RatingAccumulator()
        for case .rating(let s) in scores { acc.add(s) }
        return acc
    }

    private static func ner(_ scores: [ExampleScore]) -> (entities: EntityAccumulator, parseFailures: Int) {
        var acc = EntityAccumulator()
        var failures = 0
        for case .ner(let s, let parsed) in scores {
            acc.add(s)
            if !parsed { failures += 1 }
        }
        return (acc, failures)
    }
}
