import XCTest
final class JITPlaceholderTests: XCTestCase { func testNothing() {} }
