// The answer to the server's Heartbeat: Completed, and "MemoryPressure" as the message when less
// than 200 MB is free, which the server shows as the worker's LastMessage (spec §4).
import { freemem } from "node:os";
import { MEMORY_PRESSURE_MESSAGE, type ActionResult } from "../worker-protocol/index.ts";

const MEMORY_PRESSURE_BELOW_BYTES = 200 * 1024 * 1024;

/**
 * Bytes this process could still use: the machine's available memory, or less when a cgroup limit
 * (a container's memory limit) leaves less room above what the process already holds.
 */
export function freeMemory(): number {
  const available = freemem();
  const limit = process.constrainedMemory?.() ?? 0;
  // Without a limit, Node reports 0 or a huge sentinel value; only a real limit narrows the answer.
  if (limit > 0 && limit < Number.MAX_SAFE_INTEGER / 2) {
    return Math.min(available, Math.max(0, limit - process.memoryUsage.rss()));
  }
  return available;
}

export function heartbeatResult(free: number = freeMemory()): ActionResult {
  const now = new Date().toISOString();
  return {
    Action: "Heartbeat",
    Status: "Completed",
    Result: "None",
    Message: free < MEMORY_PRESSURE_BELOW_BYTES ? MEMORY_PRESSURE_MESSAGE : "",
    StartedAt: now,
    TerminatedAt: now,
  };
}
