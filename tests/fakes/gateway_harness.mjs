// The example gateway's outbound half (docs/examples/bridge-outbound.mjs) with a stand-in for WeChat: each
// delivery is appended to DELIVERIES. Chats named slow-* take 30 s (long enough to be killed mid-delivery),
// flaky-* fail their first delivery, gone-* are unknown rooms.
// Run: GRIDBOT_BRIDGE_SECRET=... node gateway_harness.mjs PORT DELIVERED_LOG DELIVERIES
import { appendFileSync } from 'node:fs'
import { startOutbound } from '../../docs/examples/bridge-outbound.mjs'

const [port, logPath, deliveries] = process.argv.slice(2)
const failedOnce = new Set()

async function deliver (out) {
  console.info(`delivering ${out.idempotency_key}`)
  if (out.chat_id.startsWith('slow-')) await new Promise(resolve => setTimeout(resolve, 30_000))
  if (out.chat_id.startsWith('gone-')) throw new Error(`unknown room ${out.chat_id}`)
  if (out.chat_id.startsWith('flaky-') && !failedOnce.has(out.idempotency_key)) {
    failedOnce.add(out.idempotency_key)
    throw new Error('puppet disconnected')
  }
  await new Promise(resolve => setTimeout(resolve, 200)) // WeChat takes its time: repeats arrive meanwhile
  appendFileSync(deliveries, `${out.idempotency_key}\n`)
}

startOutbound({ secret: process.env.GRIDBOT_BRIDGE_SECRET, port: Number(port), host: '127.0.0.1', logPath, deliver })
