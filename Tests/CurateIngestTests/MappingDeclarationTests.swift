import CurateCore
import CurateIngest
import Foundation
import XCTest

/// Mappings as a recipe declares them (decoded here from JSON, which YAML recipes become).
final class MappingDeclarationTests: XCTestCase {
    func declared(_ json: String, format: String) throws -> Preset {
        try JSONDecoder().decode(MappingDeclaration.self, from: Data(json.utf8)).preset(format: format, name: "mapping")
    }

    func testConversationPerRecordReadsNestedFieldsLabelsAndRoles() throws {
        let preset = try declared("""
            {"id": "ticket.id", "turns": "messages", "speaker": "from", "role": "kind", "text": "body", "time": "at",
             "topic": "ticket.category", "summary": "outcome", "rating": "score", "roles": {"agent": "assistant", "customer": "user"}}
            """, format: "jsonl")
        let all = try events(fixture: "helpdesk-tickets.jsonl", preset: preset)
        let ticket = try XCTUnwrap(all.first?.conversation)
        XCTAssertEqual(ticket.externalID, "T-1")
        XCTAssertEqual(ticket.turns.map(\.role), [.user, .assistant])
        XCTAssertEqual(ticket.turns.map(\.time), ["2024-05-01T09:00:00Z", "2024-05-01T09:02:00Z"])
        XCTAssertEqual(ticket.annotations.topics, ["billing"])
        XCTAssertEqual(ticket.annotations.summaries, ["Duplicate charge refunded."])
        XCTAssertEqual(ticket.annotations.rating?.value, 4)
        let missing = try XCTUnwrap(all.last?.rejection)
        XCTAssertTrue(missing.description.contains("helpdesk-tickets.jsonl:2: turn 1 has no text at 'messages.0.body'"), missing.description)
    }

    func testMessagePerRowTakesLabelsFromTheFirstRowThatHasThem() throws {
        let preset = try declared("""
            {"conversation": "chat_id", "order": "seq", "speaker": "sender", "role": "role", "text": "message",
             "roles": {"agent": "assistant", "customer": "user"}}
            """, format: "csv")
        let conversations = try events(fixture: "messages.csv", preset: preset).compactMap(\.conversation)
        XCTAssertEqual(conversations.map(\.externalID), ["c1", "c2"])
        XCTAssertEqual(conversations[0].turns.map(\.text), ["My parcel never arrived.", "Hi Maya! Let me check.", "It ships tomorrow."])
    }

    func testAColumnTheHeaderLacksStopsTheFileNamingTheColumnsItHas() throws {
        let preset = try declared(#"{"conversation": "chat_id", "speaker": "sender", "text": "body"}"#, format: "csv")
        XCTAssertThrowsError(try events(fixture: "messages.csv", preset: preset)) { error in
            XCTAssertTrue("\(error)".contains("messages.csv:1: field 'body' is missing — the header has 'chat_id', 'seq', 'sender', 'role', 'message'"),
                          "\(error)")
        }
    }

    func testXMLMappingByPathsReadsLikeThePreset() throws {
        let preset = try declared(#"{"conversation": "chat", "turn": "message", "speaker": "@sender", "text": ".", "time": "@time"}"#, format: "xml")
        let declaredTurns = try events(fixture: "adium.chatlog", preset: preset).compactMap(\.conversation).flatMap(\.turns)
        let presetTurns = try events(fixture: "adium.chatlog", preset: .adium).compactMap(\.conversation).flatMap(\.turns)
        XCTAssertEqual(declaredTurns, presetTurns)
        XCTAssertEqual(declaredTurns.count, 3)
    }

    func testConversationPathThatMatchesNothingNamesTheRoot() throws {
        let preset = try declared(#"{"conversation": "Session", "turn": "message", "speaker": "@sender", "text": "."}"#, format: "xml")
        XCTAssertThrowsError(try events(fixture: "adium.chatlog", preset: preset)) { error in
            XCTAssertTrue("\(error)".contains("adium.chatlog:1: no element matches the conversation path 'Session' — the root element is 'chat'"), "\(error)")
        }
    }

    func testMistakesAreRefusedWithWhatToWrite() throws {
        let cases: [(String, String, String)] = [
            (#"{"conversation": "k", "speker": "a", "text": "t"}"#, "csv", "unknown key 'speker'"),
            (#"{"speaker": "a", "text": "t"}"#, "csv", "give either 'turns'"),
            (#"{"turns": "m", "speaker": "a", "text": "t"}"#, "csv", "which a CSV cell cannot hold"),
            (#"{"conversation": "k", "speaker": "a", "text": "t", "roles": {"agent": "bot"}}"#, "csv", "role 'bot' for 'agent'"),
            (#"{"conversation": "chat", "turn": "message", "speaker": "//@sender", "text": "."}"#, "xml", "'//', '..', '*' and predicates are not supported"),
            (#"{"conversation": "k", "speaker": "a", "text": "t"}"#, "yaml", "unknown format 'yaml'"),
        ]
        for (json, format, expected) in cases {
            XCTAssertThrowsError(try declared(json, format: format), json) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(json): \(error)")
            }
        }
    }
}
