import { deflateSync } from 'node:zlib';

/**
 * The extension's logo, drawn here rather than copied: a rounded square in Azure DevOps blue with three white
 * bars rising left to right, as a PNG (RGBA, 8 bits per channel). The Marketplace wants 128 x 128.
 */
export function logoPng(size = 128): Buffer {
  const px = new Uint8Array(size * size * 4);
  const blue = [0, 120, 212];
  const radius = size * 0.18;
  const bars = [
    { x0: 0.2, x1: 0.34, top: 0.56 },
    { x0: 0.43, x1: 0.57, top: 0.4 },
    { x0: 0.66, x1: 0.8, top: 0.22 },
  ];
  const base = 0.8;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      // Coverage of the rounded square, antialiased on its corners by distance.
      const cx = Math.min(Math.max(x + 0.5, radius), size - radius);
      const cy = Math.min(Math.max(y + 0.5, radius), size - radius);
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      const alpha = Math.max(0, Math.min(1, radius - d + 0.5));
      if (alpha === 0) continue;
      const u = (x + 0.5) / size;
      const v = (y + 0.5) / size;
      const onBar = bars.some((b) => u >= b.x0 && u <= b.x1 && v >= b.top && v <= base);
      const [r, g, b] = onBar ? [255, 255, 255] : blue;
      px[i] = r!;
      px[i + 1] = g!;
      px[i + 2] = b!;
      px[i + 3] = Math.round(alpha * 255);
    }
  }
  return encodePng(size, size, px);
}

function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
