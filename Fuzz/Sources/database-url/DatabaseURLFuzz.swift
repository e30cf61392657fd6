/// libFuzzer's entry: one `DATABASE_URL` through its parser. A crash, a trap or a finding of
/// ``DatabaseURLFuzzCheck`` fails the run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes: [UInt8] = if let data, size > 0 { Array(UnsafeBufferPointer(start: data, count: size)) } else { [] }
    let findings = DatabaseURLFuzzCheck.findings(bytes)
    if !findings.isEmpty { fatalError(findings.joined(separator: "\n")) }
    return 0
}
