/**
 * A minimal gridbot bridge gateway for personal-WeChat groups (Wechaty 1.x, Node 18+).
 *
 *   npm i wechaty
 *   GRIDBOT_URL=https://bot.example.gov.cn GRIDBOT_BRIDGE_SECRET=... OUTBOUND_PORT=8788 \
 *   WECHATY_PUPPET=<your puppet> npx ts-node wechaty-gateway.ts
 *
 * Inbound: every room/direct text message and room-join/leave/topic event is POSTed to
 *   ${GRIDBOT_URL}/bridge, signed X-Bridge-Signature = hex(HMAC-SHA256(secret, ts + "." + body)).
 * Outbound: gridbot POSTs {idempotency_key, chat_id, is_direct, text, mention_ids} to
 *   http://<this host>:8788/outbound with the same signature; set [bridge] outbound_url to it.
 * See docs/bridge.md. This is an example: keep the idempotency log on disk in production.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, IncomingMessage } from 'node:http'
import { WechatyBuilder, Message, Room, Contact, types } from 'wechaty'

const GRIDBOT_URL = process.env.GRIDBOT_URL ?? 'http://127.0.0.1:8080'
const SECRET = process.env.GRIDBOT_BRIDGE_SECRET ?? ''
const PORT = Number(process.env.OUTBOUND_PORT ?? 8788)
const WINDOW_S = 300
if (!SECRET) throw new Error('set GRIDBOT_BRIDGE_SECRET')

const sign = (ts: string, body: string) => createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')

async function forward (event: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify({ v: 1, source: 'wechaty', ...event })
  const ts = String(Math.floor(Date.now() / 1000))
  for (let attempt = 1; attempt <= 3; attempt++) {  // the bot dedupes on msg_id, so retrying is safe
    try {
      const res = await fetch(`${GRIDBOT_URL}/bridge`, {
        method: 'POST', body,
        headers: { 'Content-Type': 'application/json', 'X-Bridge-Timestamp': ts, 'X-Bridge-Signature': sign(ts, body) },
      })
      if (res.ok || (res.status >= 400 && res.status < 500)) return  // 4xx: our event is wrong, do not retry
    } catch (e) { console.warn('gridbot unreachable', e) }
    await new Promise(r => setTimeout(r, attempt * 1000))
  }
}

const bot = WechatyBuilder.build({ name: 'gridbot-gateway' })

bot.on('message', async (msg: Message) => {
  if (msg.self() || msg.type() !== types.Message.Text) return
  const room = msg.room()
  const talker = msg.talker()
  await forward({
    event: 'message', msg_id: msg.id, ts: Math.floor(msg.date().getTime() / 1000),
    room: room ? { id: room.id, topic: await room.topic() } : null,
    talker: { id: talker.id, name: talker.name(), room_alias: room ? (await room.alias(talker)) ?? null : null },
    mention_self: room ? await msg.mentionSelf() : true,
    msg_type: 'text', text: msg.text(), text_clean: room ? await msg.mentionText() : msg.text(),
  })
})

async function membership (kind: string, room: Room, extra = ''): Promise<void> {
  await forward({
    event: kind, msg_id: `${kind}:${room.id}:${Date.now()}${extra}`, ts: Math.floor(Date.now() / 1000),
    room: { id: room.id, topic: await room.topic() },
    talker: { id: bot.currentUser.id, name: bot.currentUser.name() }, mention_self: false, text: '',
  })
}
bot.on('room-join', (room: Room) => membership('room-join', room))
bot.on('room-leave', (room: Room) => membership('room-leave', room))
bot.on('room-topic', (room: Room) => membership('room-topic', room))

// Outbound: gridbot → WeChat, at most once per idempotency_key.
const delivered = new Map<string, number>()

async function readBody (req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > 64 * 1024) throw new Error('too large')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function verified (req: IncomingMessage, body: string): boolean {
  const ts = String(req.headers['x-bridge-timestamp'] ?? '')
  const given = Buffer.from(String(req.headers['x-bridge-signature'] ?? ''))
  const expected = Buffer.from(sign(ts, body))
  const fresh = Math.abs(Date.now() / 1000 - Number(ts)) <= WINDOW_S
  return fresh && given.length === expected.length && timingSafeEqual(given, expected)
}

async function deliver (out: { chat_id: string, is_direct: boolean, text: string, mention_ids: string[] }) {
  if (out.is_direct) {
    const contact = await bot.Contact.find({ id: out.chat_id })
    if (!contact) throw new Error(`unknown contact ${out.chat_id}`)
    await contact.say(out.text)
    return
  }
  const room = await bot.Room.find({ id: out.chat_id })
  if (!room) throw new Error(`unknown room ${out.chat_id}`)
  const mentions = (await Promise.all(out.mention_ids.map(id => bot.Contact.find({ id }))))
    .filter((c): c is Contact => Boolean(c))
  await room.say(out.text, ...mentions)
}

createServer(async (req, res) => {
  const reply = (status: number, obj: object) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(obj)) }
  if (req.method !== 'POST' || req.url !== '/outbound') return reply(404, { ok: false, error: 'not found' })
  let body: string
  try { body = await readBody(req) } catch { return reply(413, { ok: false, error: 'too large' }) }
  if (!verified(req, body)) return reply(401, { ok: false, error: 'bad signature or stale timestamp' })
  const out = JSON.parse(body)
  if (delivered.has(out.idempotency_key)) return reply(200, { ok: true, duplicate: true })
  try {
    await deliver(out)
    delivered.set(out.idempotency_key, Date.now())
    reply(200, { ok: true })
  } catch (e) {
    const unknown = String(e).includes('unknown ')  // unknown room/contact: gridbot marks the row failed
    reply(unknown ? 404 : 503, { ok: false, error: String(e) })  // 503: gridbot retries later
  }
}).listen(PORT, () => console.info(`outbound webhook on :${PORT}/outbound`))

bot.on('scan', (qrcode: string) => console.info(`scan: https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`))
bot.start().catch(e => { console.error(e); process.exit(1) })
