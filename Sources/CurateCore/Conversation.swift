/// Who produced a turn, in the vocabulary trainers use. Source-specific labels ("agent",
/// "customer", "USER", "SYSTEM") are mapped onto these by the reader's role map; the
/// original label is kept in `Turn.speaker`.
public enum Role: String, Sendable, CaseIterable {
    case user, assistant, system, tool, other
}

/// A labelled span of a turn's text. Offsets count Unicode scalars (the unit Python's `str`
/// indexes by), because that is how public NER datasets publish their offsets.
public struct EntitySpan: Hashable, Sendable {
    public var label: String
    public var start: Int
    public var end: Int
    public var text: String

    public init(label: String, start: Int, end: Int, text: String) {
        self.label = label
        self.start = start
        self.end = end
        self.text = text
    }

    public var json: JSONValue {
        .object([("label", .string(label)), ("start", .int(start)), ("end", .int(end)), ("text", .string(text))])
    }

    /// Reads the stored form back.
    public init?(stored: JSONValue) {
        guard let label = stored["label"]?.stringValue, let start = stored["start"]?.intValue,
              let end = stored["end"]?.intValue, let text = stored["text"]?.stringValue else { return nil }
        self.init(label: label, start: start, end: end, text: text)
    }
}

/// One utterance. Conversations stay conversations: nothing flattens turns into one string
/// until a template asks for it.
public struct Turn: Hashable, Sendable {
    public var speaker: String
    public var role: Role
    public var text: String
    /// The timestamp as the source wrote it; parsing is left to the consumer because
    /// chat exports disagree on formats and time zones.
    public var time: String?
    public var entities: [EntitySpan]

    public init(speaker: String, role: Role, text: String, time: String? = nil, entities: [EntitySpan] = []) {
        self.speaker = speaker
        self.role = role
        self.text = text
        self.time = time
        self.entities = entities
    }

    /// Reads the stored form back (parsed with `JSONParser`; `JSONDecoder` took a quarter of
    /// render time on Linux).
    public init?(stored: JSONValue) {
        guard let speaker = stored["speaker"]?.stringValue, let role = stored["role"]?.stringValue.flatMap(Role.init(rawValue:)),
              let text = stored["text"]?.stringValue else { return nil }
        self.init(speaker: speaker, role: role, text: text, time: stored["time"]?.stringValue,
                  entities: (stored["entities"]?.arrayValue ?? []).compactMap(EntitySpan.init(stored:)))
    }

    /// The stored form. Empty optional fields are omitted so rows stay small and readable in
    /// `sqlite3`; written with `JSONValue` rather than `JSONEncoder`, which was a fifth of
    /// ingest time and does not promise a key order.
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [("speaker", .string(speaker)), ("role", .string(role.rawValue)), ("text", .string(text))]
        if let time { fields.append(("time", .string(time))) }
        if !entities.isEmpty { fields.append(("entities", .array(entities.map(\.json)))) }
        return .object(fields)
    }
}

/// A rating on the common 1–5 scale, with the source's own value kept beside it so that
/// nothing is lost in the mapping.
public struct Rating: Hashable, Sendable {
    public var value: Double
    public var original: String
    public var scale: String

    public init(value: Double, original: String, scale: String) {
        self.value = value
        self.original = original
        self.scale = scale
    }

    public var json: JSONValue {
        .object([("value", .double(value)), ("original", .string(original)), ("scale", .string(scale))])
    }

    public init?(stored: JSONValue) {
        guard let value = stored["value"]?.doubleValue, let original = stored["original"]?.stringValue,
              let scale = stored["scale"]?.stringValue else { return nil }
        self.init(value: value, original: original, scale: scale)
    }
}

/// Conversation-level labels. Lists, because evaluation splits often carry several
/// references (DialogSum's test split has three summaries and three topics per dialogue).
public struct Annotations: Hashable, Sendable {
    public var summaries: [String]
    public var topics: [String]
    public var rating: Rating?
    /// True when the source annotates entities (its mapping reads entity spans), so a
    /// conversation without spans has none — an NER example whose answer is "none" — rather
    /// than being unannotated, like a DialogSum dialogue, which must not teach that answer.
    public var entitiesLabelled: Bool

    public init(summaries: [String] = [], topics: [String] = [], rating: Rating? = nil, entitiesLabelled: Bool = false) {
        self.summaries = summaries
        self.topics = topics
        self.rating = rating
        self.entitiesLabelled = entitiesLabelled
    }

    public init?(stored: JSONValue) {
        guard case .object = stored else { return nil }
        self.init(summaries: (stored["summaries"]?.arrayValue ?? []).compactMap(\.stringValue),
                  topics: (stored["topics"]?.arrayValue ?? []).compactMap(\.stringValue),
                  rating: stored["rating"].flatMap(Rating.init(stored:)),
                  entitiesLabelled: stored["entities_labelled"] == .bool(true))
    }

    /// The stored form; empty lists, a missing rating and an unset flag are omitted.
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = []
        if !summaries.isEmpty { fields.append(("summaries", .array(summaries.map(JSONValue.string)))) }
        if !topics.isEmpty { fields.append(("topics", .array(topics.map(JSONValue.string)))) }
        if let rating { fields.append(("rating", rating.json)) }
        if entitiesLabelled { fields.append(("entities_labelled", .bool(true))) }
        return .object(fields)
    }
}

/// Where a record came from, precisely enough to open the source at that spot.
public struct Provenance: Hashable, Sendable {
    public var sourcePath: String
    public var sourceSHA256: String
    /// `line 12`, `row 40`, `/Session/Posts/Post[3]` — whatever addresses the record in its format.
    public var locator: String

    public init(sourcePath: String, sourceSHA256: String, locator: String) {
        self.sourcePath = sourcePath
        self.sourceSHA256 = sourceSHA256
        self.locator = locator
    }
}

/// A dialogue as ingested: turns, annotations and where it came from.
public struct Conversation: Hashable, Sendable {
    /// The source's own id (`fname` in DialogSum), when it has one.
    public var externalID: String?
    public var turns: [Turn]
    public var annotations: Annotations
    public var provenance: Provenance

    public init(externalID: String?, turns: [Turn], annotations: Annotations, provenance: Provenance) {
        self.externalID = externalID
        self.turns = turns
        self.annotations = annotations
        self.provenance = provenance
    }
}

/// A conversation as the store holds it: with its row id, exact-dedup key and split, which
/// later stages need to name, seed and split what they derive from it.
public struct StoredConversation: Sendable {
    public var id: Int64
    public var contentHash: String
    public var split: Split
    /// The dataset its source file was ingested as (`dialogsum`, `bitext`, a recipe's own
    /// name): mixtures weigh datasets within a task by it.
    public var dataset: String
    public var turns: [Turn]
    public var annotations: Annotations

    public init(id: Int64, contentHash: String, split: Split, dataset: String, turns: [Turn], annotations: Annotations) {
        self.id = id
        self.contentHash = contentHash
        self.split = split
        self.dataset = dataset
        self.turns = turns
        self.annotations = annotations
    }
}
