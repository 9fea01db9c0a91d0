import CurateClean
import CurateCore
import XCTest

/// Expected outputs are worked out by hand from the normalizer's contract: NFC, LF line breaks,
/// no zero-width characters or BOMs, whitespace runs folded, blank edge lines dropped,
/// everything else (case, punctuation, tokenization artifacts) left alone.
final class TextNormalizerTests: XCTestCase {
    private let normalizer = TextNormalizer()
    private func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    func testComposesToNFC() {
        XCTAssertEqual(scalars(normalizer.normalize("Cafe\u{301} A\u{30A}")), scalars("Caf\u{E9} \u{C5}"))
    }

    func testLineBreaksBecomeLF() {
        XCTAssertEqual(normalizer.normalize("a\r\nb\rc\nd"), "a\nb\nc\nd")
        XCTAssertEqual(scalars(normalizer.normalize("a\r\n\r\nb")), scalars("a\n\nb"))
        XCTAssertEqual(scalars(normalizer.normalize("a\r\rb")), scalars("a\n\nb"), "two CRs are two line breaks")
        XCTAssertEqual(scalars(normalizer.normalize("a\n\rb")), scalars("a\n\nb"), "LF CR is two line breaks")
        XCTAssertFalse(normalizer.normalize("x\r\ny\rz").unicodeScalars.contains("\r"))
    }

    func testZeroWidthCharactersAndBOMRemoved() {
        XCTAssertEqual(normalizer.normalize("\u{FEFF}Hel\u{200B}lo wor\u{2060}ld"), "Hello world")
        // ZWJ and ZWNJ carry meaning (emoji sequences, Persian and Indic shaping) and are kept.
        XCTAssertEqual(normalizer.normalize("👩\u{200D}👧 می\u{200C}خواهم"), "👩\u{200D}👧 می\u{200C}خواهم")
        XCTAssertEqual(normalizer.normalize("\u{FEFF}"), "")
    }

    func testSpaceRunsFolded() {
        XCTAssertEqual(normalizer.normalize("a  b\t\tc \t d"), "a b c d")
        XCTAssertEqual(normalizer.normalize("a\u{A0}\u{A0}b"), "a b", "no-break spaces are whitespace too")
        // Folding is per line: line breaks survive, edge spaces of each line go.
        XCTAssertEqual(normalizer.normalize("  first   line  \n\t second\tline \t"), "first line\nsecond line")
    }

    /// Unicode spaces (ideographic U+3000, thin U+2009, narrow no-break U+202F) fold like
    /// ASCII spaces; NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR are line breaks.
    func testUnicodeSpacesAndLineSeparators() {
        XCTAssertEqual(normalizer.normalize("a\u{3000}b\u{2009}\u{2009}c\u{202F}d"), "a b c d")
        XCTAssertEqual(normalizer.normalize("a\u{85}b\u{2028}c\u{2029}d"), "a\nb\nc\nd")
        XCTAssertEqual(normalizer.normalize("a\u{0B}b\u{0C}c"), "a b c", "vertical tab and form feed are spaces")
    }

    func testBlankEdgeLinesDroppedInnerBlankLinesKept() {
        XCTAssertEqual(normalizer.normalize("\n\n  \nHello\n\nWorld\n \t\n\n"), "Hello\n\nWorld")
        XCTAssertEqual(normalizer.normalize("a\n\n\nb"), "a\n\n\nb")
        XCTAssertEqual(normalizer.normalize(""), "")
        XCTAssertEqual(normalizer.normalize(" \r\n\t \n"), "")
    }

    func testCasePunctuationAndTokenizationArtifactsUntouched() {
        for text in ["I ' Ve got it , you know ... WAIT !", "#Person1#: Hi, Mr. Smith. I'm Doctor Hawkins.",
                     "don't DON'T Don ' t", "ALL CAPS? \"quoted\" (parens) — dash – en", "naïve façade 😀"] {
            XCTAssertEqual(scalars(normalizer.normalize(text)), scalars(text), text)
        }
    }

    func testIdempotent() {
        let messy = "\u{FEFF}  #Person1#:  Cafe\u{301}\u{200B} ?\r\n\r\n\r\n#Person2#:\tI ' Ve  no idea.\r\n  "
        let once = normalizer.normalize(messy)
        XCTAssertEqual(scalars(once), scalars("#Person1#: Caf\u{E9} ?\n\n\n#Person2#: I ' Ve no idea."))
        XCTAssertEqual(scalars(normalizer.normalize(once)), scalars(once))
    }

    // MARK: - Conversations

    func testConversationNormalizesTurnsSpeakersSummariesTopics() {
        let provenance = Provenance(sourcePath: "dialogsum/train.jsonl", sourceSHA256: "abc", locator: "line 3")
        let conversation = Conversation(
            externalID: " train_1 ",
            turns: [
                Turn(speaker: " #Person1# ", role: .user, text: "Hello\u{200B}  there\r\n", time: "10:00 "),
                Turn(speaker: "#Person2#\t", role: .assistant, text: "Cafe\u{301}?"),
            ],
            annotations: Annotations(summaries: ["  A   greets B.\r\n"], topics: ["\u{FEFF}greeting "],
                                     rating: Rating(value: 4, original: "4 ", scale: "1-5")),
            provenance: provenance)

        let clean = normalizer.normalize(conversation)

        XCTAssertEqual(clean.turns.map(\.speaker), ["#Person1#", "#Person2#"])
        XCTAssertEqual(clean.turns.map(\.text), ["Hello there", "Caf\u{E9}?"])
        XCTAssertEqual(scalars(clean.turns[1].text), scalars("Caf\u{E9}?"))
        XCTAssertEqual(clean.turns.map(\.role), [.user, .assistant])
        XCTAssertEqual(clean.annotations.summaries, ["A greets B."])
        XCTAssertEqual(clean.annotations.topics, ["greeting"])
        // Not part of the clean stage's remit: left as they were.
        XCTAssertEqual(clean.turns[0].time, "10:00 ")
        XCTAssertEqual(clean.externalID, " train_1 ")
        XCTAssertEqual(clean.annotations.rating, conversation.annotations.rating)
        XCTAssertEqual(clean.provenance, provenance)
    }

    func testTurnWithEntitySpansKeepsTextByteForByte() {
        // "Paris" is scalars 11..<16 of the original text: C a f e ◌́ ZWSP ␠ ␠ i n ␠ P (é is two scalars).
        let text = "Cafe\u{301}\u{200B}  in Paris\r\n"
        let span = EntitySpan(label: "LOC", start: 11, end: 16, text: "Paris")
        let conversation = Conversation(
            externalID: nil,
            turns: [Turn(speaker: " Guide ", role: .user, text: text, entities: [span]),
                    Turn(speaker: "Guest", role: .user, text: text)],
            annotations: Annotations(),
            provenance: Provenance(sourcePath: "x", sourceSHA256: "y", locator: "line 1"))

        let clean = normalizer.normalize(conversation)

        XCTAssertEqual(Array(clean.turns[0].text.utf8), Array(text.utf8), "a turn with spans must keep its text")
        XCTAssertEqual(clean.turns[0].entities, [span])
        XCTAssertEqual(clean.turns[0].speaker, "Guide", "the speaker is still normalized")
        let kept = Array(clean.turns[0].text.unicodeScalars)
        if kept.count >= span.end {  // guarded so a regression fails the test instead of trapping
            XCTAssertEqual(String(String.UnicodeScalarView(kept[span.start..<span.end])), "Paris")
        }
        // The same text without spans is normalized.
        XCTAssertEqual(scalars(clean.turns[1].text), scalars("Caf\u{E9} in Paris"))
    }
}
