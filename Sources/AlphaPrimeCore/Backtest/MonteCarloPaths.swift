import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Bits of a path's outcome.
enum PathFlag {
    static let dailyLossBreach: UInt8 = 1
    static let drawdownBreach: UInt8 = 2
    static let profitTargetFirst: UInt8 = 4
    static let breachFirst: UInt8 = 8
}

/// One path's outcome: final return and max drawdown as fractions, and its ``PathFlag`` bits.
struct PathOutcome: Equatable {
    var finalReturn: Double
    var maxDrawdown: Double
    var flags: UInt8
}

/// A simulation whose paths can be run independently, in any order, on any thread.
protocol PathSimulation: Sendable {
    /// Runs paths `a` and `b`, each from its own generator stream, reading only immutable inputs. Each
    /// outcome depends only on the inputs and its own index (`run(i, i)` gives path i twice).
    func run(_ a: Int, _ b: Int) -> (PathOutcome, PathOutcome)
}

/// The amount of a limit: `fraction` of `base`, rounded up to the paisa, at least one paisa.
@inline(__always)
func limitAmount(_ fraction: Double, of base: Int64) -> Int64 {
    base <= 0 ? 1 : Swift.max(1, Int64((fraction * Double(base)).rounded(.up)))
}

/// Where the workers write: the base addresses of the preallocated per-path result arrays. Every path
/// index is written by exactly one worker, so the slots are never shared.
// @unchecked: raw pointers into arrays that outlive the workers; disjoint indices per worker.
private struct PathSlots: @unchecked Sendable {
    let finalReturn: UnsafeMutablePointer<Double>
    let maxDrawdown: UnsafeMutablePointer<Double>
    let flags: UnsafeMutablePointer<UInt8>

    func store(_ outcome: PathOutcome, at path: Int) {
        finalReturn[path] = outcome.finalReturn
        maxDrawdown[path] = outcome.maxDrawdown
        flags[path] = outcome.flags
    }
}

extension MonteCarlo {
    /// Paths per block: the unit of work handed to a worker (even: paths run in pairs).
    static let blockSize = 64

    /// Runs every path of `simulation` and returns the outcomes indexed by path.
    ///
    /// Paths are cut into blocks of ``blockSize``, the items of a ``WorkerPool``; every path's outcome
    /// is written into its own slot of preallocated arrays. With `threads` nil the blocks are dealt out
    /// to every core as it frees up (other processes may hold one). With an explicit number W, worker w
    /// runs blocks w, w + W, w + 2W, … (W = 1 runs them all on the calling thread). The outcome of a
    /// path depends only on the inputs and its index, so the result is the same either way.
    static func simulate<S: PathSimulation>(_ simulation: S, simulations: Int, threads: Int?) -> Paths {
        var finalReturn = [Double](repeating: 0, count: simulations)
        var maxDrawdown = [Double](repeating: 0, count: simulations)
        var flags = [UInt8](repeating: 0, count: simulations)
        let blocks = (simulations + blockSize - 1) / blockSize
        finalReturn.withUnsafeMutableBufferPointer { fr in
            maxDrawdown.withUnsafeMutableBufferPointer { dd in
                flags.withUnsafeMutableBufferPointer { fl in
                    let slots = PathSlots(finalReturn: fr.baseAddress!, maxDrawdown: dd.baseAddress!,
                                          flags: fl.baseAddress!)
                    WorkerPool(threads: threads).forEach(blocks) { block in
                        let end = Swift.min(simulations, (block + 1) * blockSize)
                        var path = block * blockSize
                        while path + 1 < end {
                            let (a, b) = simulation.run(path, path + 1)
                            slots.store(a, at: path)
                            slots.store(b, at: path + 1)
                            path += 2
                        }
                        if path < end { slots.store(simulation.run(path, path).0, at: path) }
                    }
                }
            }
        }
        return Paths(finalReturn: finalReturn, maxDrawdown: maxDrawdown, flags: flags)
    }
}
