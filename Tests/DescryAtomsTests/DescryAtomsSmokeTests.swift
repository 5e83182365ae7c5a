import XCTest
@testable import DescryAtoms
@testable import DescryDescriptors

final class DescryAtomsModuleTests: XCTestCase {
    func testModuleLinks() { XCTAssertNotNil(DescryAtoms.self) }
}
