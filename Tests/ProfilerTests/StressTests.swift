import CSampler
import CVM
import Foundation
import XCTest

@testable import Profiler

struct StressError: Error { var n: Int }

@inline(never) func stressRecurse(_ n: Int) -> Int {
    n == 0 ? Int(tj_test_busy_loop(2000)) & 1 : stressRecurse(n - 1) &+ n
}

@inline(never) func stressThrow(_ n: Int) throws -> Int {
    if n % 3 == 0 { throw StressError(n: n) }
    return n
}

/// Deep recursion, thrown errors, allocation and a pipe syscall: the answer must not change when
/// sampled at 10 kHz with libunwind walks.
func stressWorkload(rounds: Int) -> [Int] {
    var out: [Int] = []
    for r in 0..<rounds {
        out.append(stressRecurse(1500 + r % 7))
        var caught = 0
        for i in 0..<3000 {
            do { caught &+= try stressThrow(i) } catch let e as StressError { caught &+= e.n } catch {}
        }
        out.append(caught)
        var arrays: [[Int]] = []
        for i in 0..<2000 { arrays.append(Array(repeating: i, count: i % 50)) }
        out.append(arrays.reduce(0) { $0 &+ $1.count })
        var fds: [Int32] = [0, 0]
        if pipe(&fds) == 0 {
            var b: UInt8 = UInt8(r & 0xff), c: UInt8 = 0
            _ = write(fds[1], &b, 1)
            out.append(read(fds[0], &c, 1) == 1 ? Int(c) : -1)  // SA_RESTART: no EINTR surfaces
            close(fds[0]); close(fds[1])
        }
    }
    return out
}

final class StressTests: XCTestCase {
    func testSamplingAt10kHzChangesNothing() throws {
        let expected = stressWorkload(rounds: 20)
        for walk in [SamplerConfiguration.NativeWalk.libunwind, .framePointers] {
            let vm = FakeVM.twoFrames()
            var cfg = SamplerConfiguration()
            cfg.hz = 10_000
            cfg.nativeWalk = walk
            let sampler = Sampler(configuration: cfg, vmState: vm.state, frameLayout: FakeVM.layout)
            try sampler.start()
            let got = stressWorkload(rounds: 20)
            let raw = sampler.stop()
            XCTAssertEqual(got, expected)
            XCTAssertGreaterThan(raw.sampleCount, 0)
            // the recursion is deeper than the native depth limit: truncation is marked
            XCTAssertTrue(raw.samples.contains { $0.nativeTruncated && $0.native.count == Int(TJ_MAX_NATIVE_FRAMES) })
        }
    }

    /// perf events are per thread: a busy thread that is not the VM thread is never sampled.
    func testOnlyTheVMThreadIsSampled() throws {
        for timer in [SamplerConfiguration.Timer.automatic, .itimer] {
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var raw = RawProfile()
            nonisolated(unsafe) var failure: Error?
            let vmThread = Thread {
                let vm = FakeVM.twoFrames()
                var cfg = SamplerConfiguration()
                cfg.timer = timer
                let sampler = Sampler(configuration: cfg, vmState: vm.state, frameLayout: FakeVM.layout)
                do {
                    try sampler.start()
                    let t0 = tj_thread_cpu_ns()
                    while tj_thread_cpu_ns() - t0 < 200_000_000 { _ = profilerTestSwiftSpin(100_000) }
                    raw = sampler.stop()
                } catch { failure = error }
                done.signal()
            }
            vmThread.start()
            // meanwhile this thread burns CPU in a different, known function
            while done.wait(timeout: .now()) == .timedOut { _ = tj_test_busy_loop(100_000) }
            if let f = failure { throw f }
            let sym = Symbolizer()
            let names = raw.samples.map { s in s.native.enumerated().map { sym.symbolize($0.element, isReturnAddress: $0.offset > 0).name } }
            XCTAssertGreaterThan(raw.sampleCount, 0, "\(timer)")
            XCTAssertFalse(names.contains { $0.contains("tj_test_busy_leaf") || $0.contains("tj_test_busy_loop") }, "\(timer)")
            XCTAssertTrue(names.contains { $0.contains { $0.contains("profilerTestSwiftSpin") } }, "\(timer)")
        }
    }
}
