/** Jest runs the TypeScript sources as ESM (NODE_OPTIONS=--experimental-vm-modules, see package.json). */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts", ".mts"],
  // The Netlify functions are `.mts` (ES modules whatever the package says), imported as `.mjs`;
  // only those are mapped (packages import real `.mjs` files).
  moduleFileExtensions: ["js", "mjs", "cjs", "ts", "mts", "json"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1", "^(\\.{1,2}/(?:.*/)?netlify/functions/[^/]+)\\.mjs$": "$1.mts" },
  transform: { "^.+\\.m?ts$": ["ts-jest", { useESM: true, diagnostics: { ignoreCodes: [151002] } }] },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  setupFilesAfterEnv: ["<rootDir>/test/support/nock-lifecycle.ts"],
  testTimeout: 20000,
};
