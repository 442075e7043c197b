// What a Node team's suite does against msgflash-mock: `npm test` (node:test, built-in fetch).
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { CONTACT, INSTANCE, TEMPLATE, startMock } from "./mock.js";

let mock;
before(async () => { mock = await startMock(); });
after(async () => { await mock.stop(); });
beforeEach(async () => {
  const reset = await mock.call("POST", "/_mock/reset");
  assert.equal(reset.status, 200);
});

test("a text message is sent and read back", async () => {
  const sent = await mock.call("POST", "/api/v1/messages/send",
    { instanceId: INSTANCE, to: "+33612345678", type: "text", text: "Bonjour" });
  assert.equal(sent.status, 201);
  assert.equal(sent.body.data.status, "queued");
  const read = await mock.call("GET", `/api/v1/messages/${sent.body.data.id}`);
  assert.equal(read.status, 200);
  assert.equal(read.body.data.to, "+33612345678");
});

test("a bad payload gets the documented envelope with the linter's codes", async () => {
  const refused = await mock.call("POST", "/api/v1/messages/send",
    { instanceId: INSTANCE, to: "0612345678", type: "text", text: "Bonjour" });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.code, "VALIDATION_ERROR");
  assert.equal(refused.body.error.details[0].field, "to");
});

test("a template send renders the contact and the variables", async () => {
  const sent = await mock.call("POST", "/api/v1/messages/send",
    { instanceId: INSTANCE, to: "+33612345678", templateId: TEMPLATE, contactId: CONTACT,
      variables: { code: "PROMO10" } });
  assert.equal(sent.status, 201);
  const read = await mock.call("GET", `/api/v1/messages/${sent.body.data.id}`);
  assert.match(read.body.data.body, /code PROMO10$/);
});

test("a webhook is delivered to a local server and its signature verifies", async () => {
  const received = [];
  const receiver = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, raw: Buffer.concat(chunks) });
      response.writeHead(200).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${receiver.address().port}/hook`;
    const hook = await mock.call("POST", "/api/v1/webhooks", { url, events: ["message.sent"] });
    assert.equal(hook.status, 201);
    const sent = await mock.call("POST", "/api/v1/messages/send",
      { instanceId: INSTANCE, to: "+33612345678", type: "text", text: "Bonjour" });
    await mock.call("POST", `/_mock/messages/${sent.body.data.id}/advance`);
    for (let i = 0; i < 200 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(received.length, 1);
    const { headers, raw } = received[0];
    assert.equal(headers["x-msgflash-event"], "message.sent");
    // As the docs describe: HMAC-SHA256 of the raw body, keyed with the endpoint's secret.
    const expected = "sha256=" + createHmac("sha256", hook.body.data.secret).update(raw).digest("hex");
    const given = headers["x-msgflash-signature"];
    assert.ok(given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected)));
    const event = JSON.parse(raw);
    assert.equal(event.event, "message.sent");
    assert.equal(event.messageId, sent.body.data.id);
    assert.equal(event.status, "sent");
  } finally {
    receiver.close();
  }
});

test("a fault fails the next request the way MsgFlash would", async () => {
  const fault = await mock.call("POST", "/_mock/faults",
    { route: "POST /api/v1/messages/send", error: "PROVIDER_TIMEOUT", times: 1 });
  assert.ok(fault.status === 200 || fault.status === 201);
  const payload = { instanceId: INSTANCE, to: "+33612345678", type: "text", text: "Bonjour" };
  const failed = await mock.call("POST", "/api/v1/messages/send", payload);
  assert.equal(failed.status, 502);
  assert.equal(failed.body.error.code, "PROVIDER_TIMEOUT");
  assert.equal((await mock.call("POST", "/api/v1/messages/send", payload)).status, 201);
});

test("a forced error comes from one request's header", async () => {
  const forced = await mock.call("GET", `/api/v1/instances/${INSTANCE}`, undefined,
    { "x-mock-error": "API_RATE_LIMIT_EXCEEDED" });
  assert.equal(forced.status, 429);
  assert.equal(forced.body.error.code, "API_RATE_LIMIT_EXCEEDED");
});

test("the clock: a scheduled message goes out when the mock's time reaches it", async () => {
  await mock.call("POST", "/_mock/clock", { freeze: true, at: "2030-01-01T09:00:00Z" });
  const scheduled = await mock.call("POST", "/api/v1/messages/schedule",
    { instanceId: INSTANCE, to: "+33612345678", type: "text", text: "Bonne année", scheduledAt: "2030-01-01T10:00:00Z" });
  assert.equal(scheduled.status, 201);
  const id = scheduled.body.data.id;
  const before = (await mock.call("GET", `/api/v1/messages/${id}`)).body.data;
  assert.equal(before.status, "queued");
  await mock.call("POST", "/_mock/clock/advance", { seconds: 3600 });
  assert.equal((await mock.call("GET", `/api/v1/messages/${id}`)).body.data.status, "sent");
});

test("reset forgets what a test did", async () => {
  const sent = await mock.call("POST", "/api/v1/messages/send",
    { instanceId: INSTANCE, to: "+33612345678", type: "text", text: "Bonjour" });
  await mock.call("POST", "/_mock/reset");
  assert.equal((await mock.call("GET", `/api/v1/messages/${sent.body.data.id}`)).status, 404);
});
