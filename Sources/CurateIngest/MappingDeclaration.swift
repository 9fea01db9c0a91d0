import CurateCore

/// A mapping written out in a recipe, for sources no preset covers. It declares the same two
/// kinds a preset is made of, and becomes a `Preset`, so custom sources read exactly as
/// presets do:
///
/// - one conversation per record: `turns` names the list of turn objects, and `speaker`,
///   `role`, `text`, `time` (and `entities`) are read inside each turn object;
/// - one message per record: `conversation` names the field that groups records (rows of a
///   help-desk export) and `order` the turn or time field that sorts them; the other fields
///   are read from the record;
/// - XML: `conversation` and `turn` are element paths and the fields are `XMLPath`s.
///
/// `summary`, `topic` and `rating` are conversation labels; `roles` maps source labels
/// (`agent`, `customer`) onto curate's roles. Unknown keys are refused, so a typo cannot
/// silently drop a field.
public struct MappingDeclaration: Decodable, Sendable {
    public struct Entities: Decodable, Sendable {
        /// The span objects; left out, the record (or turn) itself carries one span.
        var spans: String?
        var label: String
        var start: String
        var end: String
        var text: String?
    }

    var id: String?
    var turns: String?
    var conversation: String?
    var turn: String?
    var order: String?
    var speaker: String?
    var role: String?
    var text: String?
    var time: String?
    var summary: [String]
    var topic: [String]
    var rating: String?
    var ratingScale: String?
    var entities: Entities?
    var roles: [String: String]
    /// JSON only: the top-level key of the list that holds the records, when the file is one
    /// object wrapping them (`{"data": […]}`).
    var records: String?

    private enum Key: String, CodingKey, CaseIterable {
        case id, turns, conversation, turn, order, speaker, role, text, time, summary, topic, rating
        case ratingScale = "rating_scale", entities, roles, records
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue).filter { Key(rawValue: $0) == nil }
        if let key = unknown.first {
            throw CurateError("mapping: unknown key '\(key)' — use \(Key.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let c = try decoder.container(keyedBy: Key.self)
        /// `summary: a` or `summary: [a, b]`.
        func fieldList(_ key: Key) throws -> [String] {
            if let one = try? c.decodeIfPresent(String.self, forKey: key) { return [one] }
            return try c.decodeIfPresent([String].self, forKey: key) ?? []
        }
        id = try c.decodeIfPresent(String.self, forKey: .id)
        turns = try c.decodeIfPresent(String.self, forKey: .turns)
        conversation = try c.decodeIfPresent(String.self, forKey: .conversation)
        turn = try c.decodeIfPresent(String.self, forKey: .turn)
        order = try c.decodeIfPresent(String.self, forKey: .order)
        speaker = try c.decodeIfPresent(String.self, forKey: .speaker)
        role = try c.decodeIfPresent(String.self, forKey: .role)
        text = try c.decodeIfPresent(String.self, forKey: .text)
        time = try c.decodeIfPresent(String.self, forKey: .time)
        summary = try fieldList(.summary)
        topic = try fieldList(.topic)
        rating = try c.decodeIfPresent(String.self, forKey: .rating)
        ratingScale = try c.decodeIfPresent(String.self, forKey: .ratingScale)
        entities = try c.decodeIfPresent(Entities.self, forKey: .entities)
        roles = try c.decodeIfPresent([String: String].self, forKey: .roles) ?? [:]
        records = try c.decodeIfPresent(String.self, forKey: .records)
    }

    /// The formats a mapping reads; `json` and `jsonl` are one container, sniffed per file.
    public static let formats = ["jsonl", "json", "csv", "xml"]

    /// The preset this declaration describes for files in `format`, or what is wrong with it.
    public func preset(format: String, name: String) throws -> Preset {
        var preset = try declaredPreset(format: format, name: name)
        if records != nil, !["json", "jsonl"].contains(format) {
            throw CurateError("mapping: 'records' names the list inside a JSON object that holds the records, so it applies to json only, not \(format)")
        }
        preset.records = records
        preset.requiresEveryField = true
        return preset
    }

    private func declaredPreset(format: String, name: String) throws -> Preset {
        guard let text else { throw CurateError("mapping: 'text' is required — name the field that holds each turn's text") }
        guard let speakerOrRole = speaker ?? role else {
            throw CurateError("mapping: 'speaker' (or at least 'role') is required — name the field that says who wrote each turn")
        }
        let roleMap = try roleMap()
        let about = "mapping declared in a recipe (\(format))"
        switch format {
        case "xml":
            guard let conversation, let turn else {
                throw CurateError("mapping: an XML mapping needs 'conversation' and 'turn' element paths, e.g. conversation: chat, turn: message")
            }
            try refuse(["turns": turns != nil, "order": order != nil, "rating": rating != nil, "entities": entities != nil,
                        "summary": !summary.isEmpty, "topic": !topic.isEmpty], in: "an XML mapping")
            let mapping = XMLMapping(conversation: try XMLPath(elements: conversation), turn: try XMLPath(elements: turn),
                                     id: try id.map(XMLPath.init), speaker: try XMLPath(speakerOrRole), text: try XMLPath(text),
                                     role: try role.map(XMLPath.init), time: try time.map(XMLPath.init), roles: roleMap)
            return Preset(name: name, summary: about, xml: mapping, root: mapping.conversation.elements[0], example: "")
        case "json", "jsonl", "csv":
            let container: Preset.Container = format == "csv" ? .csv(CSVOptions()) : .json
            let labels = AnnotationMapping(summaries: summary.map { FieldPath($0) }, topics: topic.map { FieldPath($0) },
                                           rating: try rating.map { (FieldPath($0), try scale()) })
            switch (turns, conversation) {
            case (let turns?, nil):
                guard format != "csv" else {
                    throw CurateError("mapping: 'turns' names a list of turn objects, which a CSV cell cannot hold — for one message per row, name the grouping field with 'conversation' instead")
                }
                try refuse(["order": order != nil, "turn": turn != nil], in: "a mapping with 'turns'")
                var mapping = RecordMapping(id: id.map { FieldPath($0) },
                                            turns: .list(FieldPath(turns), speaker: FieldPath(speakerOrRole), text: FieldPath(text),
                                                         role: role.map { FieldPath($0) }, time: time.map { FieldPath($0) },
                                                         entities: entities.map(\.mapping)),
                                            roles: roleMap)
                mapping.annotations = labels
                return Preset(name: name, summary: about, container: container, mapping: .conversationPerRecord(mapping), signature: [], example: "")
            case (nil, let conversation?):
                try refuse(["turn": turn != nil, "id": id != nil], in: "a mapping with 'conversation' (the conversation key is its id)")
                let mapping = MessageMapping(grouping: .key(FieldPath(conversation)), order: order.map { FieldPath($0) },
                                             speaker: FieldPath(speakerOrRole), text: FieldPath(text), role: role.map { FieldPath($0) },
                                             time: time.map { FieldPath($0) }, roles: roleMap, entities: entities.map(\.mapping),
                                             annotations: labels)
                return Preset(name: name, summary: about, container: container, mapping: .messagePerRecord(mapping), signature: [], example: "")
            default:
                throw CurateError("mapping: give either 'turns' (one conversation per record: the field holding its list of turns) or 'conversation' (one message per record: the field that groups records into conversations), not \(turns == nil ? "neither" : "both")")
            }
        default:
            throw CurateError("mapping: unknown format '\(format)' — use \(Self.formats.joined(separator: ", "))")
        }
    }

    private func roleMap() throws -> [String: Role] {
        try roles.reduce(into: [:]) { map, pair in
            guard let role = Role(rawValue: pair.value.lowercased()) else {
                throw CurateError("mapping: role '\(pair.value)' for '\(pair.key)' — use \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            map[pair.key.lowercased()] = role
        }
    }

    private func scale() throws -> AnnotationMapping.RatingScale {
        guard let scale = AnnotationMapping.RatingScale(rawValue: ratingScale ?? "stars") else {
            throw CurateError("mapping: rating_scale '\(ratingScale!)' — use \(AnnotationMapping.RatingScale.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        return scale
    }

    /// Fails on the first key (alphabetically) that is given but means nothing here.
    private func refuse(_ given: [String: Bool], in kind: String) throws {
        if let key = given.filter(\.value).keys.sorted().first {
            throw CurateError("mapping: '\(key)' does not apply to \(kind)")
        }
    }
}

extension MappingDeclaration.Entities {
    var mapping: EntityMapping {
        EntityMapping(spans: spans.map { FieldPath($0) } ?? .record, label: FieldPath(label), start: FieldPath(start), end: FieldPath(end),
                      text: text.map { FieldPath($0) })
    }
}
