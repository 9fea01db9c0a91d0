import CurateCore
import Foundation
import Mustache
import Yams

/// One phrasing of a task: a prompt and a target, both Mustache text templates.
public struct InstructionTemplate: Sendable {
    public let id: String
    /// True for FLAN's inverted tasks (e.g. write a dialogue from a summary). They train the
    /// model but never serve as evaluation prompts, and never list answer options.
    public let inverted: Bool
    public let speakers: SpeakerStyle
    let prompt: MustacheTemplate
    let target: MustacheTemplate
    /// The fields the template reads, so a conversation lacking one is skipped, not rendered
    /// with a blank.
    public let fields: Set<TemplateField>
    /// The fields the target reads: the ones whose alternatives become extra references.
    public let targetFields: Set<TemplateField>
    /// Whether the prompt places `{{options}}` itself; otherwise the options suffix is appended.
    let placesOptions: Bool
}

/// The values a template may use. A template naming anything else fails to load.
public enum TemplateField: String, Sendable, CaseIterable {
    /// One `Speaker: text` line per turn (a one-turn conversation, like a review, is its text alone).
    case dialogue
    case summary, topic
    /// Every entity span of every turn, in order, as `EntityList` text (`city: Paris; date: May 3`),
    /// or `none` for a dialogue from an entity-labelled source that has no span.
    case entities
    /// The rating on the common 1–5 scale, rounded to a whole number.
    case rating
    /// The answer options, in the options variants (FLAN's `{options_}`); empty otherwise.
    case options
}

/// All phrasings of one task, loaded from `templates/TASK.yaml`.
public struct TemplateSet: Sendable {
    public let task: String
    public let description: String
    public let templates: [InstructionTemplate]
    /// The answers a classification task can give (`rating`: 1–5). When set, every
    /// non-inverted template also renders with these options listed.
    public let options: [String]
    /// Source entity types → the task's documented labels (`origin_city: city`). An entity
    /// type not listed here keeps a conversation out of the task, so the label set stays closed.
    public let entityLabels: [String: String]
    /// The template evaluation splits use: the first that is not inverted, so every eval
    /// example of a task is asked the same way.
    public var evaluationTemplate: InstructionTemplate { templates.first { !$0.inverted }! }

    private struct File: Decodable {
        let task: String
        let description: String?
        let options: [String]?
        let entity_labels: [String: String]?
        let templates: [Entry]
    }

    private struct Entry: Decodable {
        let id: String
        let inverted: Bool?
        let speakers: String?
        let prompt: String
        let target: String
    }

    /// Parses and checks a template file: ids unique, fields known, Mustache valid, at least
    /// one non-inverted phrasing, entity labels given when a template lists entities. Errors
    /// name the file and the template.
    public init(yaml: String, file: String) throws {
        let parsed: File
        do {
            parsed = try YAMLDecoder().decode(File.self, from: yaml)
        } catch {
            throw CurateError("\(file): not a template file (\(error)) — see templates/summarize.yaml for the format")
        }
        var seen = Set<String>()
        templates = try parsed.templates.map { entry in
            guard seen.insert(entry.id).inserted else {
                throw CurateError("\(file): template id '\(entry.id)' appears twice — ids must be unique")
            }
            return try Self.template(entry, file: file)
        }
        guard templates.contains(where: { !$0.inverted }) else {
            throw CurateError("\(file): every template is inverted — add at least one that asks for the task itself")
        }
        if let user = templates.first(where: { $0.fields.contains(.entities) }), (parsed.entity_labels ?? [:]).isEmpty {
            throw CurateError("\(file): template \(user.id) uses {{entities}} but the file has no entity_labels — map each source entity type to a label (see templates/ner.yaml)")
        }
        if let user = templates.first(where: { $0.fields.contains(.options) }), (parsed.options ?? []).isEmpty {
            throw CurateError("\(file): template \(user.id) uses {{options}} but the file lists no options — add options: [...] or remove the field")
        }
        task = parsed.task
        description = parsed.description ?? ""
        options = parsed.options ?? []
        entityLabels = parsed.entity_labels ?? [:]
    }

    private static func template(_ entry: Entry, file: String) throws -> InstructionTemplate {
        let style = try entry.speakers.map { name -> SpeakerStyle in
            guard let style = SpeakerStyle(rawValue: name) else {
                throw CurateError("\(file): template \(entry.id): unknown speakers style '\(name)' — use one of \(SpeakerStyle.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return style
        } ?? .original
        let targetFields = try fields(in: entry.target, template: entry.id, file: file)
        let promptFields = try fields(in: entry.prompt, template: entry.id, file: file)
        if targetFields.contains(.options) {
            throw CurateError("\(file): template \(entry.id) uses {{options}} in its target — options belong in the prompt")
        }
        do {
            return InstructionTemplate(
                id: entry.id, inverted: entry.inverted ?? false, speakers: style,
                prompt: try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + entry.prompt),
                target: try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + entry.target),
                fields: promptFields.union(targetFields).subtracting([.options]), targetFields: targetFields,
                placesOptions: promptFields.contains(.options))
        } catch {
            throw CurateError("\(file): template \(entry.id) is not valid Mustache (\(error))")
        }
    }

    /// The `{{name}}` fields a template text uses, each checked against `TemplateField`.
    static func fields(in text: String, template: String, file: String) throws -> Set<TemplateField> {
        var found = Set<TemplateField>()
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: CharacterSet(charactersIn: " {}#/^&"))
            rest = rest[close.upperBound...]
            guard !name.isEmpty else { continue }
            guard let field = TemplateField(rawValue: name) else {
                throw CurateError("\(file): template \(template) uses {{\(name)}}, which is not a field — fields are \(TemplateField.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            found.insert(field)
        }
        return found
    }
}

/// Every task's templates: the ones built into curate (`builtin`, generated from templates/),
/// or those of a directory of `TASK.yaml` files (`--templates DIR`).
public struct TemplateLibrary: Sendable {
    public let sets: [String: TemplateSet]
    /// Where the templates came from, for messages: the directory, or "built-in".
    public let origin: String
    /// Each task's file text, for `curate templates show`.
    public let sources: [String: String]

    public init(directory: URL) throws {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { ["yaml", "yml"].contains($0.pathExtension) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw CurateError("\(directory.path): cannot list templates — pass --templates DIR pointing at a folder of TASK.yaml files, or leave it out for the built-in ones")
        }
        try self.init(files: try files.map { ($0.path, try String(contentsOf: $0, encoding: .utf8)) }, origin: directory.path)
    }

    /// The templates shipped inside curate, so it renders from any folder.
    public static func builtin() throws -> TemplateLibrary {
        try TemplateLibrary(files: builtinFiles.map { ("built-in \($0.name)", $0.yaml) }, origin: "built-in")
    }

    /// The built-in templates, or a directory's when one is given.
    public static func load(directory: URL?) throws -> TemplateLibrary {
        try directory.map(TemplateLibrary.init(directory:)) ?? builtin()
    }

    init(files: [(path: String, yaml: String)], origin: String) throws {
        var sets: [String: TemplateSet] = [:]
        var sources: [String: String] = [:]
        for (path, yaml) in files {
            let set = try TemplateSet(yaml: yaml, file: path)
            if sets[set.task] != nil { throw CurateError("\(path): task '\(set.task)' is defined by two files") }
            sets[set.task] = set
            sources[set.task] = yaml
        }
        self.sets = sets
        self.sources = sources
        self.origin = origin
    }

    /// The sets for `tasks`, in that order, or an error naming the tasks that have none.
    public func sets(for tasks: [String]) throws -> [TemplateSet] {
        let missing = tasks.filter { sets[$0] == nil }
        guard missing.isEmpty else {
            throw CurateError("no templates for task \(missing.joined(separator: ", ")) — available: \(sets.keys.sorted().joined(separator: ", "))")
        }
        return tasks.map { sets[$0]! }
    }
}
