// SelfTest: checks, on each CPU, classes with dynamic dispatch, a generic function over a
// protocol, Array, Dictionary and Optional; returns the number of failed checks (and prints
// the ones that fail).

class Shape {
    func area() -> Int { 0 }
    func kind() -> Int { 1 }
}

class Rectangle: Shape {
    let width: Int, height: Int
    init(width: Int, height: Int) { self.width = width; self.height = height }
    override func area() -> Int { width * height }
    override func kind() -> Int { 2 }
}

final class Square: Rectangle {
    init(side: Int) { super.init(width: side, height: side) }
    override func kind() -> Int { 3 }
}

protocol Weighted {
    var weight: Int { get }
}

struct Parcel: Weighted {
    var weight: Int
}

extension Int: Weighted {
    var weight: Int { self }
}

func totalWeight<T: Weighted>(_ items: [T]) -> Int {
    var sum = 0
    for item in items { sum += item.weight }
    return sum
}

func selfTest(cpu: Int) -> Int {
    var failed = 0
    func check(_ ok: Bool, _ what: StaticString) {
        if !ok {
            failed += 1
            Console.write("CPU ")
            Console.write(decimal: cpu)
            Console.write(": check failed: ")
            Console.write(what)
            Console.write("\n")
        }
    }

    // Dynamic dispatch through a class hierarchy.
    let shapes: [Shape] = [Shape(), Rectangle(width: 3, height: 4 + cpu), Square(side: cpu + 2)]
    let areas = shapes.map { $0.area() }
    check(areas == [0, 3 * (4 + cpu), (cpu + 2) * (cpu + 2)], "class areas")
    check(shapes.map { $0.kind() } == [1, 2, 3], "overridden methods")
    check(shapes.filter { $0 is Rectangle }.count == 2, "dynamic casts")

    // A generic function over a protocol, specialised for two types.
    check(totalWeight([Parcel(weight: 5), Parcel(weight: cpu)]) == 5 + cpu, "generic over structs")
    check(totalWeight(Array(1...10)) == 55, "generic over Int")

    // Dictionary with enough entries to grow several times.
    var squares: [Int: Int] = [:]
    for i in 0..<50 { squares[i] = i * i + cpu }
    var sum = 0
    for (_, v) in squares { sum += v }
    check(squares.count == 50, "dictionary count")
    check(sum == 40425 + 50 * cpu, "dictionary sum")
    squares[7] = nil
    check(squares.count == 49 && squares[7] == nil && squares[8] == 64 + cpu, "dictionary removal")

    // Optional.
    let found: Int? = squares[9]
    let missing: Int? = squares[1000]
    check(found.map { $0 - cpu } == 81 && missing == nil && (missing ?? -1) == -1, "optionals")

    // Array growth, sorting and slicing.
    var numbers: [Int] = []
    for i in 0..<100 { numbers.append((i * 37 + cpu) % 101) }
    numbers.sort()
    check(numbers.count == 100 && numbers.first! <= numbers.last! && numbers[10..<20].count == 10, "array")
    return failed
}
