import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// A fixed-capacity ring of the last `capacity` values: storage is allocated once in `init` and
/// never grows, so pushing is O(1) with no allocation. The building block of the rolling windows.
@usableFromInline
struct FixedRing<Element>: Sendable where Element: Sendable {
    /// The slots; `storage.count == capacity` from `init` on.
    @usableFromInline var storage: [Element]
    /// The slot the next push writes: the oldest value once the ring is full.
    @usableFromInline var nextSlot: Int
    /// How many values the ring holds (at most `capacity`).
    @usableFromInline var count: Int

    @inlinable
    init(capacity: Int, filler: Element) {
        precondition(capacity >= 1, "a rolling window needs a capacity of at least 1")
        storage = Array(repeating: filler, count: capacity)
        nextSlot = 0
        count = 0
    }

    @inlinable var capacity: Int { storage.count }
    @inlinable var isFull: Bool { count == storage.count }

    /// The most recently pushed value (the ring must not be empty).
    @inlinable var newest: Element { storage[nextSlot == 0 ? storage.count - 1 : nextSlot - 1] }

    /// Appends `value`; when the ring was full, returns the value it displaced (the oldest).
    @inlinable @inline(__always) @discardableResult
    mutating func push(_ value: Element) -> Element? {
        let slot = nextSlot
        nextSlot = slot + 1 == storage.count ? 0 : slot + 1
        if count == storage.count {
            let oldest = storage[slot]
            storage[slot] = value
            return oldest
        }
        storage[slot] = value
        count += 1
        return nil
    }

    @inlinable
    mutating func removeAll() {
        nextSlot = 0
        count = 0
    }
}
