import CurateCore
import XCTest

/// Expected digests are the FIPS 180-4 / NIST example vectors, re-checked with Python's
/// `hashlib.sha256(...).hexdigest()` when these tests were written.
final class SHA256Tests: XCTestCase {
    func testEmptyString() {
        XCTAssertEqual(SHA256.hex(of: ""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testABC() {
        XCTAssertEqual(SHA256.hex(of: "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// 448 bits: the padding no longer fits in the message's own block, so two blocks are compressed.
    func testTwoBlockMessage() {
        XCTAssertEqual(SHA256.hex(of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testEightHundredNinetySixBitMessage() {
        let message = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        XCTAssertEqual(SHA256.hex(of: message), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    /// One million 'a' fed in uneven chunk sizes (1, 63, 64, 65, 127, …), so the pending-tail
    /// path is entered, filled exactly, overfilled, and bypassed for whole blocks.
    func testMillionAInUnevenChunks() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let chunkSizes = [1, 63, 64, 65, 127, 3, 200, 7, 1000, 0, 61, 4096]
        var hasher = SHA256()
        var fed = 0
        var i = 0
        while fed < 1_000_000 {
            let n = min(chunkSizes[i % chunkSizes.count], 1_000_000 - fed)
            hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: n))
            fed += n
            i += 1
        }
        XCTAssertEqual(hasher.hexDigest(), expected)

        // The same bytes in one call must agree.
        var oneShot = SHA256()
        oneShot.update([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        XCTAssertEqual(oneShot.hexDigest(), expected)
    }

    /// A non-contiguous sequence goes through the copying path of `update`.
    func testNonContiguousSequence() {
        var hasher = SHA256()
        hasher.update("abc".utf8.lazy.map { $0 })
        XCTAssertEqual(hasher.hexDigest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// Messages of 55, 56, 63, 64 bytes sit on the padding boundaries; every split point of
    /// them must give the one-shot digest.
    func testEverySplitPointAroundPaddingBoundaries() {
        for length in [55, 56, 57, 63, 64, 65, 119, 120] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var whole = SHA256()
            whole.update(bytes)
            let expected = whole.hexDigest()
            for cut in 0...length {
                var split = SHA256()
                split.update(bytes[0..<cut])
                split.update(bytes[cut...])
                XCTAssertEqual(split.hexDigest(), expected, "length \(length) cut at \(cut)")
            }
        }
    }

    func testHexFormatting() {
        XCTAssertEqual(SHA256.hex([0x00, 0x0f, 0xa0, 0xff]), "000fa0ff")
        XCTAssertEqual(SHA256.hex([]), "")
    }
}
