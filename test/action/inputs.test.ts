// The Action's inputs as the runner sets them: INPUT_<NAME>, hyphens kept.

import { InputError, inputVariable, readInputs, secretInputs } from "../../src/action/inputs.js";

const env = (inputs: Record<string, string>) => Object.fromEntries(Object.entries(inputs).map(([k, v]) => [inputVariable(k), v]));

describe("Action inputs", () => {
  it("reads hyphenated names as the runner spells them", () => {
    expect(inputVariable("budget-usd")).toBe("INPUT_BUDGET-USD");
    const inputs = readInputs({
      "INPUT_GITHUB-TOKEN": "ghs_x",
      "INPUT_OPENAI-API-KEY": "sk-1",
      "INPUT_BUDGET-USD": "0.5",
      "INPUT_FAIL-ON": "never",
      INPUT_COMMENT: "false",
      INPUT_CONCURRENCY: "4",
      "INPUT_OPENAI-BASE-URL": "http://127.0.0.1:8080/v1",
    });
    expect(inputs).toEqual({
      githubToken: "ghs_x",
      openaiApiKey: "sk-1",
      budgetUsd: 0.5,
      failOn: "never",
      comment: false,
      concurrency: 4,
      openaiBaseUrl: "http://127.0.0.1:8080/v1",
    });
    expect(secretInputs(inputs)).toEqual(["ghs_x", "sk-1"]);
  });

  it("defaults to failing on a gate and commenting; empty inputs and the default config path are unset", () => {
    expect(readInputs(env({ "github-token": "t", "openai-api-key": "", config: "./.github/promptops.yml" }))).toEqual({
      githubToken: "t",
      failOn: "gate",
      comment: true,
    });
  });

  it("takes the config's path as git names it", () => {
    expect(readInputs(env({ "github-token": "t", config: "./ci//promptops.yml" })).config).toBe("ci/promptops.yml");
  });

  it.each([
    [{ "github-token": "t", "budget-usd": "ten" }, 'budget-usd: "ten" is not a number from 0 up'],
    [{ "github-token": "t", "budget-usd": "-1" }, 'budget-usd: "-1" is not a number from 0 up'],
    [{ "github-token": "t", concurrency: "2.5" }, 'concurrency: "2.5" is not a whole number from 1 to 1000'],
    [{ "github-token": "t", "fail-on": "always" }, 'fail-on: "always" is not one of gate, never'],
    [{ "github-token": "t", comment: "yes" }, 'comment: "yes" is not true or false'],
    [{ "github-token": "t", "openai-base-url": "api.openai.com" }, 'openai-base-url: "api.openai.com" is not an http(s) URL'],
    [{ "github-token": "t", config: "../promptops.yml" }, 'config: "../promptops.yml" must be a path inside the repository'],
    [{ "github-token": "t", config: "/etc/promptops.yml" }, 'config: "/etc/promptops.yml" must be a path inside the repository'],
    [{}, "github-token: no token"],
  ])("refuses %j with a message naming the input", (inputs, message) => {
    expect(() => readInputs(env(inputs))).toThrow(InputError);
    expect(() => readInputs(env(inputs))).toThrow(message);
  });
});
