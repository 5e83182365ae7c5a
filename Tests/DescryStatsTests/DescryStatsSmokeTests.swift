import XCTest
@testable import DescryStats

final class DescryStatsModuleTests: XCTestCase {
    func testModuleLinks() { XCTAssertNotNil(DescryStats.self) }
}
