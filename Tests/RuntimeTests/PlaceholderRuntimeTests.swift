import XCTest

final class RuntimeTestsSmoke: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
