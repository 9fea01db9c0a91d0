import CurateCore

/// Reads JSON columns back. Columns are written with `JSONValue` (fixed key order, byte-stable
/// across runs) and read with `JSONParser` plus each type's `init?(stored:)`.
enum StoredJSON {
    static func value(_ text: String, column: String) throws -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            throw CurateError("the store's \(column) column holds invalid JSON (\(error)) — was the row edited by hand?")
        }
    }

    static func turns(_ text: String) throws -> [Turn] {
        guard let items = try value(text, column: "turns").arrayValue else { throw CurateError("the store's turns column is not a list") }
        return try items.map { item in
            guard let turn = Turn(stored: item) else { throw CurateError("the store's turns column holds a malformed turn: \(item.text())") }
            return turn
        }
    }

    static func annotations(_ text: String) throws -> Annotations {
        guard let annotations = Annotations(stored: try value(text, column: "annotations")) else {
            throw CurateError("the store's annotations column is not an object")
        }
        return annotations
    }

    static func strings(_ text: String, column: String) throws -> [String] {
        guard let strings = try value(text, column: column).arrayValue?.compactMap(\.stringValue) else {
            throw CurateError("the store's \(column) column is not a list of strings")
        }
        return strings
    }

    static func ids(_ text: String, column: String) throws -> [Int64] {
        guard let ids = try value(text, column: column).arrayValue?.compactMap(\.intValue) else {
            throw CurateError("the store's \(column) column is not a list of ids")
        }
        return ids.map(Int64.init)
    }
}
