// Start `msgflash-mock serve --port 0` for a test file, and talk to it with the built-in fetch.
// MSGFLASH_MOCK names the command (default: msgflash-mock on PATH).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export const KEY = "msgf_live_alpha"; // an account of the bundled fixtures
export const INSTANCE = "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10";
export const TEMPLATE = "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90"; // "Hello {{contact.firstName}}, code {{custom.code}}"
export const CONTACT = "3c9d8e7f-1a2b-4c5d-8e9f-0a1b2c3d4e5f";

export async function startMock() {
  const command = process.env.MSGFLASH_MOCK || "msgflash-mock";
  const child = spawn(command, ["serve", "--port", "0", "--quiet", "--webhook-retry-base", "0.05"],
    { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  // The line it prints once it accepts connections: "msgflash-mock listening on http://127.0.0.1:PORT".
  const base = await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`msgflash-mock exited with ${code}`)));
    lines.once("line", (line) => resolve(line.trim().split(" ").pop()));
  });
  const call = async (method, path, body, headers = {}) => {
    const response = await fetch(base + path, {
      method,
      headers: { "x-api-key": KEY, "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const stop = () => new Promise((resolve) => { child.once("exit", resolve); child.kill("SIGTERM"); });
  return { base, call, stop };
}
