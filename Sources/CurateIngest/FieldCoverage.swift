import CurateCore

/// Checks that every path a declared mapping names matches at least one record of a file,
/// before anything of the file is stored. A path that matches nothing anywhere is a typo or
/// a wrong guess about the export: each record would quietly lack the field (no summaries,
/// blank speakers), and fixing the mapping later would not help, because the conversations
/// are already stored under their content. The pass stops at the record that completes the
/// match, normally the first.
struct FieldCoverage {
    struct Probe {
        /// How the mapping names it: `summary (resolution)`.
        var name: String
        var matches: (JSONValue) -> Bool
    }

    let probes: [Probe]

    init(_ mapping: Preset.Mapping, container: Preset.Container) {
        var shown: [String: String] = [:]
        if case .xml(let options) = container {
            for field in options.fields { shown[field.name] = "\(field.name) (\(field.path))" }
        }
        func top(_ role: String, _ path: FieldPath?) -> Probe? {
            path.map { path in
                Probe(name: shown[path.description] ?? "\(role) '\(path)'", matches: { path.lookup(in: $0) != nil })
            }
        }
        var probes: [Probe] = []
        switch mapping {
        case .conversationPerRecord(let m):
            probes += [top("id", m.id)].compactMap { $0 }
            switch m.turns {
            case .transcript(let field, _): probes += [top("dialogue", field)].compactMap { $0 }
            case .fields(let fixed): probes += fixed.compactMap { top("text", $0.text) }
            case .list(let field, let speaker, let text, let role, let time, _):
                probes += [top("turns", field)].compactMap { $0 }
                for (name, path) in [("speaker", speaker), ("text", text), ("role", role), ("time", time)] {
                    guard let path else { continue }
                    probes.append(Probe(name: "\(name) '\(field).*.\(path)'") { record in
                        field.lookup(in: record)?.arrayValue?.contains { path.lookup(in: $0) != nil } ?? false
                    })
                }
            }
            probes += Self.labels(m.annotations, top)
        case .messagePerRecord(let m):
            if case .key(let key) = m.grouping { probes += [top("conversation", key)].compactMap { $0 } }
            for (name, path) in [("order", m.order), ("speaker", m.speaker), ("text", m.text), ("role", m.role), ("time", m.time)] {
                probes += [top(name, path)].compactMap { $0 }
            }
            probes += Self.labels(m.annotations, top)
        }
        self.probes = probes
    }

    private static func labels(_ labels: AnnotationMapping, _ top: (String, FieldPath?) -> Probe?) -> [Probe] {
        (labels.summaries.map { top("summary", $0) } + labels.topics.map { top("topic", $0) } + [top("rating", labels.rating?.field)])
            .compactMap { $0 }
    }

    private struct AllMatched: Error {}

    /// Throws, naming the first path no record matched; a file without one readable record
    /// passes (its rejects say what is wrong).
    func check(_ reader: any RecordReader, site: DiagnosticSite) throws {
        var pending = probes
        var firstKeys: [String]?
        do {
            try reader.read { event in
                guard case .record(let record) = event else { return }
                firstKeys = firstKeys ?? (record.value.objectPairs ?? []).map(\.0)
                pending.removeAll { $0.matches(record.value) }
                if pending.isEmpty { throw AllMatched() }
            }
        } catch is AllMatched {
            return
        }
        guard let missing = pending.first, let firstKeys else { return }
        throw CurateError("\(site.file): no record in the file has the mapping's \(missing.name) — every conversation would be stored without it; fix the path in the mapping (the first record has \(firstKeys.prefix(12).map { "'\($0)'" }.joined(separator: ", ")))")
    }
}
