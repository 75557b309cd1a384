import { formatDiagnostic, sortDiagnostics } from "../../src/core/diagnostics.js";
import { blobFromBytes } from "../../src/core/files.js";

describe("diagnostics", () => {
  it("formats as file:line:col: severity: message [rule]", () => {
    expect(
      formatDiagnostic({ file: "a.prompt.yml", line: 3, column: 5, severity: "error", message: "bad", rule: "yaml-syntax" }),
    ).toBe("a.prompt.yml:3:5: error: bad [yaml-syntax]");
  });
  it("sorts by file, line and column", () => {
    const d = (file: string, line: number) => ({ file, line, column: 1, severity: "error" as const, message: "", rule: "r" });
    expect(sortDiagnostics([d("b", 1), d("a", 9), d("a", 2)]).map((x) => `${x.file}${x.line}`)).toEqual(["a2", "a9", "b1"]);
  });
});

describe("blobFromBytes", () => {
  it("strips a BOM, flags NUL bytes, invalid UTF-8 and large files", () => {
    expect(blobFromBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ kind: "text", text: "a", size: 4 });
    expect(blobFromBytes(new Uint8Array([0x61, 0, 0x62])).kind).toBe("binary");
    expect(blobFromBytes(new Uint8Array([0xff, 0xfe, 0x41])).kind).toBe("binary");
    expect(blobFromBytes(new Uint8Array(10), 5).kind).toBe("too-large");
  });
});
