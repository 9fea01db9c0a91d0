import CurateCore
import XCTest

final class EntityListTests: XCTestCase {
    typealias Entry = EntityList.Entry

    func testFormatIsReadableAndNoneIsExplicit() {
        XCTAssertEqual(EntityList.format([Entry(label: "person", text: "Anna"), Entry(label: "city", text: "Paris")]),
                       "person: Anna; city: Paris")
        XCTAssertEqual(EntityList.format([]), "none")
        XCTAssertEqual(EntityList.parse("None"), [])
    }

    func testRoundTripsAwkwardSpans() {
        let awkward = [Entry(label: "order_id", text: "NW-48213; NW-48214"), Entry(label: "path", text: #"C:\temp\; x"#),
                       Entry(label: "time", text: "half past 11: in the morning"), Entry(label: "city", text: "São Paulo")]
        XCTAssertEqual(EntityList.parse(EntityList.format(awkward)), awkward)
    }

    func testTextThatIsNotAListFailsToParse() {
        XCTAssertNil(EntityList.parse("There are no entities here."))
        XCTAssertNil(EntityList.parse(""))
        XCTAssertNil(EntityList.parse("person: Anna; Paris"))
    }
}
