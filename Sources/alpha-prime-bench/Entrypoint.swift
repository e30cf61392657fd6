import AlphaPrime

@main
struct Entrypoint {
    static func main() async { await BenchCommand.main() }
}
