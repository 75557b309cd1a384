import { formatDelta, formatMs, formatMsDelta, formatPercent, formatScoreDelta, formatUsd, formatUsdDelta, shortRef } from "../../../src/core/report/format.js";

describe("report number formatting", () => {
  it("formats score deltas with a real minus, arrows and noise", () => {
    expect(formatDelta(0.1234)).toBe("+0.12");
    expect(formatDelta(-0.05)).toBe("−0.05");
    expect(formatDelta(-0.001)).toBe("0.00");
    expect(formatScoreDelta(0.12)).toBe("▲ +0.12");
    expect(formatScoreDelta(-0.11, { low: -0.2347, high: 0.001, level: 0.9 })).toBe("▼ −0.11 [−0.23, 0.00]");
    expect(formatScoreDelta(0.2, { low: 0.1, high: 0.31, level: 0.9 })).toBe("▲ +0.20 [+0.10, +0.31]");
    expect(formatScoreDelta(undefined)).toBe("—");
  });

  it("formats cost with precision that keeps small amounts visible", () => {
    expect(formatUsd(1.234)).toBe("$1.23");
    expect(formatUsd(0.0456)).toBe("$0.046");
    expect(formatUsd(0.0012)).toBe("$0.0012");
    expect(formatUsd(0.000034)).toBe("$0.000034");
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsdDelta(0.0012)).toBe("+$0.0012");
    expect(formatUsdDelta(-0.25)).toBe("−$0.250");
    expect(formatUsdDelta(0)).toBe("$0.00");
  });

  it("formats latency in ms and rates in percent", () => {
    expect(formatMs(1234.4)).toBe("1,234 ms");
    expect(formatMsDelta(120)).toBe("+120 ms");
    expect(formatMsDelta(-35.6)).toBe("−36 ms");
    expect(formatMsDelta(0.2)).toBe("0 ms");
    expect(formatPercent(0.8)).toBe("80%");
    expect(formatPercent(0.998)).toBe("99.8%");
  });

  it("shortens SHAs but not branch names", () => {
    expect(shortRef("0123456789abcdef0123456789abcdef01234567")).toBe("0123456");
    expect(shortRef("feature/new-prompt")).toBe("feature/new-prompt");
  });
});
