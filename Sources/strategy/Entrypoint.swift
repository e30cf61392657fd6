import AlphaPrimeCommands

@main
struct Entrypoint {
    static func main() async { await StrategyCommand.main() }
}
