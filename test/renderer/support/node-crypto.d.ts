/**
 * The in-memory workgraph (fake-agency.ts) runs in Node and hashes identities with the app's own
 * src/core/agency/hash.ts. This project is type-checked without Node's types (it is the renderer's),
 * so the one function that module uses is declared here.
 */
declare module 'node:crypto' {
  interface Hash {
    update(data: string, encoding: 'utf8'): Hash;
    digest(encoding: 'hex'): string;
  }
  export function createHash(algorithm: 'sha256'): Hash;
}
