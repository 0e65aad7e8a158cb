// A valid TypeScript module with one stray byte in a comment.
export function greet(name: string): string {
  // cafÿ
  return `Hello, ${name}`;
}
