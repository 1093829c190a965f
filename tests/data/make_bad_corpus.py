"""Make tests/data/bad/: input files in every encoding and state the extractor meets in the wild.

    python tests/data/make_bad_corpus.py        # (re)writes tests/data/bad/

The output is deterministic (no randomness, fixed zip timestamps) and committed,
so the tests read these exact bytes; tests/cases/bad_files.tsv says what is
expected of each file (tests/test_document.py, tests/test_cli.py). A .gitattributes
there keeps git from touching line endings.
"""
from __future__ import annotations

import codecs
import io
import struct
import zipfile
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent / "bad"

ARTICLE = (
    "党建引领筑根基 乡村振兴谋福祉\n\n"
    "放眼赤峰大地，2610个党群服务中心和466个党群服务站交相辉映，1.1万余个基层党组织比学赶超。\n\n"
    "克什克腾旗选派楼栋长2399人，组建15支春耕志愿服务队伍，党员占比18.5%。\n\n"
    "经棚镇今年投入资金5.6亿元，种植中药材30万亩，带动农户增收近80万元。\n"
)

FULLWIDTH = (
    "乌达区成立网格党支部７０个，建成率达１００％。\n\n"
    "全区共有网格员１２３４名，服务群众３．５万人次（截至目前）。\n"
)

HOSTILE = (
    "零宽\u200b空格\u200d与\ufeff字节序标记夹在文字中：建成\u200b12个服务站。\n"
    "从右到左\u202e覆盖\u202c标记：选派3名干部。\u2028行分隔符之后：组建5支队伍。\n"
    "组合附加符号e\u0301与表情😀：种植20亩。\x0c换页符之后：建成8处驿站。\n"
    + "很长的一行没有换行" * 2000 + "最后建成66个党群服务站。\n"
)

HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>赤峰市党建引领基层治理</title>
<style>p { color: red; } /* 999个 */</style>
<script>var count = "777个党群服务中心"; if (a < b && c > d) {}</script>
</head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/news">新闻</a></div>
<h1>赤峰市建成2610个党群服务中心</h1>
<p>放眼赤峰大地&nbsp;&nbsp;2610个党群服务中心和466个党群服务站交相辉映，
1.1万余个基层党组织&mdash;比学赶超&hellip;</p>
<p>党员占比18.5&#37;，选派楼栋长2399人<br>组建15支志愿服务队伍。</p>
<table><tr><td>网格员</td><td>1234名</td></tr></table>
<noscript>请开启脚本 888个</noscript>
</body>
</html>
"""

HTML_GBK = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>克什克腾旗新闻</title></head>
<body><p>克什克腾旗经棚镇建成12个便民服务站，服务群众3000余人次。</p></body></html>
"""

HTML_NO_TEXT = """<!DOCTYPE html><html><head><title></title>
<script>document.write("2610个");</script><style>body{}</style></head><body>  <br> </body></html>
"""


def png_bytes() -> bytes:
    """A real 2x2 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def zip_bytes() -> bytes:
    """A zip archive holding a text file (as a misnamed download would)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("news.txt", date_time=(2024, 1, 1, 0, 0, 0))
        zf.writestr(info, ARTICLE.encode("utf-8"))
    return buf.getvalue()


def files() -> dict[str, bytes]:
    crlf = ARTICLE.replace("\n", "\r\n")
    return {
        # readable: each has claims
        "good_utf8.txt": ARTICLE.encode("utf-8"),
        "utf8_bom.txt": ARTICLE.encode("utf-8-sig"),
        "crlf_utf8.txt": crlf.encode("utf-8"),
        "old_mac_cr.txt": ARTICLE.replace("\n", "\r").encode("utf-8"),
        "gb18030.txt": ("龑㐀" + ARTICLE).encode("gb18030"),   # 㐀 is not in GBK: 4-byte GB18030
        "gbk.txt": crlf.encode("gbk"),
        "utf16_le_bom.txt": ARTICLE.encode("utf-16"),          # little-endian with BOM on this platform
        "utf16_be_bom.txt": codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
        "utf16_le_nobom.txt": ARTICLE.encode("utf-16-le"),
        "page.html": HTML.encode("utf-8"),
        "page_gbk.htm": HTML_GBK.encode("gbk"),
        "page_saved_as.txt": HTML.encode("utf-8"),             # HTML content under a .txt name
        "fullwidth_digits.txt": FULLWIDTH.encode("utf-8"),
        "hostile_text.txt": HOSTILE.encode("utf-8"),
        "large.txt": (ARTICLE * 200).encode("utf-8"),          # ~60 KB: too_large under a small max_bytes
        # failing
        "image_png.txt": png_bytes(),
        "archive_zip.txt": zip_bytes(),
        "pdf_as_text.txt": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
        "control_chars.txt": bytes(range(1, 9)) * 40 + "建成12个".encode("utf-8"),
        "nul_bytes.txt": "建成12个".encode("utf-8") + b"\x00\x01\x02\x00" * 50,
        "mixed_encodings.txt": ARTICLE.encode("utf-8") + ARTICLE.encode("gbk"),
        "empty.txt": b"",
        "blank.txt": b"  \n\n\t \r\n",
        "bom_only.txt": b"\xef\xbb\xbf\n",
        "html_no_text.html": HTML_NO_TEXT.encode("utf-8"),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in files().items():
        (OUT / name).write_bytes(data)
    (OUT / ".gitattributes").write_text("* -text -diff\n", encoding="utf-8")
    print(f"{len(files())} files in {OUT}")


if __name__ == "__main__":
    main()
