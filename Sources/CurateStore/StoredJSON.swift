import Foundation

/// Reads JSON columns back. Columns are written with `JSONValue` (fixed key order, byte-stable
/// across runs); reading goes through `Decodable`, which does not care about order.
enum StoredJSON {
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
