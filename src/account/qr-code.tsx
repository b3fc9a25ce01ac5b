import { encode } from 'uqr';

/**
 * `text` as a QR code, drawn as one SVG path (one sub-path per run of dark modules in a row).
 * Colours are SVG presentation attributes, not `style`, so a strict CSP allows them; the quiet
 * zone is the 4 modules ISO/IEC 18004 §6.3.8 asks for, or phone cameras may not find it.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { data, size } = encode(text, { ecc: 'M', border: 4 });
  let path = '';
  data.forEach((row, y) => {
    let x = 0;
    while (x < size) {
      const start = x;
      while (row[x]) x++;
      if (x > start) path += `M${start} ${y}h${x - start}v1h-${x - start}z`;
      else x++;
    }
  });
  return (
    <svg class="qr-code" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
