/// The version every tool prints for `--version` and every report records.
public enum AlphaPrimeVersion {
    public static let string = "0.1.0"
}
