import XCTest

final class FrontendTestsSmoke: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
