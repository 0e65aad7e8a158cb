// Planted on purpose: this function is also a snippet of conf/benchmarks/sample_eval.jsonl,
// so the filter's decontamination step must reject it (reason decontaminated:sample-eval).

/** Return the n-th Fibonacci number, computed iteratively. */
export function fibonacciIterative(n: number): number {
  let previous = 0;
  let current = 1;
  for (let step = 0; step < n; step += 1) {
    const next = previous + current;
    previous = current;
    current = next;
  }
  return previous;
}
