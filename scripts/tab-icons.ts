// Draws the three tab-bar icons (首页, 我的借款, 我的) as 81×81 PNGs, grey and green, into
// src/assets/tab/. WeChat's tab bar needs image files (≤ 40 KB each); these are a few hundred
// bytes. Run `npx tsx scripts/tab-icons.ts` after changing a shape.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

const SIZE = 81
type Shape = (x: number, y: number) => boolean

const inRect = (x: number, y: number, x0: number, y0: number, x1: number, y1: number) =>
  x >= x0 && x <= x1 && y >= y0 && y <= y1
const ring = (x: number, y: number, cx: number, cy: number, r: number, w: number) => {
  const d = Math.hypot(x - cx, y - cy)
  return d <= r && d >= r - w
}
const disc = (x: number, y: number, cx: number, cy: number, r: number) => Math.hypot(x - cx, y - cy) <= r

const SHAPES: Record<string, Shape> = {
  // A house: a roof (two thick lines) over a box with a door.
  home: (x, y) => {
    const roof = y >= 12 && y <= 42 && Math.abs(Math.abs(x - 40.5) - (y - 12) * 0.95) <= 3.5
    const walls = inRect(x, y, 18, 36, 63, 68) && !inRect(x, y, 23, 41, 58, 63)
    const door = inRect(x, y, 35, 48, 46, 68)
    return roof || walls || door
  },
  // A bill: a sheet outline with three lines.
  loans: (x, y) => {
    const sheet = inRect(x, y, 17, 10, 64, 71) && !inRect(x, y, 22, 15, 59, 66)
    const lines = [26, 37, 48].some((ly) => inRect(x, y, 28, ly, 53, ly + 4))
    const yuan = inRect(x, y, 28, 56, 42, 60)
    return sheet || lines || yuan
  },
  // A person: a head ring and shoulders.
  me: (x, y) =>
    ring(x, y, 40.5, 27, 14, 5) ||
    (y >= 48 && y <= 70 && ring(x, y, 40.5, 72, 26, 5)) ||
    (y >= 66 && y <= 70 && inRect(x, y, 15, 66, 66, 70) && disc(x, y, 40.5, 72, 26)),
}

function png(shape: Shape, rgb: [number, number, number]): Buffer {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE)
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE * 4 + 1)] = 0
    for (let x = 0; x < SIZE; x++) {
      // 4× supersampling for smooth edges.
      let hits = 0
      for (const dy of [0.125, 0.375, 0.625, 0.875])
        for (const dx of [0.125, 0.375, 0.625, 0.875]) if (shape(x + dx, y + dy)) hits++
      const o = y * (SIZE * 4 + 1) + 1 + x * 4
      raw[o] = rgb[0]
      raw[o + 1] = rgb[1]
      raw[o + 2] = rgb[2]
      raw[o + 3] = Math.round((hits / 16) * 255)
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(zlib.crc32(body) >>> 0)
    return Buffer.concat([len, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(SIZE, 0)
  ihdr.writeUInt32BE(SIZE, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const out = path.resolve(__dirname, '..', 'src', 'assets', 'tab')
fs.mkdirSync(out, { recursive: true })
for (const [name, shape] of Object.entries(SHAPES)) {
  fs.writeFileSync(path.join(out, `${name}.png`), png(shape, [0x8a, 0x8a, 0x8a]))
  fs.writeFileSync(path.join(out, `${name}-active.png`), png(shape, [0x0b, 0x8f, 0x5a]))
}
console.log(`tab icons written to ${path.relative(process.cwd(), out)}`)
