import CurateCore

/// Where a conversation's labels are: summaries, topics and a rating. Shared by both mapping
/// kinds, so a help-desk export that repeats its ticket's topic on every message row reads the
/// same labels as a JSON record that carries them once.
public struct AnnotationMapping: Sendable {
    /// How a source's rating maps onto the common 1–5 scale.
    public enum RatingScale: String, Sendable, CaseIterable {
        /// Already 1–5 (Yelp stars, a CSAT score).
        case stars
        /// `good` / `bad` CSAT answers: good → 5, bad → 1.
        case goodBad = "good-bad"
        /// A 0–10 likelihood-to-recommend (NPS) answer, mapped linearly: 1 + 4·x/10, so
        /// 0 → 1, 5 → 3, 10 → 5 (1–10 surveys are read the same way).
        case nps
    }

    /// Every field that may hold a summary; all present ones are kept, in this order (a field
    /// holding a list of strings gives each as a summary: several references).
    public var summaries: [FieldPath]
    public var topics: [FieldPath]
    public var rating: (field: FieldPath, scale: RatingScale)?

    public init(summaries: [FieldPath] = [], topics: [FieldPath] = [], rating: (field: FieldPath, scale: RatingScale)? = nil) {
        self.summaries = summaries
        self.topics = topics
        self.rating = rating
    }

    /// Every field this mapping names, for checking a CSV header against it.
    var fields: [FieldPath] { summaries + topics + (rating.map { [$0.field] } ?? []) }

    /// The labels present in `record`; missing ones are left out, a malformed rating is an error.
    func annotations(from record: JSONValue, fail: (String, String, String) -> Diagnostic) throws -> Annotations {
        var annotations = Annotations()
        annotations.summaries = summaries.flatMap { textValues($0.lookup(in: record)) }.filter { !$0.isEmpty }
        annotations.topics = topics.flatMap { textValues($0.lookup(in: record)) }.filter { !$0.isEmpty }
        if let (field, scale) = rating, let value = field.lookup(in: record) {
            guard let raw = scalarText(value) else {
                throw fail("bad-rating", "'\(field)' holds \(value.arrayValue == nil ? "an object" : "a list"), not one rating",
                           "give one value, or point the mapping's rating at it")
            }
            annotations.rating = try Self.rating(raw, scale: scale, field: field, fail: fail)
        }
        return annotations
    }

    static func rating(_ raw: String, scale: RatingScale, field: FieldPath,
                       fail: (String, String, String) -> Diagnostic) throws -> Rating {
        switch scale {
        case .stars:
            guard let value = Double(raw), (1...5).contains(value) else {
                throw fail("bad-rating", "'\(field)' is \(raw), not a 1–5 star rating", "fix the value or drop the rating field")
            }
            return Rating(value: value, original: raw, scale: scale.rawValue)
        case .nps:
            guard let value = Double(raw), (0...10).contains(value) else {
                throw fail("bad-rating", "'\(field)' is \(raw), not a 0–10 NPS score", "fix the value or drop the rating field")
            }
            return Rating(value: 1 + 4 * value / 10, original: raw, scale: scale.rawValue)
        case .goodBad:
            switch raw.lowercased() {
            case "good": return Rating(value: 5, original: raw, scale: scale.rawValue)
            case "bad": return Rating(value: 1, original: raw, scale: scale.rawValue)
            default:
                throw fail("bad-rating", "'\(field)' is '\(raw)', expected good or bad", "fix the value or drop the rating field")
            }
        }
    }
}
