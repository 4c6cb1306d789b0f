/**
 * The outbound half of a gridbot bridge gateway (Node 18+, no dependencies): gridbot POSTs
 * {idempotency_key, chat_id, is_direct, text, mention_ids} here, signed like inbound events, and each key is
 * delivered at most once — across retries, concurrent repeats and restarts of the gateway.
 *
 * Delivered keys live in an append-only file (one JSON line each, fsynced before the answer), read back at start
 * and kept `keepDays` (default 7; gridbot retries a row for well under a day). A key is written as "sending"
 * before the delivery and "delivered" after it. A key still "sending" when the gateway restarts was cut off
 * mid-delivery: it may or may not have reached WeChat, and it is not repeated (at most once); it is answered as a
 * duplicate and reported on the console, so an operator can look at the room.
 *
 *   import { startOutbound } from './bridge-outbound.mjs'
 *   startOutbound({ secret, port: 8788, logPath: 'delivered-keys.jsonl', deliver: async (out) => { ... } })
 *
 * `deliver(out)` throws an Error whose message starts with "unknown " for an unknown room or contact (gridbot
 * marks the row failed: 404); any other error answers 503 and gridbot retries later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'

const DAY_MS = 86_400_000
const MAX_BODY = 64 * 1024

export class DeliveredLog {
  /** @param {string} path @param {{keepDays?: number, now?: () => number}} [options] */
  constructor (path, { keepDays = 7, now = Date.now } = {}) {
    this.path = path
    this.now = now
    /** @type {Map<string, {state: string, at: number}>} */
    this.keys = new Map()
    const oldest = now() - keepDays * DAY_MS
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line.trim()) continue
        try {
          const entry = JSON.parse(line)
          if (entry.state === 'failed') this.keys.delete(entry.key)
          else if (entry.at >= oldest) this.keys.set(entry.key, { state: entry.state, at: entry.at })
        } catch { /* a line cut short by a crash: the write it belonged to never finished */ }
      }
    }
    this.interrupted = [...this.keys].filter(([, v]) => v.state === 'sending').map(([key]) => key)
    this.compact()
    this.fd = openSync(path, 'a')
  }

  /** @param {string} key */
  has (key) { return this.keys.has(key) }

  /** @param {string} key @param {'sending' | 'delivered'} state */
  record (key, state) {
    const entry = { key, state, at: this.now() }
    appendFileSync(this.fd, JSON.stringify(entry) + '\n')
    fsyncSync(this.fd)
    this.keys.set(key, { state, at: entry.at })
  }

  /** @param {string} key */
  forget (key) { // the delivery failed before anything was sent: gridbot may try again
    appendFileSync(this.fd, JSON.stringify({ key, state: 'failed', at: this.now() }) + '\n')
    fsyncSync(this.fd)
    this.keys.delete(key)
  }

  compact () { // rewrite the file with the live keys only (at start), atomically
    const tmp = `${this.path}.tmp`
    writeFileSync(tmp, [...this.keys].map(([key, v]) => JSON.stringify({ key, ...v }) + '\n').join(''))
    const fd = openSync(tmp, 'r+')
    fsyncSync(fd)
    closeSync(fd)
    renameSync(tmp, this.path)
  }

  close () { closeSync(this.fd) }
}

const sign = (secret, ts, body) => createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')

function verified (secret, headers, body, windowS, nowS) {
  const ts = String(headers['x-bridge-timestamp'] ?? '')
  const given = Buffer.from(String(headers['x-bridge-signature'] ?? ''))
  const expected = Buffer.from(sign(secret, ts, body))
  const fresh = Math.abs(nowS - Number(ts)) <= windowS
  return fresh && given.length === expected.length && timingSafeEqual(given, expected)
}

async function readBody (req) {
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY) throw new Error('too large')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The request handler. Repeats of a key being delivered right now wait for that delivery and share its answer.
 * @param {{secret: string, log: DeliveredLog, deliver: (out: object) => Promise<void>, windowS?: number}} options
 */
export function outboundHandler ({ secret, log, deliver, windowS = 300 }) {
  /** @type {Map<string, Promise<[number, object]>>} */
  const inFlight = new Map()
  for (const key of log.interrupted) console.warn(`gateway: ${key} was being delivered when the gateway stopped; not repeated`)

  async function once (out) {
    if (log.has(out.idempotency_key)) return [200, { ok: true, duplicate: true }]
    log.record(out.idempotency_key, 'sending')
    try {
      await deliver(out)
    } catch (e) {
      log.forget(out.idempotency_key)
      const unknown = String(e?.message ?? e).startsWith('unknown ')
      return [unknown ? 404 : 503, { ok: false, error: String(e?.message ?? e) }]
    }
    log.record(out.idempotency_key, 'delivered')
    return [200, { ok: true }]
  }

  return async (req, res) => {
    const reply = (status, obj) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(obj)) }
    if (req.method !== 'POST' || req.url !== '/outbound') return reply(404, { ok: false, error: 'not found' })
    let body
    try { body = await readBody(req) } catch { return reply(413, { ok: false, error: 'too large' }) }
    if (!verified(secret, req.headers, body, windowS, Date.now() / 1000)) {
      return reply(401, { ok: false, error: 'bad signature or stale timestamp' })
    }
    let out
    try { out = JSON.parse(body) } catch { return reply(400, { ok: false, error: 'not JSON' }) }
    if (typeof out?.idempotency_key !== 'string' || !out.idempotency_key) {
      return reply(400, { ok: false, error: 'missing idempotency_key' })
    }
    const key = out.idempotency_key
    if (!inFlight.has(key)) inFlight.set(key, once(out).finally(() => inFlight.delete(key)))
    const [status, answer] = await inFlight.get(key)
    reply(status, answer)
  }
}

/**
 * Listen for gridbot's outbound POSTs on `port` (all interfaces unless `host` is given).
 * @param {{secret: string, port: number, host?: string, logPath: string, keepDays?: number,
 *          deliver: (out: object) => Promise<void>}} options
 */
export function startOutbound ({ secret, port, host, logPath, keepDays, deliver }) {
  if (!secret) throw new Error('set GRIDBOT_BRIDGE_SECRET')
  const log = new DeliveredLog(logPath, { keepDays })
  const server = createServer(outboundHandler({ secret, log, deliver }))
  server.listen(port, host, () => console.info(`outbound webhook on :${port}/outbound (delivered keys in ${logPath})`))
  return server
}
