// Jest loads a fresh copy of nock for every test file, and each copy patches Node's http and
// fetch for the whole worker process: without restoring, the patches of earlier files stack up
// under the connections of later ones (a reset socket then raises an unheard error). Only the
// GitHub-facing tests simulate GitHub with nock; everything else runs on the real network stack.

import nock from "nock";

const simulatesGitHub = /[\\/]test[\\/](github|app|workflows|host|netlify)[\\/]/.test(expect.getState().testPath ?? "");
if (!simulatesGitHub) nock.restore();

afterAll(() => {
  nock.restore();
});
