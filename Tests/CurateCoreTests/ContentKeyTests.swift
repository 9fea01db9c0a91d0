import CurateCore
import XCTest

final class ContentKeyTests: XCTestCase {
    private func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    func testNormalizedComposesToNFC() {
        let decomposed = "caf\u{65}\u{301}"  // e + combining acute
        let composed = "caf\u{E9}"
        XCTAssertNotEqual(scalars(decomposed), scalars(composed))
        XCTAssertEqual(scalars(ContentKey.normalized(decomposed)), scalars(composed))
        XCTAssertEqual(scalars(ContentKey.normalized(composed)), scalars(composed))
    }

    func testNormalizedFoldsWhitespaceRunsAndTrims() {
        XCTAssertEqual(ContentKey.normalized("  a  \t b\n\n c \u{A0} "), "a b c")
        XCTAssertEqual(ContentKey.normalized("line one\r\nline two"), "line one line two")
        XCTAssertEqual(ContentKey.normalized("line one\nline two"), ContentKey.normalized("line one\r\nline two"))
        XCTAssertEqual(ContentKey.normalized(" \t\r\n "), "")
        XCTAssertEqual(ContentKey.normalized(""), "")
    }

    func testNormalizedDropsInvisibleCharacters() {
        XCTAssertEqual(ContentKey.normalized("\u{FEFF}Hel\u{200B}lo\u{2060} world"), "Hello world")
        XCTAssertEqual(ContentKey.conversation([turn("Hello")]), ContentKey.conversation([turn("Hel\u{200B}lo")]))
    }

    func testNormalizedKeepsCaseAndPunctuation() {
        XCTAssertEqual(ContentKey.normalized("I ' Ve GOT it, OK?!"), "I ' Ve GOT it, OK?!")
        XCTAssertNotEqual(ContentKey.conversation([turn("Hello")]), ContentKey.conversation([turn("hello")]))
        XCTAssertNotEqual(ContentKey.conversation([turn("Hello.")]), ContentKey.conversation([turn("Hello")]))
    }

    /// Expected value computed with Python, each field prefixed by its UTF-8 length as 8 bytes
    /// little-endian: m = sha256(); for f in ["Hello there!", "Hi, café."]:
    /// b = f.encode(); m.update(struct.pack("<Q", len(b))); m.update(b)
    func testConversationKeyValue() {
        let turns = [turn("  Hello   there!\r\n", speaker: "#Person1#"), turn("Hi, cafe\u{301}.", speaker: "#Person2#")]
        XCTAssertEqual(ContentKey.conversation(turns), "e2fee2c7201e9c64ae7ddf856b06a5fbd61265f179a3ad0cb8980831548429ff")
    }

    func testConversationKeyIgnoresSpeakersAndRoles() {
        let a = [Turn(speaker: "#Person1#", role: .user, text: "Hi"), Turn(speaker: "#Person2#", role: .assistant, text: "Hello")]
        let b = [Turn(speaker: "Alice", role: .other, text: "Hi"), Turn(speaker: "Bob", role: .other, text: "Hello")]
        XCTAssertEqual(ContentKey.conversation(a), ContentKey.conversation(b))
    }

    func testSeparatorCharactersInsideTextCannotForgeABoundary() {
        XCTAssertNotEqual(ContentKey.conversation([turn("a\u{1E}b")]), ContentKey.conversation([turn("a"), turn("b")]))
    }

    func testConversationKeyRespectsTurnBoundaries() {
        let base = ContentKey.conversation([turn("ab"), turn("c")])
        XCTAssertNotEqual(base, ContentKey.conversation([turn("a"), turn("bc")]))
        XCTAssertNotEqual(ContentKey.conversation([turn("a b")]), ContentKey.conversation([turn("a"), turn("b")]))
        XCTAssertNotEqual(ContentKey.conversation([turn("a")]), ContentKey.conversation([turn("a"), turn("")]))
        XCTAssertNotEqual(ContentKey.conversation([turn("x"), turn("y")]), ContentKey.conversation([turn("y"), turn("x")]))
    }

    func testEmptyConversationIsHashOfNothing() {
        XCTAssertEqual(ContentKey.conversation([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// Python, length-prefixed as above, over ["summarize", "Dialogue:  a\tb ", "A greets B."]:
    /// example keys hash the rendered text as it is.
    func testExampleKeyValueAndSeparation() {
        let key = ContentKey.example(task: "summarize", prompt: "Dialogue:  a\tb ", target: "A greets B.")
        XCTAssertEqual(key, "8fa275f08f65d7e1eb77de4ec7d263bf4e7515bcab90a97cbd5f8653472430f0")
        XCTAssertNotEqual(key, ContentKey.example(task: "topic", prompt: "Dialogue:  a\tb ", target: "A greets B."))
        XCTAssertNotEqual(ContentKey.example(task: "t", prompt: "ab", target: "c"),
                          ContentKey.example(task: "t", prompt: "a", target: "bc"))
    }

    private func turn(_ text: String, speaker: String = "A") -> Turn {
        Turn(speaker: speaker, role: .user, text: text)
    }
}
