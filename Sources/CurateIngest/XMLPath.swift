import CurateCore

/// A small XPath subset that a streaming reader can answer without a DOM: element names
/// joined by `/`, relative to the element the path is read from, ending in one of
///
/// - `@name`: an attribute (`@sender`, `From/User/@FriendlyName`);
/// - `text()`: the element's own text, without its children's (`text()`, `Body/text()`);
/// - nothing: the element's whole text, descendants included, as XPath's `string()` gives it
///   (`Text`; `.` for the element itself, e.g. an Adium message's text inside `div`/`span`).
///
/// Names match local names, so default namespaces (Adium's) need no prefixes. Predicates,
/// `//`, `..` and axes are not supported: each would need the reader to look back or ahead.
public struct XMLPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public enum Value: Hashable, Sendable {
        case attribute(String)
        case ownText
        case allText
    }

    /// Element names below the context element, outermost first.
    public let elements: [String]
    public let value: Value
    public let description: String

    public init(_ path: String) throws {
        description = path
        var steps = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if steps.first == "" { steps.removeFirst() }
        if steps.first == "." { steps.removeFirst() }
        switch steps.last {
        case let last? where last.hasPrefix("@"):
            value = .attribute(String(last.dropFirst()))
            steps.removeLast()
        case "text()":
            value = .ownText
            steps.removeLast()
        default:
            value = .allText
        }
        var names = steps
        if case .attribute(let name) = value { names.append(name) }
        guard names.allSatisfy(Self.isName) else {
            throw CurateError("XML path '\(path)': use element names joined by '/', ending in '@attribute', 'text()' or an element (for all its text) — e.g. 'From/User/@FriendlyName'; '//', '..', '*' and predicates are not supported")
        }
        elements = steps
    }

    /// A path written in the source (a preset's): one that does not parse is a bug there.
    public init(stringLiteral path: String) {
        do { try self.init(path) } catch { preconditionFailure("\(error)") }
    }

    /// An element path (the conversation or turn element): no attribute or `text()` step.
    public init(elements path: String) throws {
        try self.init(path)
        guard value == .allText, !elements.isEmpty else {
            throw CurateError("XML path '\(path)' must name elements only, e.g. 'Posts/Post'")
        }
    }

    private static func isName(_ step: String) -> Bool {
        !step.isEmpty && step != "." && step != ".." && !step.contains { "@()[]*: ".contains($0) }
    }
}
