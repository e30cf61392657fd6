extension Array where Element: Comparable {
    /// In an array sorted ascending, how many elements are less than `value` (the index where
    /// `value` would be inserted before its equals); a binary search.
    public func countLess(than value: Element) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
