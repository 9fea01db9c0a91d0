import CurateCore
import CurateIngest
import Foundation
import XCTest

/// Reads a committed fixture with a preset and returns every event in order.
func events(fixture name: String, preset: Preset, file: StaticString = #filePath, line: UInt = #line) throws -> [IngestEvent] {
    let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"), file: file, line: line)
    let source = try SourceFile(path: url.path)
    var events: [IngestEvent] = []
    try Ingestor(preset: preset).read(source) { events.append($0) }
    return events
}

extension IngestEvent {
    var conversation: Conversation? { if case .conversation(let c) = self { c } else { nil } }
    var rejection: Diagnostic? { if case .rejected(let d) = self { d } else { nil } }
}
