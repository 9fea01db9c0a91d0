import Foundation

/// Committed fixtures under Tests/CurateEvalTests/Fixtures.
enum TestFiles {
    static func fixture(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)!
    }
}
