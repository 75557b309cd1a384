// Reads test fixture files relative to the repository root (Jest runs from there).
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

export const FIXTURES = resolve("test/fixtures");

export function fixture(...parts: string[]): string {
  return readFileSync(join(FIXTURES, ...parts), "utf8");
}

export function fixtureBytes(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, ...parts)));
}

export function fixtureNames(...parts: string[]): string[] {
  return readdirSync(join(FIXTURES, ...parts)).sort();
}
