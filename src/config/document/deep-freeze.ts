// Plain values handed out from caches are frozen, so a caller that mutates one gets a TypeError at the
// mutation instead of silently corrupting what the next caller reads.
export function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current !== null && typeof current === "object" && !Object.isFrozen(current)) {
      Object.freeze(current);
      for (const child of Object.values(current)) stack.push(child);
    }
  }
  return value;
}
