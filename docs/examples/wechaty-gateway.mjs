/**
 * A minimal gridbot bridge gateway for personal-WeChat groups (Wechaty 1.x, Node 18+, plain JavaScript).
 *
 *   npm i wechaty
 *   GRIDBOT_URL=https://bot.example.gov.cn GRIDBOT_BRIDGE_SECRET=... OUTBOUND_PORT=8788 \
 *   DELIVERED_LOG=/var/lib/gridbot-gateway/delivered-keys.jsonl WECHATY_PUPPET=<your puppet> node wechaty-gateway.mjs
 *
 * Inbound: every room/direct text message and room-join/leave/topic event is POSTed to
 *   ${GRIDBOT_URL}/bridge, signed X-Bridge-Signature = hex(HMAC-SHA256(secret, ts + "." + body)).
 * Outbound (bridge-outbound.mjs): gridbot POSTs {idempotency_key, chat_id, is_direct, text, mention_ids} to
 *   http://<this host>:8788/outbound with the same signature; set [bridge] outbound_url to it. Each key is
 *   delivered at most once, also across restarts: delivered keys are kept on disk in DELIVERED_LOG.
 * See docs/bridge.md.
 */
import { createHmac } from 'node:crypto'
import { WechatyBuilder, types } from 'wechaty'
import { startOutbound } from './bridge-outbound.mjs'

const GRIDBOT_URL = process.env.GRIDBOT_URL ?? 'http://127.0.0.1:8080'
const SECRET = process.env.GRIDBOT_BRIDGE_SECRET ?? ''
const PORT = Number(process.env.OUTBOUND_PORT ?? 8788)
const DELIVERED_LOG = process.env.DELIVERED_LOG ?? 'delivered-keys.jsonl'
if (!SECRET) throw new Error('set GRIDBOT_BRIDGE_SECRET')

const sign = (ts, body) => createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')

async function forward (event) {
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

bot.on('message', async (msg) => {
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

async function membership (kind, room, extra = '') {
  await forward({
    event: kind, msg_id: `${kind}:${room.id}:${Date.now()}${extra}`, ts: Math.floor(Date.now() / 1000),
    room: { id: room.id, topic: await room.topic() },
    talker: { id: bot.currentUser.id, name: bot.currentUser.name() }, mention_self: false, text: '',
  })
}
bot.on('room-join', (room) => membership('room-join', room))
bot.on('room-leave', (room) => membership('room-leave', room))
bot.on('room-topic', (room) => membership('room-topic', room))

// Outbound: gridbot → WeChat, at most once per idempotency_key (the keys are kept in DELIVERED_LOG).
async function deliver (out) {
  if (out.is_direct) {
    const contact = await bot.Contact.find({ id: out.chat_id })
    if (!contact) throw new Error(`unknown contact ${out.chat_id}`)
    await contact.say(out.text)
    return
  }
  const room = await bot.Room.find({ id: out.chat_id })
  if (!room) throw new Error(`unknown room ${out.chat_id}`)
  const mentions = (await Promise.all(out.mention_ids.map(id => bot.Contact.find({ id }))))
    .filter(Boolean)
  await room.say(out.text, ...mentions)
}

startOutbound({ secret: SECRET, port: PORT, logPath: DELIVERED_LOG, deliver })

bot.on('scan', (qrcode) => console.info(`scan: https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`))
bot.start().catch(e => { console.error(e); process.exit(1) })
