// Benchmark options: bench/run.ts takes bare words as benchmark names, so options are `--name=value`.

/** The value of `--name=value`, or undefined when it is not given. */
export function option(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
