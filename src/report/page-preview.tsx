import type { DrawOp, PageDrawing } from '../shared/report/drawing';
import { TONES } from '../shared/report/drawing';

const grey = (tone: keyof typeof TONES) => {
  const level = Math.round(TONES[tone] * 255);
  return `rgb(${level},${level},${level})`;
};

/**
 * A page of the report drawn as inline SVG from the very operations pdf-lib drew into the PDF,
 * so the preview is the page, without a PDF viewer: the app's CSP allows no frames or objects
 * (server/security-headers.ts), and not every browser shows a PDF inline.
 */
export function PagePreview({ page, label }: { page: PageDrawing; label: string }) {
  return (
    <svg
      class="report-page"
      viewBox={`0 0 ${page.width} ${page.height}`}
      role="img"
      aria-label={label}
      font-family="Helvetica, Arial, 'Liberation Sans', sans-serif"
    >
      <rect x={0} y={0} width={page.width} height={page.height} fill="#fff" />
      {page.ops.map((op, i) => (
        <Op key={i} op={op} />
      ))}
    </svg>
  );
}

function Op({ op }: { op: DrawOp }) {
  switch (op.op) {
    case 'text':
      return (
        <text x={op.x} y={op.y} font-size={op.size} font-weight={op.bold ? 700 : 400} fill="#000">
          {op.text}
        </text>
      );
    case 'line':
      return (
        <line
          x1={op.x1}
          y1={op.y1}
          x2={op.x2}
          y2={op.y2}
          stroke={grey(op.tone)}
          stroke-width={op.width}
          stroke-dasharray={op.dash?.join(' ')}
        />
      );
    case 'rect':
      return (
        <rect
          x={op.x}
          y={op.y}
          width={op.w}
          height={op.h}
          fill={op.fill ? grey(op.fill) : 'none'}
          stroke={op.stroke ? grey(op.stroke) : undefined}
          stroke-width={op.stroke ? 0.5 : undefined}
        />
      );
    case 'path':
      return (
        <polyline
          points={op.points.map(([x, y]) => `${x},${y}`).join(' ')}
          fill="none"
          stroke="#000"
          stroke-width={op.width}
          stroke-dasharray={op.dash?.join(' ')}
        />
      );
    case 'circle':
      return <circle cx={op.x} cy={op.y} r={op.r} fill={grey(op.fill)} />;
  }
}
