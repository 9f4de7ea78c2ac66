import XCTest

final class CLITestsSmoke: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
