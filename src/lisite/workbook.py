"""The workbooks of a site's downloads, written directly: the bytes XlsxWriter writes for the same calls.

A site offers every table as a workbook: hundreds of them, and thousands in a large municipality's
caseworkers' site, each a zip of ten small XML parts. XlsxWriter took 1.6 ms for a table of 28 rows and
6 columns, most of it in its general machinery (every feature of Excel, a file object per part), which
made writing them the largest single part of making the caseworkers' pages; this takes 0.5 ms.

:class:`Book` knows only what :func:`lisite.spreadsheet.to_xlsx` asks of a workbook (one sheet; text and
number cells; bold and number formats; column widths; frozen headings; a filter) and writes, from
XlsxWriter's own templates and rules, the parts XlsxWriter writes, zipped as :mod:`zipfile` zips them for
it (:func:`zipped`, which deflates the parts every workbook shares once). The tests compare the two byte
for byte on many tables; a workbook outside these shapes (a very long text, a sheet name Excel refuses)
is left to XlsxWriter (:func:`fits`), which answers as it always did. One difference, on purpose: a cell
whose text begins with ``<r>`` and ends with ``</r>`` is text here, where XlsxWriter writes it into the
workbook's XML as it stands (its rich-text form): a value in the data could break the workbook so.
"""

from __future__ import annotations

import functools
import io
import re
import struct
import zipfile
import zlib
from typing import Any

from xlsxwriter.theme import THEME_XML_2007 as THEME
from xlsxwriter.utility import quote_sheetname, xl_col_to_name

from lisite.spreadsheet import SHEET_LONGEST, SHEET_REFUSED, excel_length

HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "application/vnd.openxmlformats-officedocument"
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
LONGEST = 8_000  # a text longer than this is left to XlsxWriter (it cuts one of more than 32,767 UTF-16 units)
DEFAULT_PIXELS = 64  # a column of Excel's default width has no width of its own
ESCAPE_LIKE = re.compile("(_x[0-9a-fA-F]{4}_)")  # a text that reads like Excel's escape is escaped itself
CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
FONT = '<sz val="{size}"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'


def data(text: str) -> str:
    """A text as an element's content: ``&``, ``<`` and ``>`` escaped (as ``xml.sax.saxutils.escape`` does, whose
    module would import ``urllib.request`` with it: 15 ms of every build's start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def attribute(text: str) -> str:
    """A text as an attribute's value: also ``"`` and line breaks escaped, as XlsxWriter writes them."""
    return data(text).replace('"', "&quot;").replace("\n", "&#xA;")


def shared(text: str) -> str:
    """A text as a shared string holds it: Excel's ``_xHHHH_`` for a control character."""
    if "_x" in text:
        text = ESCAPE_LIKE.sub(r"_x005F\1", text)
    if CONTROL.search(text):
        text = CONTROL.sub(lambda found: f"_x{ord(found.group(1)):04X}_", text)
    return text


def fits(sheet: str, texts: Any) -> bool:
    """Does :class:`Book` write this workbook? A sheet name Excel accepts (XlsxWriter refuses others with an error) and
    no text longer than :data:`LONGEST` (XlsxWriter cuts one that Excel cannot hold)."""
    if (not sheet or excel_length(sheet) > SHEET_LONGEST or any(c in SHEET_REFUSED for c in sheet)
            or sheet.startswith("'") or sheet.endswith("'")):
        return False
    return not any(len(text) > LONGEST for text in texts)


def cell(row: int, column: int) -> str:
    return f"{COLUMNS[column] if column < len(COLUMNS) else xl_col_to_name(column)}{row + 1}"


COLUMNS = [xl_col_to_name(column) for column in range(64)]  # the names of the columns a table has


class Book:
    """One workbook of one sheet, with the calls :func:`lisite.spreadsheet.to_xlsx` makes of XlsxWriter's
    ``Workbook`` and its worksheet (the book is its own sheet). ``close()`` writes the bytes to ``out``."""

    def __init__(self, out: io.BytesIO) -> None:
        self.out = out
        self.title: str | None = None  # written when given, also empty
        self.author = ""
        self.created = ""
        self.name = ""
        self.cells: dict[int, list[tuple[int, str]]] = {}  # row → (column, the cell's XML), in the order written
        self.strings: dict[str, int] = {}  # each distinct text → its place in the shared strings
        self.string_count = 0
        self.xfs: list[dict[str, Any]] = [{}]  # cell formats in the order first used (0: the default)
        self.widths: dict[int, int] = {}  # column → pixels
        self.frozen: int | None = None
        self.filter: tuple[int, int, int, int] | None = None

    # --- the calls to_xlsx makes --------------------------------------------------------------------

    def set_properties(self, properties: dict[str, Any]) -> None:
        self.title, self.author = properties.get("title"), properties.get("author", "")
        self.created = properties["created"].strftime("%Y-%m-%dT%H:%M:%SZ")

    def add_worksheet(self, name: str) -> Book:
        self.name = name
        return self

    def add_format(self, properties: dict[str, Any]) -> dict[str, Any]:
        return {"properties": properties, "xf": None}

    def write_string(self, row: int, column: int, text: str, form: dict[str, Any] | None = None) -> None:
        index = self.strings.setdefault(text, len(self.strings))
        self.string_count += 1
        style = f' s="{self.xf(form)}"' if form is not None else ""
        self.cells.setdefault(row, []).append((column, f'<c r="{cell(row, column)}"{style} t="s"><v>{index}</v></c>'))

    def write_number(self, row: int, column: int, value: float, form: dict[str, Any]) -> None:
        self.cells.setdefault(row, []).append((column, f'<c r="{cell(row, column)}" s="{self.xf(form)}"><v>{value:.16G}</v></c>'))

    def set_column(self, first: int, last: int, width: float) -> None:
        pixels = int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)  # Calibri 11: 7 pixels a digit
        for column in range(first, last + 1):
            self.widths[column] = pixels

    def freeze_panes(self, row: int, column: int) -> None:
        assert column == 0, "only rows are frozen here"
        self.frozen = row

    def autofilter(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        self.filter = (first_row, first_column, last_row, last_column)

    def close(self) -> None:
        self.out.write(zipped(self.parts()))

    # --- the parts ------------------------------------------------------------------------------------

    def xf(self, form: dict[str, Any]) -> int:
        if form["xf"] is None:
            form["xf"] = len(self.xfs)
            self.xfs.append(form["properties"])
        return form["xf"]

    def parts(self) -> list[tuple[str, str]]:
        strings = bool(self.strings)
        parts = [
            ("[Content_Types].xml", content_types(strings)),
            ("_rels/.rels", ROOT_RELATIONS),
            ("xl/_rels/workbook.xml.rels", workbook_relations(strings)),
            ("xl/worksheets/sheet1.xml", self.sheet()),
            ("xl/workbook.xml", self.workbook()),
        ]
        if strings:
            parts.append(("xl/sharedStrings.xml", self.shared_strings()))
        return [*parts, ("xl/styles.xml", self.styles()), ("xl/theme/theme1.xml", THEME), ("docProps/core.xml", self.core()),
                ("docProps/app.xml", self.app())]

    def sheet(self) -> str:
        rows = sorted(self.cells)
        columns = [column for row in rows for column, _ in self.cells[row]]
        if not rows:
            dimension = "A1"
        elif rows[0] == rows[-1] and min(columns) == max(columns):
            dimension = cell(rows[0], columns[0])
        else:
            dimension = f"{cell(rows[0], min(columns))}:{cell(rows[-1], max(columns))}"
        if self.frozen is None:
            view = '<sheetView tabSelected="1" workbookViewId="0"/>'
        else:
            split = f' ySplit="{self.frozen}"' if self.frozen else ""
            view = (f'<sheetView tabSelected="1" workbookViewId="0"><pane{split} topLeftCell="{cell(self.frozen, 0)}" '
                    'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>')
        text = [HEAD, (f'<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONS}"><dimension ref="{dimension}"/><sheetViews>{view}'
                       '</sheetViews><sheetFormatPr defaultRowHeight="15"/>'), self.cols()]
        if rows:
            spans = self.spans(rows)
            text.append("<sheetData>")
            for row in rows:
                span = spans.get(row // 16)
                text.append(f'<row r="{row + 1}" spans="{span}">' if span else f'<row r="{row + 1}">')
                text.extend(xml for _, xml in sorted(self.cells[row], key=lambda found: found[0]))
                text.append("</row>")
            text.append("</sheetData>")
        else:
            text.append("<sheetData/>")
        if self.filter is not None:
            first_row, first_column, last_row, last_column = self.filter
            text.append(f'<autoFilter ref="{cell(first_row, first_column)}:{cell(last_row, last_column)}"/>')
        text.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
        return "".join(text)

    def spans(self, rows: list[int]) -> dict[int, str]:
        """Each block of 16 rows' first and last column (1-based), as XlsxWriter writes them into its rows."""
        found: dict[int, list[int]] = {}
        for row in rows:
            columns = [column for column, _ in self.cells[row]]
            low, high = found.setdefault(row // 16, [min(columns), max(columns)])
            found[row // 16] = [min(low, *columns), max(high, *columns)]
        return {block: f"{low + 1}:{high + 1}" for block, (low, high) in found.items()}

    def cols(self) -> str:
        if not self.widths:
            return ""
        runs: list[list[int]] = []  # [first, last, pixels]: neighbouring columns of one width are one run
        for column in sorted(self.widths):
            pixels = self.widths[column]
            if runs and runs[-1][1] == column - 1 and runs[-1][2] == pixels:
                runs[-1][1] = column
            else:
                runs.append([column, column, pixels])
        text = ["<cols>"]
        for first, last, pixels in runs:
            custom = ' customWidth="1"' if pixels != DEFAULT_PIXELS else ""
            text.append(f'<col min="{first + 1}" max="{last + 1}" width="{(pixels * 256 // 7) / 256.0:.16g}"{custom}/>')
        text.append("</cols>")
        return "".join(text)

    def workbook(self) -> str:
        names = ""
        if self.filter is not None:
            first_row, first_column, last_row, last_column = self.filter
            where = f"${xl_col_to_name(first_column)}${first_row + 1}:${xl_col_to_name(last_column)}${last_row + 1}"
            names = ('<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
                     f"{data(quote_sheetname(self.name) + '!' + where)}</definedName></definedNames>")
        return (f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONS}"><fileVersion appName="xl" lastEdited="4" lowestEdited="4" '
                'rupBuild="4505"/><workbookPr defaultThemeVersion="124226"/><bookViews><workbookView xWindow="240" yWindow="15" '
                f'windowWidth="16095" windowHeight="9660"/></bookViews><sheets><sheet name="{attribute(self.name)}" sheetId="1" '
                f'r:id="rId1"/></sheets>{names}<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')

    def shared_strings(self) -> str:
        text = [f'{HEAD}<sst xmlns="{MAIN}" count="{self.string_count}" uniqueCount="{len(self.strings)}">']
        for string in self.strings:
            string = shared(string)
            preserve = ' xml:space="preserve"' if string[:1].isspace() or string[-1:].isspace() else ""
            text.append(f"<si><t{preserve}>{data(string)}</t></si>")
        text.append("</sst>")
        return "".join(text)

    def styles(self) -> str:
        fonts: dict[tuple[bool, int], int] = {(False, 11): 0}
        formats: dict[str, int] = {}
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
        for properties in self.xfs[1:]:
            code = properties.get("num_format")
            font = fonts.setdefault((bool(properties.get("bold")), int(properties.get("font_size", 11))), len(fonts))
            number = formats.setdefault(code, 164 + len(formats)) if code else 0
            applied = (' applyNumberFormat="1"' if number else "") + (' applyFont="1"' if font else "")
            xfs.append(f'<xf numFmtId="{number}" fontId="{font}" fillId="0" borderId="0" xfId="0"{applied}/>')
        text = [f'{HEAD}<styleSheet xmlns="{MAIN}">']
        if formats:
            text.append(f'<numFmts count="{len(formats)}">')
            text.extend(f'<numFmt numFmtId="{number}" formatCode="{attribute(code)}"/>' for code, number in formats.items())
            text.append("</numFmts>")
        text.append(f'<fonts count="{len(fonts)}">')
        text.extend(("<font><b/>" if bold else "<font>") + FONT.format(size=size) for bold, size in fonts)
        text.append('</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
                    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                    f'<cellXfs count="{len(xfs)}">')
        text.extend(xfs)
        text.append('</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>'
                    '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/></styleSheet>')
        return "".join(text)

    def core(self) -> str:
        title = f"<dc:title>{data(self.title)}</dc:title>" if self.title is not None else ""
        author = data(self.author)
        return (f'{HEAD}<cp:coreProperties xmlns:cp="{PACKAGE}/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
                f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{title}<dc:creator>{author}</dc:creator>'
                f'<cp:lastModifiedBy>{author}</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">{self.created}'
                f'</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{self.created}</dcterms:modified></cp:coreProperties>')

    def app(self) -> str:
        return (f'{HEAD}<Properties xmlns="{EXTENDED}" '
                'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel'
                '</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" '
                'baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4>'
                '</vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="1" baseType="lpstr">'
                f'<vt:lpstr>{data(self.name)}</vt:lpstr></vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false'
                '</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000'
                '</AppVersion></Properties>')


def zipped(parts: list[tuple[str, str]]) -> bytes:
    """The zip of ``parts`` (name, text) as :mod:`zipfile` writes it for XlsxWriter (each part deflated, dated 1 January
    1980, readable by its owner alone): local headers and data, then the central directory. A part that is the same in
    every workbook (the theme, the relations) or in many (the styles, the sheet's name, the properties: a site's
    workbooks have a few hundred of them) is deflated once for each text (:func:`deflated`); only the table's own
    parts (:data:`OWN`) each time."""
    body, directory = [], []
    at = 0
    for name, text in parts:
        crc, size, data = deflate(text) if name in OWN else deflated(text)
        encoded = name.encode("ascii")
        fields = (20, 0, zipfile.ZIP_DEFLATED, 0, DOS_DATE, crc, len(data), size, len(encoded))
        body += [struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0), encoded, data]
        directory += [struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, *fields[1:], 0, 0, 0, 0, 0o600 << 16, at), encoded]
        at += 30 + len(encoded) + len(data)
    listing = b"".join(directory)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(listing), at, 0)
    return b"".join(body) + listing + end


DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 1  # 1 January 1980, at 00:00 (time 0)
OWN = frozenset({"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"})  # a table's cells: nearly every one is new


def deflate(text: str) -> tuple[int, int, bytes]:
    """(CRC-32, size, deflated bytes) of a part, deflated as :mod:`zipfile` deflates (zlib's default level, raw), in the
    smallest window that holds the whole part (:func:`window_bits`)."""
    data = text.encode("utf-8")
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -window_bits(len(data)))
    return zlib.crc32(data), len(data), packer.compress(data) + packer.flush()


def window_bits(size: int) -> int:
    """The smallest window (2**bits bytes, 9 to 15) in which zlib deflates ``size`` bytes exactly as in its largest,
    the one :mod:`zipfile` asks for: every earlier byte lies within the distance zlib looks back (the window less its
    262-byte lookahead), and the hash table, the blocks and the search are as in the largest. Most parts are a few
    hundred bytes to a few kilobytes: zlib sets up a window and its table of earlier positions for each part, and with
    the largest window (32 KB) that took about 40 of the 60–70 µs of deflating one (the tests compare the bytes with
    both windows)."""
    bits = 9
    while bits < 15 and (1 << bits) - 262 < size:
        bits += 1
    return bits


@functools.lru_cache(maxsize=1024)
def deflated(text: str) -> tuple[int, int, bytes]:
    """:func:`deflate`, kept for the parts that come again from workbook to workbook (all but :data:`OWN`; the demo's
    228 workbooks have 410 texts of them, of about a kilobyte each)."""
    return deflate(text)


ROOT_RELATIONS = (
    f'{HEAD}<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" Type="{RELATIONS}/officeDocument" '
    f'Target="xl/workbook.xml"/><Relationship Id="rId2" Type="{PACKAGE}/relationships/metadata/core-properties" '
    f'Target="docProps/core.xml"/><Relationship Id="rId3" Type="{RELATIONS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)


def workbook_relations(strings: bool) -> str:
    shared_strings = f'<Relationship Id="rId4" Type="{RELATIONS}/sharedStrings" Target="sharedStrings.xml"/>' if strings else ""
    return (f'{HEAD}<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" Type="{RELATIONS}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{RELATIONS}/theme" Target="theme/theme1.xml"/>'
            f'<Relationship Id="rId3" Type="{RELATIONS}/styles" Target="styles.xml"/>{shared_strings}</Relationships>')


def content_types(strings: bool) -> str:
    shared_strings = (f'<Override PartName="/xl/sharedStrings.xml" ContentType="{OFFICE}.spreadsheetml.sharedStrings+xml"/>'
                      if strings else "")
    return (f'{HEAD}<Types xmlns="{PACKAGE}/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            f'ContentType="application/xml"/><Override PartName="/docProps/app.xml" ContentType="{OFFICE}.extended-properties+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{OFFICE}.spreadsheetml.styles+xml"/><Override '
            f'PartName="/xl/theme/theme1.xml" ContentType="{OFFICE}.theme+xml"/><Override PartName="/xl/workbook.xml" '
            f'ContentType="{OFFICE}.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{OFFICE}.spreadsheetml.worksheet+xml"/>{shared_strings}</Types>')
