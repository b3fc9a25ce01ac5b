import { grayscale, PDFDocument, type PDFFont, type PDFPage, StandardFonts } from 'pdf-lib';
import { type DrawOp, encodableText, type PageDrawing, type TextMetrics, TONES } from '../shared/report/drawing';

/** A PDF being written, with the two fonts every page uses and their metrics for the layout. */
export interface ReportDocument {
  doc: PDFDocument;
  metrics: TextMetrics;
  draw(pages: readonly PageDrawing[]): void;
}

/** Document information a reader and a screen reader announce. */
export interface ReportMetadata {
  title: string;
  subject: string;
  /** BCP 47, the document's language (the /Lang entry). */
  language: string;
  madeAt: Date;
}

/**
 * A new PDF with Helvetica and Helvetica-Bold (standard fonts: nothing embedded, text stays
 * selectable and searchable) and its metadata set. pdf-lib writes no structure tree, so the PDF is
 * not tagged; the title, language and real text are what assistive technology gets.
 */
export async function createReportDocument(meta: ReportMetadata): Promise<ReportDocument> {
  const doc = await PDFDocument.create();
  const [regular, bold] = await Promise.all([doc.embedFont(StandardFonts.Helvetica), doc.embedFont(StandardFonts.HelveticaBold)]);
  const charset = new Set(regular.getCharacterSet());
  const encodable = (text: string) => encodableText(text, charset);
  const fontOf = (isBold: boolean) => (isBold ? bold : regular);
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setSubject(meta.subject);
  doc.setLanguage(meta.language);
  doc.setCreator('Steady');
  doc.setKeywords(['pacing', 'heart rate', 'HRV', 'symptoms']);
  doc.setCreationDate(meta.madeAt);
  doc.setModificationDate(meta.madeAt);
  return {
    doc,
    metrics: { width: (text, size, isBold) => fontOf(isBold).widthOfTextAtSize(encodable(text), size) },
    draw(pages) {
      for (const drawing of pages) {
        const page = doc.addPage([drawing.width, drawing.height]);
        for (const op of drawing.ops) drawOp(page, op, fontOf, encodable);
      }
    },
  };
}

/** One operation, from the layout's top-left origin to PDF's bottom-left one. */
function drawOp(page: PDFPage, op: DrawOp, fontOf: (bold: boolean) => PDFFont, encodable: (text: string) => string): void {
  const height = page.getHeight();
  switch (op.op) {
    case 'text':
      page.drawText(encodable(op.text), { x: op.x, y: height - op.y, size: op.size, font: fontOf(op.bold), color: grayscale(0) });
      break;
    case 'line':
      page.drawLine({
        start: { x: op.x1, y: height - op.y1 },
        end: { x: op.x2, y: height - op.y2 },
        thickness: op.width,
        color: grayscale(TONES[op.tone]),
        ...(op.dash ? { dashArray: op.dash } : {}),
      });
      break;
    case 'rect':
      page.drawRectangle({
        x: op.x,
        y: height - op.y - op.h,
        width: op.w,
        height: op.h,
        ...(op.fill ? { color: grayscale(TONES[op.fill]) } : {}),
        ...(op.stroke ? { borderColor: grayscale(TONES[op.stroke]), borderWidth: 0.5 } : {}),
      });
      break;
    case 'path':
      // drawSvgPath reads y downwards from (x, y), as the layout does.
      page.drawSvgPath(op.points.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(2)} ${y.toFixed(2)}`).join(' '), {
        x: 0,
        y: height,
        borderColor: grayscale(0),
        borderWidth: op.width,
        ...(op.dash ? { borderDashArray: op.dash } : {}),
      });
      break;
    case 'circle':
      page.drawCircle({ x: op.x, y: height - op.y, size: op.r, color: grayscale(TONES[op.fill]) });
      break;
    default: {
      const never: never = op;
      throw new Error(`unknown drawing operation ${JSON.stringify(never)}`);
    }
  }
}
