// The error a call throws, for assertions on its code and fields; fails the test when it throws nothing.
export function thrown<E = Error>(fn: () => unknown): E {
  try {
    fn();
  } catch (error) {
    return error as E;
  }
  throw new Error("expected the call to throw");
}
