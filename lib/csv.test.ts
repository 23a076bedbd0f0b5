import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { csvCell, csvRow } from "./csv";

/** A minimal RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = "";
      i += 1;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') (value += '"'), (i += 2);
        else if (line[i] === '"') break;
        else value += line[i++];
      }
      cells.push(value);
      i += 2; // closing quote and comma
    } else {
      const end = line.indexOf(",", i);
      cells.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return cells;
}

describe("csvCell", () => {
  it("neutralises every formula trigger at the start of a text", () => {
    expect(csvCell("=HYPERLINK(\"http://evil\",\"x\")")).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell("+1+1")).toBe("'+1+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("\r=1")).toBe(`"'\r=1"`);
    expect(csvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
  });

  it("leaves ordinary text and numbers alone, quotes separators", () => {
    expect(csvCell("owner@acme.test")).toBe("owner@acme.test");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(null)).toBe("");
  });

  it("round-trips any text, and no parsed cell ever starts with a formula character", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), (cells) => {
        const line = csvRow(cells).slice(0, -2);
        if (cells.some((c) => /[\r\n]/.test(c))) return; // multi-line cells: covered above
        const parsed = parseCsvLine(line);
        expect(parsed).toHaveLength(cells.length);
        parsed.forEach((p, i) => {
          expect(/^[=+\-@\t\r]/.test(p)).toBe(false);
          expect(p).toBe(/^[=+\-@\t\r]/.test(cells[i]) ? `'${cells[i]}` : cells[i]);
        });
      }),
    );
  });
});
