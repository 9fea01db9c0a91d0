import CurateCore

/// The metrics of one task, accumulated over its examples.
public enum TaskScorer {
    case summarize(RougeAccumulator)
    case topic(TopicAccumulator)
    case rating(RatingAccumulator)
    /// Entity-level P/R/F1 over `EntityList` targets, and how many predictions did not parse.
    case ner(EntityAccumulator, parseFailures: Int)

    public init(task: String) throws {
        switch task {
        case "summarize": self = .summarize(RougeAccumulator())
        case "topic": self = .topic(TopicAccumulator())
        case "rating": self = .rating(RatingAccumulator())
        case "ner": self = .ner(EntityAccumulator(), parseFailures: 0)
        default: throw CurateError("no metric for task '\(task)' — curate eval scores summarize, topic, ner and rating")
        }
    }

    public mutating func add(references: [String], prediction: String) {
        switch self {
        case .summarize(var rouge):
            rouge.add(references: references, prediction: prediction)
            self = .summarize(rouge)
        case .topic(var topic):
            topic.add(references: references, prediction: prediction)
            self = .topic(topic)
        case .rating(var rating):
            rating.add(reference: Int(Double(references.first ?? "") ?? 0), prediction: prediction)
            self = .rating(rating)
        case .ner(var entities, let failures):
            let entries = { (list: [EntityList.Entry]) in list.map { EntityAccumulator.Entity(type: $0.label, text: $0.text) } }
            let predicted = EntityList.parse(prediction)
            entities.add(gold: entries(EntityList.parse(references.first ?? "") ?? []), predicted: entries(predicted ?? []))
            self = .ner(entities, parseFailures: failures + (predicted == nil ? 1 : 0))
        }
    }

    public var metrics: JSONValue {
        func round(_ x: Double) -> JSONValue { .double((x * 1_000_000).rounded() / 1_000_000) }
        switch self {
        case .summarize(let rouge):
            return .object(RougeType.standard.map { type in
                let m = rouge.mean(type)
                return (type.description, .object([("precision", round(m.precision)), ("recall", round(m.recall)), ("f", round(m.fmeasure))]))
            } + [("examples", .int(rouge.count))])
        case .topic(let topic):
            return .object([("exact_match", round(topic.exactMatch)), ("rougeL_f", round(topic.meanRougeL)), ("examples", .int(topic.count))])
        case .rating(let rating):
            return .object([("accuracy", round(rating.accuracy)), ("mae", round(rating.meanAbsoluteError)),
                            ("parse_failure_rate", round(rating.count == 0 ? 0 : Double(rating.unparsed) / Double(rating.count))),
                            ("examples", .int(rating.count))])
        case .ner(let entities, let failures):
            let count = Double(max(1, entities.examples))
            return .object([("precision", round(entities.precision)), ("recall", round(entities.recall)), ("f1", round(entities.f1)),
                            ("parse_failure_rate", round(Double(failures) / count)), ("examples", .int(entities.examples))])
        }
    }
}
