import { deflateSync } from 'node:zlib';

/**
 * The app's icon drawn in code (a white "drop" mark on a blue disc), as a PNG: the tray needs an
 * image and this build machine has no design assets or network to fetch them.
 */
export function iconPng(size: number): Buffer {
  const rows: Buffer[] = [];
  const centre = (size - 1) / 2;
  const radius = size / 2 - 0.5;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
    for (let x = 0; x < size; x++) {
      const dx = x - centre;
      const dy = y - centre;
      const distance = Math.sqrt(dx * dx + dy * dy);
      const coverage = Math.max(0, Math.min(1, radius - distance + 0.5));
      // The drop: a circle in the lower half with a point towards the top.
      const nx = dx / size;
      const ny = dy / size;
      const inBulb = Math.hypot(nx, ny - 0.08) < 0.2;
      const inPoint = ny < 0.08 && ny > -0.3 && Math.abs(nx) < (ny + 0.3) * 0.52;
      const mark = inBulb || inPoint;
      const offset = 1 + x * 4;
      row[offset] = mark ? 255 : 0x1f;
      row[offset + 1] = mark ? 255 : 0x6f;
      row[offset + 2] = mark ? 255 : 0xeb;
      row[offset + 3] = Math.round(coverage * 255);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
