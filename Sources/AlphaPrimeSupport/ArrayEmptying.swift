extension Array {
    /// Empties the array and keeps its storage for reuse, without the general range replacement
    /// `removeAll(keepingCapacity:)` runs even on an empty array: nothing happens to an empty
    /// array, and a single element is removed in place. For the small scratch lists of a hot loop
    /// (fills of a bar, orders to route).
    @inlinable @inline(__always)
    public mutating func removeAllKeepingCapacity() {
        switch count {
        case 0: return
        case 1: removeLast()
        default: removeAll(keepingCapacity: true)
        }
    }
}
