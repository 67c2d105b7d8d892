// How far `confn serve` lets its JavaScript heaps grow between full collections. V8 by default lets
// a heap's old generation reach about four times what was live after the last full collection
// before it collects again. An invocation keeps hundreds of Units in flight, long enough for their
// data and results to outlive the young generation's collections, so most of them die in the old
// generation: on `bench invoke` (10,000 Units, PGlite) the main thread's heap grew from ~70 MB live
// to ~290 MB before each full collection, each engine thread's from ~23 to ~115 MB, and that garbage
// was a third of the server's peak RSS (0.95-1.1 GiB). With growth limited to 1.5x, the peak was
// ~770 MB for the same throughput: a full collection of ~70 MB live costs ~15 ms, a few more of them
// per call are noise beside the call.
//
// The flag is process-wide (it covers the engine threads), read by V8 at each full collection, so
// it takes effect when set at start-up. A `--heap-growing-percent` given on node's command line wins.
import { setFlagsFromString } from "node:v8";

/** Old-generation growth between full collections, in percent of what stayed live (V8's default: up to ~300). */
export const SERVER_HEAP_GROWING_PERCENT = 50;

/** Limits heap growth for this process, unless node was started with its own setting. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return false;
  setFlagsFromString(`--heap-growing-percent=${SERVER_HEAP_GROWING_PERCENT}`);
  return true;
}
