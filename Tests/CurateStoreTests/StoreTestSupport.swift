import CurateCore
import CurateStore
import Foundation

/// A store in a fresh temporary folder, removed by `cleanup`.
struct TemporaryStore {
    let folder: URL
    let store: Store

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-store-\(UUID().uuidString)")
        store = try Store(path: folder.appendingPathComponent("test.db").path)
    }

    func cleanup() { try? FileManager.default.removeItem(at: folder) }
}

func conversation(_ texts: [String], summary: String? = nil, line: Int = 1) -> Conversation {
    Conversation(externalID: "c\(line)",
                 turns: texts.enumerated().map { Turn(speaker: "#Person\($0.offset % 2 + 1)#", role: .other, text: $0.element) },
                 annotations: Annotations(summaries: summary.map { [$0] } ?? []),
                 provenance: Provenance(sourcePath: "f.jsonl", sourceSHA256: String(repeating: "0", count: 64), locator: "line \(line)"))
}
