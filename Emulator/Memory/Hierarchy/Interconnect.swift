// Interconnect: node-to-node hop counts for ring, 2D mesh, hypercube and crossbar topologies,
// and the one-way latency of a coherence message: 0 within a node, otherwise
// routerLatency + hops * hopLatency (precomputed per node pair).

struct Interconnect {
    let nodes: Int
    let latency: [UInt32]      // nodes x nodes one-way message latency
    let hopCount: [Int]

    init(_ d: MachineDescription) {
        nodes = d.nodes
        var lat = [UInt32](repeating: 0, count: nodes * nodes)
        var hc = [Int](repeating: 0, count: nodes * nodes)
        let cols = Self.meshColumns(d)
        for a in 0 ..< nodes {
            for b in 0 ..< nodes where a != b {
                let h = Self.hops(d.topology.kind, a, b, nodes: nodes, columns: cols)
                hc[a * nodes + b] = h
                lat[a * nodes + b] = UInt32(d.topology.routerLatency + h * d.topology.hopLatency)
            }
        }
        latency = lat
        hopCount = hc
    }

    static func meshColumns(_ d: MachineDescription) -> Int {
        if d.topology.meshColumns > 0 { return d.topology.meshColumns }
        var c = 1
        var i = 1
        while i * i <= d.nodes { if d.nodes % i == 0 { c = i }; i += 1 }
        return d.nodes / c   // columns >= rows
    }

    /// Minimal hop count between two distinct nodes.
    static func hops(_ kind: TopologyKind, _ a: Int, _ b: Int, nodes: Int, columns: Int) -> Int {
        switch kind {
        case .ring:
            let d = abs(a - b)
            return min(d, nodes - d)
        case .mesh:
            return abs(a % columns - b % columns) + abs(a / columns - b / columns)
        case .hypercube:
            return (a ^ b).nonzeroBitCount
        case .crossbar:
            return 1
        }
    }

    @inline(__always) func message(_ from: Int, _ to: Int) -> UInt32 { latency[from &* nodes &+ to] }
    func hops(_ a: Int, _ b: Int) -> Int { hopCount[a * nodes + b] }
}
