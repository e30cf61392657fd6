import AlphaPrimeCommands
import AlphaPrimeWebSocket

@main
struct Entrypoint {
    static func main() async {
        // The live market feed's WebSocket transport: linked into this tool alone.
        LiveFeedTransport.install(NIOWebSocketConnector())
        await EngineCommand.main()
    }
}
