import CurateCore
import Foundation

/// Reads JSON columns back. Columns are written with `JSONValue` (fixed key order, byte-stable
/// across runs) and read with `JSONSerialization` plus each type's `init?(stored:)`.
enum StoredJSON {
    static func object(_ text: String, column: String) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw CurateError("the store's \(column) column holds invalid JSON (\(error)) — was the row edited by hand?")
        }
    }

    static func turns(_ text: String) throws -> [Turn] {
        guard let items = try object(text, column: "turns") as? [Any] else { throw CurateError("the store's turns column is not a list") }
        return try items.map { item in
            guard let turn = Turn(stored: item) else { throw CurateError("the store's turns column holds a malformed turn: \(item)") }
            return turn
        }
    }

    static func annotations(_ text: String) throws -> Annotations {
        guard let annotations = Annotations(stored: try object(text, column: "annotations")) else {
            throw CurateError("the store's annotations column is not an object")
        }
        return annotations
    }

    static func strings(_ text: String, column: String) throws -> [String] {
        guard let strings = try object(text, column: column) as? [String] else { throw CurateError("the store's \(column) column is not a list of strings") }
        return strings
    }
}
