import XCTest
@testable import Runtime

final class ValueTests: XCTestCase {
    func testConstants() {
        XCTAssertTrue(Value.nil.isNil)
        XCTAssertTrue(Value.nil.isFalsy)
        XCTAssertTrue(Value.false.isFalsy)
        XCTAssertFalse(Value.true.isFalsy)
        XCTAssertFalse(Value(0.0).isFalsy)
        XCTAssertEqual(Value.nil.typeName, "nil")
        XCTAssertEqual(Value.true.typeName, "boolean")
        XCTAssertEqual(Value(1.5).typeName, "number")
        XCTAssertEqual(Value.nil.bits, TJ_VALUE_NIL)
        XCTAssertEqual(Value.false.bits, TJ_VALUE_FALSE)
        XCTAssertEqual(Value.true.bits, TJ_VALUE_TRUE)
    }
}
